"""The news of bench/generate.py: articles over the five years with tags, places and agencies,
and threaded comments.

Articles (``ARTICLES`` times ``--scale``) are published from 1401 to today, more each year,
oldest first so their news codes grow with their dates as the counter hands them out; one in a
hundred is a draft and a few are scheduled for the coming days. Each has three to six tags of
``generate_texts.TAGS``, a category, usually a neighbourhood and one or two agencies; two in
five have a picture (generate_media.py). What ``services.article_save`` derives is derived the
same way: the sanitised body, the slug from the title, the search columns (news/search.py), and
the news code counter, moved past the last code. ``view_count`` holds the views already
flushed from the cache (older articles more).

Comments (``COMMENTS`` times ``--scale``) go to published articles, many to a few popular ones,
written in the days after publication. A quarter answer an earlier approved comment of the same
article. Most are approved by a moderator, some rejected, and those of the last days mostly
wait in the moderation queue.
"""

import datetime as dt
import math

from generate_copy import Table, next_id
from generate_records import YEARS
from generate_texts import (
    COMMENTER_NAMES,
    COMMENTS,
    HEADLINES,
    KICKERS,
    LEADS,
    PARAGRAPHS,
    PHOTO_MOTIFS,
    REPLIES,
    SUBHEADINGS,
    TAGS,
)

ARTICLES = 20_000
COMMENTS_TOTAL = 200_000
IMAGE_SHARE = 0.4
DRAFT_SHARE = 0.01
SCHEDULED = 0.003
REPLY_SHARE = 0.25

ARTICLE_COLUMNS = (
    "id", "image", "width", "height", "renditions", "title", "slug", "kicker", "lead", "body",
    "image_alt", "category_id", "news_code", "status", "publish_at", "author_id", "view_count",
    "search_text", "search_compact", "created_at", "updated_at",
)  # fmt: skip
COMMENT_COLUMNS = (
    "id", "article_id", "parent_id", "name", "email", "text", "status", "created_at",
    "moderated_at", "moderated_by_id",
)  # fmt: skip


def _scaled(base: int, scale: float) -> int:
    return max(1, math.floor(base * scale + 0.5))


def _publish_moments(world, count: int):
    """*count* publication moments from 1401/01/01 to now, growing with the program."""
    from core.jalali import to_gregorian

    rng = world.rng
    spans = []
    for year, weight in YEARS.items():
        first = to_gregorian(year, 1, 1)
        last = min(to_gregorian(year + 1, 1, 1), world.today)
        if first < last:
            spans.append((first, (last - first).days, weight * (last - first).days))
    chosen = rng.choices(spans, [s[2] for s in spans], k=count)
    moments = sorted(
        world.moment(first + dt.timedelta(days=rng.randrange(days)), rng.randint(8, 20),
                     rng.randint(0, 59))
        for first, days, _weight in chosen
    )  # fmt: skip
    return [min(moment, world.now - dt.timedelta(minutes=5)) for moment in moments]


def load_news(world, pictures) -> list:
    """Tags, articles with their links, the counter; returns the published articles'
    ``(id, publish_at)`` for the comments."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from news.html import sanitize_body
    from news.models import Article, ArticleStatus, Category, NewsCodeCounter
    from news.reference import load_categories
    from news.search import plain_text, search_columns
    from news.services import SLUG_MAX_LENGTH

    rng = world.rng
    load_categories()
    categories = list(Category.objects.order_by("order", "pk").values_list("pk", flat=True))
    present = set(Tag.objects.filter(name__in=TAGS).values_list("name", flat=True))
    taken_slugs = set(Tag.objects.values_list("slug", flat=True))
    new_tags = []
    for name in TAGS:
        if name in present:
            continue
        slug = slugify(name, allow_unicode=True) or "tag"
        while slug in taken_slugs:
            slug += "-1"
        taken_slugs.add(slug)
        new_tags.append(Tag(name=name, slug=slug))
    Tag.objects.bulk_create(new_tags)
    tag_ids = list(Tag.objects.filter(name__in=TAGS).values_list("pk", flat=True))
    article_type = ContentType.objects.get_for_model(Article).pk
    places = [h.neighbourhood for h in world.houses if h.agency_id == world.agencies[0].pk]
    types = list(world.type_names)
    total = _scaled(ARTICLES, world.scale)
    moments = _publish_moments(world, total)
    last_code = max(
        NewsCodeCounter.objects.filter(pk=1).values_list("last_code", flat=True).first() or 0,
        Article.objects.aggregate(top=Max("news_code"))["top"] or 0,
    )
    first_id = next_id(Article)
    links = {"place": [], "agency": [], "tag": []}
    published = []

    def rows():
        for index, moment in enumerate(moments):
            pk, code = first_id + index, last_code + index + 1
            place = rng.choice(places)
            agency = rng.choice(world.agencies)
            words = {
                "n": place.name,
                "c": place.city.name,
                "p": place.city.county.province.name,
                "a": agency.house_name,
                "k": _persian(rng.randint(12, 480)),
                "t": rng.choice(types),
            }
            title = rng.choice(HEADLINES).format(**words)
            kicker = rng.choice(KICKERS)
            lead = rng.choice(LEADS).format(**words)
            body = sanitize_body(_body(rng))
            search_text, search_compact = search_columns(title, kicker, lead, plain_text(body))
            slug = slugify(title, allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-") or "news"
            status, publish_at = ArticleStatus.PUBLISHED, moment
            draw = rng.random()
            if draw < DRAFT_SHARE:
                status, publish_at = ArticleStatus.DRAFT, None
            elif draw < DRAFT_SHARE + SCHEDULED:
                publish_at = world.now + dt.timedelta(hours=rng.randint(2, 14 * 24))
            image = ("", 0, 0, [])
            image_alt = ""
            if rng.random() < IMAGE_SHARE:
                picture = rng.randrange(len(pictures))
                image = pictures.place(picture, folder="news", when=moment, public=True)
                image_alt = PHOTO_MOTIFS[pictures.motif(picture)]
            age_days = (world.now - moment).days
            views = 0
            if status == ArticleStatus.PUBLISHED and publish_at <= world.now:
                views = int(rng.lognormvariate(4, 1) * (1 + math.log1p(age_days)))
                published.append((pk, publish_at))
            created = moment - dt.timedelta(hours=rng.randint(1, 30))
            author = rng.choice(world.staff.editors)
            if rng.random() < 0.6:
                links["place"].append((pk, place.pk))
            for chosen in {agency.pk, rng.choice(world.agencies).pk}:
                links["agency"].append((pk, chosen))
            for tag in rng.sample(tag_ids, rng.randint(3, min(6, len(tag_ids)))):
                links["tag"].append((tag, article_type, pk))
            yield (
                pk, *image, title, slug, kicker, lead, body, image_alt, rng.choice(categories),
                code, status, publish_at, author, views, search_text, search_compact, created,
                moment,
            )  # fmt: skip

    summary = world.summary
    summary.copy(Table(Article, ARTICLE_COLUMNS), rows(), total=total, label="articles")
    neighbourhoods = Article.neighbourhoods.through
    agencies = Article.agencies.through
    summary.copy(
        Table(neighbourhoods, ("id", "article_id", "neighbourhood_id")),
        _numbered(next_id(neighbourhoods), links["place"]),
        total=len(links["place"]),
        label="articles: neighbourhoods",
    )
    summary.copy(
        Table(agencies, ("id", "article_id", "agency_id")),
        _numbered(next_id(agencies), links["agency"]),
        total=len(links["agency"]),
        label="articles: agencies",
    )
    summary.copy(
        Table(TaggedItem, ("id", "tag_id", "content_type_id", "object_id")),
        _numbered(next_id(TaggedItem), links["tag"]),
        total=len(links["tag"]),
        label="articles: tags",
    )
    NewsCodeCounter.objects.update_or_create(pk=1, defaults={"last_code": last_code + total})
    return published


def _numbered(first: int, rows):
    for offset, row in enumerate(rows):
        yield (first + offset, *row)


def _persian(number: int) -> str:
    from core.digits import to_persian_digits

    return to_persian_digits(number)


def _body(rng) -> str:
    blocks = [f"<p>{text}</p>" for text in rng.sample(PARAGRAPHS, rng.randint(3, 6))]
    if rng.random() < 0.4:
        blocks.insert(len(blocks) - 1, f"<h2>{rng.choice(SUBHEADINGS)}</h2>")
    return "".join(blocks)


def load_comments(world, published) -> None:
    """Comments under the published articles, threaded, in the order they were written."""
    from news.models import Comment, CommentStatus

    rng = world.rng
    total = _scaled(COMMENTS_TOTAL, world.scale)
    if not published:
        return
    popularity = [rng.lognormvariate(0, 1.2) for _ in published]
    counts = [0] * len(published)
    for index in rng.choices(range(len(published)), popularity, k=total):
        counts[index] += 1
    # Drawn per article (a reply needs an earlier approved comment of its own article), then
    # put in the order they were written, which is the order of their ids.
    drawn = []
    for (article, published_at), count in zip(published, counts, strict=True):
        moments = sorted(
            min(published_at + dt.timedelta(hours=rng.expovariate(1 / 60)), world.now)
            for _ in range(count)
        )
        approved = []
        for moment in moments:
            entry = [moment, article, None, len(drawn)]
            if approved and rng.random() < REPLY_SHARE:
                entry[2] = rng.choice(approved)
            status = _comment_status(rng, world, moment)
            entry.append(status)
            if status == CommentStatus.APPROVED:
                approved.append(len(drawn))
            drawn.append(entry)
    order = sorted(range(len(drawn)), key=lambda n: (drawn[n][0], n))
    first = next_id(Comment)
    id_of = {position: first + rank for rank, position in enumerate(order)}

    def rows():
        for position in order:
            moment, article, parent, _index, status = drawn[position]
            name = rng.choice(COMMENTER_NAMES)
            text = rng.choice(REPLIES if parent is not None else COMMENTS)
            if rng.random() < 0.3:
                text += " " + rng.choice(COMMENTS)
            email = f"reader{rng.randint(1, 99999)}@example.com" if rng.random() < 0.3 else ""
            moderated, moderator = None, None
            if status != CommentStatus.PENDING:
                moderated = min(moment + dt.timedelta(hours=rng.uniform(1, 48)), world.now)
                moderator = rng.choice(world.staff.moderators)
            parent_id = id_of[parent] if parent is not None else None
            yield (
                id_of[position], article, parent_id, name, email, text, status, moment,
                moderated, moderator,
            )  # fmt: skip

    world.summary.copy(Table(Comment, COMMENT_COLUMNS), rows(), total=total, label="comments")


def _comment_status(rng, world, moment) -> str:
    from news.models import CommentStatus

    if rng.random() < 0.06:
        return CommentStatus.REJECTED
    recent = world.now - moment < dt.timedelta(days=10)
    if rng.random() < (0.7 if recent else 0.005):
        return CommentStatus.PENDING
    return CommentStatus.APPROVED
