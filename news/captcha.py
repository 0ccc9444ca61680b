"""The arithmetic captcha under the comment form, which writes nothing when a page is shown.

Why our own: django-simple-captcha kept every challenge in a ``CaptchaStore`` row, so each
article view and each "another picture" inserted a row. Reading the site wrote to the database,
the table grew with traffic, and article pages could not be served from a cache (issue 13 and
the scale issue). Here a challenge lives in the form itself:

* **The token** in the hidden ``captcha_0`` field is a random nonce signed with
  ``TimestampSigner`` (key ``SECRET_KEY``, salt :data:`SALT`): ``nonce:issued:signature``. It
  comes from us and says when; every node that shares the secret key can check it, and it is
  refused once :func:`lifetime` has passed since it was issued.
* **The sum** is not written in the token: signing is not encryption, and a bot would read the
  answer out of it. The two numbers are derived from the nonce with an HMAC keyed by
  ``SECRET_KEY`` (:func:`challenge_of`), so only the server (and the picture it draws) knows
  them. The sum of two small numbers, because ``a + b`` reads the same from either side on a
  right-to-left page, where a difference would be ambiguous.
* **Single use** is enforced when an answer is submitted, right or wrong: the nonce is marked
  spent with ``cache.add`` in the shared cache (Redis in production, where ``add`` is an atomic
  ``SET NX``), for the rest of the token's life plus :data:`CLOCK_SKEW_SECONDS` for nodes
  whose clocks differ a little. A replay finds the mark and is refused. Showing the form,
  drawing the picture and giving another token write nothing at all.
* **The picture** is drawn with Pillow in Vazirmatn, the font the site ships in ``static/``
  (so it never depends on fonts installed on the server), in Persian digits unless
  ``NEWS_CAPTCHA_PERSIAN_DIGITS`` is off. The same token always gives the same picture, so the
  browser may keep it for the token's life.
* The answer is accepted in Persian, Arabic-Indic or Latin digits («۱۸», «١٨», «18»).

If the cache evicts a spent mark before the token expires (Redis under memory pressure with an
eviction policy), that one token could be answered twice; the comment rate limit and the
moderation queue still stand behind it.
"""

import contextlib
import io
import logging
import random
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont

from core.digits import parse_int, to_persian_digits

logger = logging.getLogger(__name__)

SALT = "news.captcha"
CLOCK_SKEW_SECONDS = 5 * 60
# nonce (16) + ":" + timestamp (6) + ":" + signature (43); anything much longer is not ours.
TOKEN_MAX_LENGTH = 120
_TOKEN = re.compile(r"[A-Za-z0-9_\-]+:[0-9A-Za-z]+:[A-Za-z0-9_\-]+")
FONT = "vendor/vazirmatn/Vazirmatn-Variable.woff2"

# The picture: drawn at twice the size it is shown at, so it stays sharp on phones.
WIDTH, HEIGHT = 200, 64
# What a shared form shows until static/js/comments.js has fetched this visitor's challenge.
PLACEHOLDER = "img/captcha-waiting.svg"
SCALE = 2

INVALID_MESSAGE = "پاسخ پرسش امنیتی درست نبود. حاصل عبارت تصویر تازه را بنویسید."
REQUIRED_MESSAGE = "حاصل عبارت تصویر را بنویسید."
EXPIRED_MESSAGE = "زمان پاسخ به پرسش امنیتی گذشته بود. حاصل عبارت تصویر تازه را بنویسید."


class InvalidToken(Exception):
    """The token was not made by us, was changed, or is not a token at all."""


class ExpiredToken(InvalidToken):
    """The token is ours but older than its lifetime."""


def lifetime() -> int:
    """Seconds a challenge may be answered in: long enough to write a considered comment."""
    return int(getattr(settings, "NEWS_CAPTCHA_SECONDS", 30 * 60))


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def issue() -> str:
    """A new challenge's token. Nothing is stored anywhere."""
    return _signer().sign(secrets.token_urlsafe(12))


def open_token(token) -> tuple[str, int]:
    """The nonce of a valid *token* and the seconds it has left; ``InvalidToken`` otherwise."""
    if not isinstance(token, str) or len(token) > TOKEN_MAX_LENGTH or not _TOKEN.fullmatch(token):
        raise InvalidToken
    try:
        nonce = _signer().unsign(token, max_age=lifetime())
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except signing.BadSignature as error:
        raise InvalidToken from error
    # The signature held, so the timestamp in the middle is the one we wrote.
    issued = signing.b62_decode(token.split(":")[1])
    left = max(0, int(issued + lifetime() - time.time()))
    return nonce, left


def challenge_of(nonce: str) -> tuple[int, int]:
    """The two numbers to add for *nonce*; without ``SECRET_KEY`` nobody can tell them."""
    digest = salted_hmac(f"{SALT}.sum", nonce).digest()
    return 3 + digest[0] % 27, 2 + digest[1] % 8  # 3..29 and 2..9


def expected_answer(token) -> int:
    """The answer to *token*'s challenge (``InvalidToken`` if it is not a valid token).

    For the server and its tests: it needs the secret key, and it spends nothing.
    """
    first, second = challenge_of(open_token(token)[0])
    return first + second


def _spend(nonce: str, seconds_left: int) -> bool:
    """Mark *nonce* as answered; ``False`` if it already was (on any node)."""
    return cache.add(f"news:captcha:spent:{nonce}", 1, timeout=seconds_left + CLOCK_SKEW_SECONDS)


def redeem(token, answer) -> None:
    """Check an answer to *token* and spend the token, whether the answer is right or wrong.

    Raises ``ExpiredToken`` for an old token and ``InvalidToken`` for everything else that is
    not the first right answer to a token of ours.
    """
    nonce, seconds_left = open_token(token)
    if not _spend(nonce, seconds_left):
        raise InvalidToken
    first, second = challenge_of(nonce)
    try:
        given = parse_int(answer)
    except (TypeError, ValueError) as error:
        raise InvalidToken from error
    if given != first + second:
        raise InvalidToken


# --- The form field -------------------------------------------------------------------------


class CaptchaWidget(forms.MultiWidget):
    """The picture, the hidden token (``captcha_0``), the answer box (``captcha_1``) and a
    button for another picture.

    Every rendering draws a new challenge: a form shown again after a wrong (or spent) answer
    asks a fresh question, and what was typed in the answer box is not kept.
    """

    template_name = "news/widgets/captcha.html"
    # A shared widget (a page served from the cache to every visitor) carries no challenge:
    # static/js/comments.js asks /captcha/refresh/ for one when the form comes into view.
    shared = False

    def __init__(self, attrs=None):
        answer = forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "dir": "ltr",
                "autocomplete": "off",
                "maxlength": "8",
                "class": "form-control captcha-answer",
            }
        )
        super().__init__([forms.HiddenInput(), answer], attrs)

    def decompress(self, value):
        return [None, None]

    def get_context(self, name, value, attrs):
        token = "" if self.shared else issue()
        context = super().get_context(name, [token, None], attrs)
        # HTML allows `required` on the answer box, not on the hidden token beside it.
        context["widget"]["subwidgets"][0]["attrs"].pop("required", None)
        context.update(
            image=static(PLACEHOLDER) if self.shared else image_url(token),
            image_width=WIDTH,
            image_height=HEIGHT,
            refresh_url=reverse("captcha:refresh"),
        )
        return context

    def id_for_label(self, id_):
        # The label names the answer box, the one input a reader fills in.
        return f"{id_}_1" if id_ else ""


class PersianCaptchaField(forms.Field):
    """The captcha as a form field: clean means "the first right answer to a token of ours"."""

    widget = CaptchaWidget
    default_error_messages = {
        "invalid": INVALID_MESSAGE,
        "required": REQUIRED_MESSAGE,
        "expired": EXPIRED_MESSAGE,
    }

    def clean(self, value):
        token, answer = [*value, None, None][:2] if isinstance(value, list) else ("", "")
        if not isinstance(answer, str) or not answer.strip():
            raise forms.ValidationError(self.error_messages["required"], code="required")
        try:
            redeem(token, answer)
        except ExpiredToken as error:
            raise forms.ValidationError(self.error_messages["expired"], code="expired") from error
        except InvalidToken as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        return True


# --- The picture ----------------------------------------------------------------------------


def image_url(token: str) -> str:
    return reverse("captcha:image", kwargs={"token": token})


def _font(size: int) -> tuple[ImageFont.FreeTypeFont, bool]:
    """Vazirmatn Bold at *size* and ``True``; Pillow's own font and ``False`` if it is missing.

    Loaded for each picture (a few milliseconds) rather than shared between threads.
    """
    path = finders.find(FONT) or Path(settings.STATIC_ROOT) / FONT
    try:
        font = ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        logger.warning("captcha font %s not found; drawing Latin digits", FONT)
        return ImageFont.load_default(size), False
    with contextlib.suppress(OSError, ValueError):  # no variable fonts: Regular will do
        font.set_variation_by_name("Bold")
    return font, True


def draw(nonce: str) -> bytes:
    """The PNG of *nonce*'s sum, e.g. «۱۷ + ۸ =», lightly disturbed; the same every time."""
    first, second = challenge_of(nonce)
    # Only the strokes and the tilt of the digits: seeded so a token always looks the same.
    rng = random.Random(salted_hmac(f"{SALT}.picture", nonce).digest())  # noqa: S311
    font, persian = _font(30 * SCALE)
    text = f"{first} + {second} ="
    if persian and getattr(settings, "NEWS_CAPTCHA_PERSIAN_DIGITS", True):
        text = to_persian_digits(text)

    width, height = WIDTH * SCALE, HEIGHT * SCALE
    image = Image.new("RGB", (width, height), "#ffffff")
    canvas = ImageDraw.Draw(image)
    for _ in range(6):  # faint strokes behind the text
        points = [(rng.randrange(width), rng.randrange(height)) for _ in range(2)]
        shade = rng.randrange(170, 215)
        canvas.line(points, fill=(shade, shade, rng.randrange(190, 235)), width=SCALE)

    # Digits of one number close together, a wider gap around the operator and the sign.
    gap, space = 2 * SCALE, 12 * SCALE
    advance = [space if char == " " else font.getbbox(char)[2] + gap for char in text]
    x = (width - sum(advance)) // 2
    for char, step in zip(text, advance, strict=True):
        if char != " ":
            pad = 10 * SCALE  # room for the glyph to turn in
            tile = Image.new("L", (step + 2 * pad, height), 0)
            ImageDraw.Draw(tile).text((pad, height // 2), char, font=font, fill=255, anchor="lm")
            tile = tile.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)
            ink = (rng.randrange(20, 70), rng.randrange(30, 80), rng.randrange(70, 120))
            image.paste(ink, (x - pad, rng.randint(-5, 5) * SCALE), tile)
        x += step

    for _ in range(2):  # and two thin strokes across it
        y = rng.randrange(height // 4, 3 * height // 4)
        canvas.line(
            [(0, y), (width, y + rng.randint(-20, 20) * SCALE)], fill=(90, 100, 130), width=1
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- The views ------------------------------------------------------------------------------


@require_safe
def image_view(request, token):
    """The picture of a token's sum; 404 for anything that is not a live token of ours."""
    try:
        nonce, seconds_left = open_token(token)
    except InvalidToken as error:
        raise Http404("no such captcha") from error
    response = HttpResponse(draw(nonce), content_type="image/png")
    # A token always gives the same picture: the browser may keep it while the token lives.
    response["Cache-Control"] = f"private, max-age={seconds_left}, immutable"
    return response


@require_safe
def refresh_view(request):
    """Another challenge for static/js/comments.js: its token and its picture's address."""
    token = issue()
    response = JsonResponse(
        # The CSRF token too: a page served from the cache has none of this visitor's.
        {"key": token, "image_url": image_url(token), "csrf_token": get_token(request)}
    )
    response["Cache-Control"] = "no-store"
    return response
