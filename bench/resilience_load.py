"""The people bench/resilience.py sends to the nodes, and the journal of what each was told.

Each person is a thread with a browser of its own (cookies, no redirects followed: a redirect
is the answer judged) that takes the two nodes in turn, as a load balancer would. Every request
is journalled with its start, end and outcome; every write with its marker, what was sent and
whether the client was told it was saved.
"""

import contextlib
import dataclasses
import datetime as dt
import html.parser
import http.client
import itertools
import json
import random
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from resilience_site import Node, clock, phase

DEMO_PASSWORD = "mahalleh-1405"  # noqa: S105 - the demo users' password (demo/program.py)
STAFF_WRITERS = ("ehsan", "emdad", "helal", "behzisti")  # agency staff among the demo users
# The headings of templates/500.html and of templates/503.html (the database does not answer).
OUR_ERROR_PAGES = ("مشکلی در سامانه پیش آمد", "سامانه لحظه‌ای در دسترس نیست")
REQUEST_TIMEOUT = 15
PROGRESS_EVERY = 5


@dataclasses.dataclass
class Answer:
    kind: str  # read, comment, record, login, health
    node: str
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    error: str  # "" when the answer was the expected one
    ours: bool  # for a 5xx: whether the page was our error page


@dataclasses.dataclass
class Write:
    kind: str  # comment or record
    marker: str
    sent: dict  # what must be stored, field by field
    acknowledged: bool = False
    author: str = ""  # the username a record is saved as
    pk: int | None = None  # the record the "saved" redirect named
    ended: float = 0.0


class Journal:
    def __init__(self):
        self.lock = threading.Lock()
        self.answers: list[Answer] = []
        self.writes: list[Write] = []
        # When things happened: "start", "kill", "replaced"; and the database's faults, each
        # (name, stopped, accepting connections again).
        self.faults: dict[str, float] = {}
        self.outages: list[tuple[str, float, float]] = []
        self.phase = "load"

    def add(self, item) -> None:
        with self.lock:
            (self.writes if isinstance(item, Write) else self.answers).append(item)

    def snapshot(self) -> tuple[list[Answer], list[Write]]:
        with self.lock:
            return list(self.answers), list(self.writes)


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect itself is the answer we judge


class PageFields(html.parser.HTMLParser):
    """The named inputs of a page (first value wins) and the options of its selects."""

    def __init__(self, page: str):
        super().__init__()
        self.values: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self._select = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.values.setdefault(attrs["name"], attrs.get("value") or "")
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and attrs.get("value"):
            self.options.setdefault(self._select, []).append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


@dataclasses.dataclass
class Response:
    status: int | None
    body: str
    location: str
    ok: bool


class Visitor:
    """One person's browser: its own cookies, every answer written in the journal, and the two
    nodes taken in turn, as a load balancer would hand them out."""

    def __init__(self, journal: Journal, gate: "Gate", nodes: list[Node], offset: int):
        self.journal = journal
        self.gate = gate
        self.nodes = nodes
        self.turn = itertools.count(offset)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _KeepRedirects()
        )

    def next_node(self) -> Node:
        return self.nodes[next(self.turn) % len(self.nodes)]

    def ask(self, kind, path, *, node=None, data=None, headers=None, expect=200) -> Response:
        """Send one request (a POST when *data* is given) to *node*, or to the next node in
        turn, and journal it; the answer is ``ok`` when its status is *expect*."""
        node = node or self.next_node()
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        address = node.address(path)
        request = urllib.request.Request(address, data=body, headers=headers or {})  # noqa: S310
        started = clock()
        status, page, location, error = None, "", "", ""
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as answer:
                status, page = answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as answer:
            status, location = answer.code, answer.headers.get("Location", "")
            page = answer.read().decode("utf-8", "replace")
        # No answer, or half of one: refused, reset, timed out, cut off in the body.
        except (OSError, http.client.HTTPException) as failure:
            reason = getattr(failure, "reason", failure)
            error = type(reason).__name__ if isinstance(reason, Exception) else str(reason)
        ended = clock()
        if status is not None and status != expect:
            error = f"HTTP {status}"
        ours = status is not None and status >= 500 and _is_our_error_page(kind, page)
        self.journal.add(Answer(kind, node.name, started, ended, status, error, ours))
        return Response(status, page, location, ok=not error)


def _is_our_error_page(kind: str, page: str) -> bool:
    if kind == "health":
        return '"unreachable"' in page  # portal.views.healthz's own answer
    return any(heading in page for heading in OUR_ERROR_PAGES)


# --- The people -------------------------------------------------------------------------------


class Gate:
    """Holds the people back for a quiet moment: :meth:`close` returns once nobody is between
    the first and the last request of a step, and nobody starts one until :meth:`open`."""

    def __init__(self):
        self._change = threading.Condition()
        self._open = True
        self._busy = 0

    @contextlib.contextmanager
    def step(self):
        with self._change:
            self._change.wait_for(lambda: self._open)
            self._busy += 1
        try:
            yield
        finally:
            with self._change:
                self._busy -= 1
                self._change.notify_all()

    def close(self, timeout: float) -> bool:
        with self._change:
            self._open = False
            return self._change.wait_for(lambda: self._busy == 0, timeout)

    def open(self) -> None:
        with self._change:
            self._open = True
            self._change.notify_all()


def reader(visitor: Visitor, pages: list[str], stop: threading.Event, rng) -> None:
    while not stop.is_set():
        with visitor.gate.step():
            visitor.ask("read", rng.choice(pages))
        stop.wait(rng.uniform(0.02, 0.1))


def prober(visitor: Visitor, stop: threading.Event) -> None:
    """/healthz on each node four times a second: how each node sees the database."""
    while not stop.is_set():
        with visitor.gate.step():
            for node in visitor.nodes:
                visitor.ask("health", "/healthz", node=node)
        stop.wait(0.25)


def poster(visitor: Visitor, articles, stop, rng, marker_stem: str) -> None:
    """A reader who opens an article, answers its captcha and comments, again and again."""
    for count in itertools.count():
        if stop.is_set():
            return
        with visitor.gate.step():
            _comment(visitor, rng.choice(articles), f"{marker_stem}-{count}")
        stop.wait(rng.uniform(0.05, 0.2))


def _comment(visitor: Visitor, address: str, marker: str) -> None:
    from news.captcha import InvalidToken, expected_answer

    page = visitor.ask("comment", address)
    challenge = _challenge(visitor, page) if page.ok else None
    if challenge is None:
        return
    csrf, token = challenge
    try:
        answer = expected_answer(token)
    except InvalidToken:
        answer = 0  # the post is then refused and counted as a failure
    write = Write(
        "comment",
        marker,
        {
            "article": address,
            "name": "خوانندهٔ آزمون پایداری",
            "text": f"نظری برای آزمون پایداری سامانه، با نشان {marker}",
        },
    )
    visitor.journal.add(write)
    form = {
        "csrfmiddlewaretoken": csrf,
        "name": write.sent["name"],
        "email": "",
        "text": write.sent["text"],
        "parent": "",
        "website": "",
        "captcha_0": token,
        "captcha_1": str(answer),
    }
    sent = visitor.ask("comment", address, data=form, expect=302)
    write.acknowledged = sent.ok and "sent=1" in sent.location
    write.ended = clock()


def _challenge(visitor: Visitor, page: Response) -> tuple[str, str] | None:
    """The CSRF token and captcha token to post an article's comment form with.

    A page served to everyone from the cache carries neither; the reader's browser then asks
    /captcha/refresh/ for both (static/js/comments.js), and so does this reader. None when that
    request fails.
    """
    fields = PageFields(page.body).values
    csrf, token = fields.get("csrfmiddlewaretoken", ""), fields.get("captcha_0", "")
    if token:
        return csrf, token
    headers = {"X-Requested-With": "XMLHttpRequest"}
    fresh = visitor.ask("comment", "/captcha/refresh/", headers=headers)
    if not fresh.ok:
        return None
    try:
        challenge = json.loads(fresh.body)
    except ValueError:
        return None
    return challenge.get("csrf_token") or csrf, challenge.get("key", "")


def writer(visitor: Visitor, username: str, stop, rng, marker_stem: str, sequence) -> None:
    """A clerk, signed in at /panel/login/, saving service records through the panel's form."""
    signed_in = False
    for count in itertools.count():
        if stop.is_set():
            return
        with visitor.gate.step():
            if signed_in:
                signed_in = _record(visitor, username, rng, f"{marker_stem}-{count}", sequence)
            else:
                signed_in = _sign_in(visitor, username)
        stop.wait(rng.uniform(0.05, 0.2) if signed_in else 0.5)


def _record(visitor: Visitor, username: str, rng, marker: str, sequence) -> bool:
    """Open the record form and save a record; False when the panel asks to sign in again."""
    from core.jalali import format_date

    page = visitor.ask("record", "/panel/records/new/")
    if page.status == 302 and "/panel/login/" in page.location:
        return False
    if not page.ok:
        return True
    fields = PageFields(page.body)
    number = next(sequence)
    day = dt.date.today() - dt.timedelta(days=1 + number % 200)
    # A count no demo record has, so the exact-duplicate rule never refuses one of ours.
    beneficiaries = 5000 + number
    write = Write(
        "record",
        marker,
        {
            "house_id": int(rng.choice(fields.options["house"])),
            "service_type_id": int(rng.choice(fields.options["service_type"])),
            "delivered_on": day,
            "beneficiaries": beneficiaries,
            "notes": f"ثبت آزمون پایداری سامانه، با نشان {marker}",
        },
        author=username,
    )
    visitor.journal.add(write)
    form = {
        "csrfmiddlewaretoken": fields.values.get("csrfmiddlewaretoken", ""),
        "house": write.sent["house_id"],
        "service_type": write.sent["service_type_id"],
        "delivered_on": format_date(day),
        "beneficiaries": beneficiaries,
        "male": beneficiaries // 2,
        "female": beneficiaries - beneficiaries // 2,
        "adults": beneficiaries,
        "notes": write.sent["notes"],
        # Another agency may have served the same neighbourhood lately; a reason given when
        # nothing is parallel is dropped, so it is always sent.
        "parallel_reason": "نوبت دیگری از همان برنامه، برای آزمون پایداری",
        "submit": "1",
    }
    sent = visitor.ask("record", "/panel/records/new/", data=form, expect=302)
    saved = re.fullmatch(r"/panel/records/(\d+)/", sent.location)
    write.acknowledged = sent.ok and saved is not None
    write.pk = int(saved[1]) if saved else None
    write.ended = clock()
    return True


def _sign_in(visitor: Visitor, username: str) -> bool:
    node = visitor.next_node()
    page = visitor.ask("login", "/panel/login/", node=node)
    if not page.ok:
        return False
    form = {
        "csrfmiddlewaretoken": PageFields(page.body).values.get("csrfmiddlewaretoken", ""),
        "username": username,
        "password": DEMO_PASSWORD,
    }
    return visitor.ask("login", "/panel/login/", node=node, data=form, expect=302).ok


def progress(journal: Journal, stop: threading.Event) -> None:
    while not stop.wait(PROGRESS_EVERY):
        answers, writes = journal.snapshot()
        failed = sum(1 for answer in answers if answer.error)
        parts = []
        for kind in ("comment", "record"):
            mine = [write for write in writes if write.kind == kind]
            parts.append(f"{sum(w.acknowledged for w in mine)}/{len(mine)} {kind}s acknowledged")
        phase(f"{journal.phase}: {len(answers):,} requests, {failed} failed; " + ", ".join(parts))


def people(args, journal, gate, nodes, addresses, stop, marker_tag) -> list[threading.Thread]:
    """The readers, posters, writers and the probe, each a thread with its own browser and its
    own random choices (seeded, so two runs choose alike)."""
    seeds = random.Random(1405)
    sequence = itertools.count()  # shared by the writers: every record gets counts of its own
    plans = [(reader, addresses["pages"] + addresses["articles"]) for _ in range(args.readers)]
    plans += [(poster, addresses["articles"], f"{marker_tag}-c{n}") for n in range(args.posters)]
    plans += [
        (writer, name, f"{marker_tag}-r{name}", sequence) for name in STAFF_WRITERS[: args.writers]
    ]
    threads = []
    for offset, (target, first, *extra) in enumerate(plans):
        visitor = Visitor(journal, gate, nodes, offset)
        rng = random.Random(seeds.random())
        threads.append(
            threading.Thread(target=target, args=(visitor, first, stop, rng, *extra), daemon=True)
        )
    probe = Visitor(journal, gate, nodes, 0)
    threads.append(threading.Thread(target=prober, args=(probe, stop), daemon=True))
    return threads
