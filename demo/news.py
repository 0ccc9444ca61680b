"""Demo news: categories, about thirty articles (two scheduled, one draft), comments with a
reply thread, the editor and moderator groups, and with ``with_users`` the demo users
"editor" and "moderator".  Running it again creates nothing new.

Most articles get a main image: an illustration painted by the exhibition's demo painter and
then cleaned and resized through ``core.images`` like any upload.

Every article, comment and user made here is marked as a demo row (demo/models.py), and so is
every tag that did not exist before; the categories and the two groups are reference data.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from taggit.models import Tag

from agencies.access import SYSTEM
from agencies.models import Agency
from core.images import clean_image_upload
from demo import news_articles as content
from demo.images import paint
from demo.models import DemoRow
from neighbourhoods.models import Neighbourhood
from news.models import Article, ArticleStatus, Category, Comment, CommentStatus
from news.reference import load_categories
from news.roles import EDITOR_GROUP, MODERATOR_GROUP, ensure_groups
from news.services import article_save

DEMO_PASSWORD = "mahalleh-1405"  # noqa: S105 - printed for demo users in development
NO_PLACE = "یکی از محله‌های هدف"


def seed(*, with_users: bool, stdout) -> str:
    """Create whatever demo news is missing and report what was created."""
    groups = ensure_groups()
    categories = _categories()
    places = {
        place.code: place
        for place in Neighbourhood.objects.filter(is_demo=True, code__startswith="DEMO-")
    }
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    now = timezone.now()
    by_index, created = {}, 0
    # Oldest first, so news codes grow with the publish dates as they would have in real life.
    oldest_first = sorted(enumerate(content.ARTICLES), key=lambda pair: -pair[1]["days"])
    for index, item in oldest_first:
        publish_at = _moment(now, item["days"], item["hour"])
        article, was_created = _article(item, categories, places, agencies, publish_at=publish_at)
        by_index[index] = article
        created += was_created
    _article(content.DRAFT, categories, places, agencies, publish_at=None)
    comments = _comments([by_index[index] for index in range(len(content.ARTICLES))])
    if with_users:
        _users(groups, stdout)
    return f"{created} articles, {comments} comments created"


def _categories() -> dict[str, Category]:
    load_categories()
    return {category.slug: category for category in Category.objects.all()}


def _moment(now, days: int, hour: int) -> datetime.datetime:
    local = timezone.localtime(now) - datetime.timedelta(days=days)
    return local.replace(hour=hour, minute=(days * 7) % 60, second=0, microsecond=0)


def _article(item, categories, places, agencies, *, publish_at):
    place = places.get(item["place"]) if item["place"] else None
    name = place.name if place else NO_PLACE
    title = item["title"].format(n=name)
    existing = Article.objects.filter(title=title).first()
    if existing is not None:
        return existing, False
    tags_before = set(Tag.objects.filter(name__in=item["tags"]).values_list("pk", flat=True))
    body = "".join(
        f"<h2>{block[1]}</h2>" if isinstance(block, tuple) else f"<p>{block.format(n=name)}</p>"
        for block in item["body"]
    )
    article = Article(
        title=title,
        kicker=item["kicker"],
        lead=item["lead"].format(n=name),
        body=body,
        category=categories[item["category"]],
        status=ArticleStatus.PUBLISHED if publish_at else ArticleStatus.DRAFT,
        publish_at=publish_at,
    )
    image = _illustration(item.get("image"), seed=len(title))
    if image is not None:
        article.image_alt = content.IMAGE_ALT[item["image"][0]]
    article_save(
        article=article,
        user=SYSTEM,
        tags=item["tags"],
        neighbourhoods=[place] if place else [],
        agencies=[agencies[slug] for slug in item["agencies"] if slug in agencies],
        image=image,
    )
    new_tags = [tag for tag in article.tags.all() if tag.pk not in tags_before]
    DemoRow.objects.mark([article, *new_tags])
    return article, True


def _illustration(motif, *, seed: int):
    """A painted demo picture, cleaned like any upload."""
    if motif is None:
        return None
    name, variant = motif
    data = paint(name, variant=variant, seed=seed)
    return clean_image_upload(SimpleUploadedFile(f"{name}.jpg", data, content_type="image/jpeg"))


def _comments(articles) -> int:
    """Comments and a reply thread under a few articles, only where none exist yet."""
    done = set(
        Comment.objects.filter(article__in=articles).values_list("article_id", flat=True).distinct()
    )
    made: dict[int, Comment] = {}
    created = 0
    for index, (article_index, name, text, approved, answers) in enumerate(content.COMMENTS):
        article = articles[article_index]
        if article.pk in done:
            continue
        written = (article.publish_at or timezone.now()) + datetime.timedelta(hours=2 + index)
        made[index] = comment = Comment.objects.create(
            article=article,
            parent=made.get(answers) if answers is not None else None,
            name=name,
            text=text,
            status=CommentStatus.APPROVED if approved else CommentStatus.PENDING,
            created_at=min(written, timezone.now()),
        )
        DemoRow.objects.mark([comment])
        created += 1
    return created


def _users(groups, stdout) -> None:
    """The demo editor and moderator, printed with their password; development only."""
    User = get_user_model()
    stdout.write("Demo news users (development only), password: " + DEMO_PASSWORD)
    for username, title, group in [
        ("editor", "ویراستار خبر", groups[EDITOR_GROUP]),
        ("moderator", "ناظر نظرها", groups[MODERATOR_GROUP]),
    ]:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": title}
        )
        if created:
            DemoRow.objects.mark([user])
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.add(group)
        stdout.write(f"  {username:<14} {title}")
