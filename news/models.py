"""News of the program: categories, articles with a news code, and moderated comments.

Writes with rules (sanitising the body, handing out the news code, submitting and moderating
comments) live in ``news/services.py``; the lists every page, feed and sitemap shows are the
named QuerySet methods below.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from core.images import ImageWithRenditions
from news import search


class Category(models.Model):
    name = models.CharField("نام", max_length=60, unique=True)
    slug = models.SlugField(
        "شناسه",
        max_length=60,
        unique=True,
        help_text="با حروف لاتین، رقم و خط تیره؛ در نشانی صفحه به کار می‌رود.",
    )
    order = models.PositiveSmallIntegerField("ترتیب", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "دستهٔ خبر"
        verbose_name_plural = "دسته‌های خبر"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('news:index')}?category={self.slug}"


class NewsCodeCounter(models.Model):
    """The one row that remembers the last news code handed out.

    Codes come from this counter rather than from ``max(news_code) + 1`` so that deleting the
    newest article never makes its code available again; ``services.next_news_code`` bumps it
    with a row-locking UPDATE, which also serialises concurrent creations on PostgreSQL.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_code = models.PositiveBigIntegerField("آخرین کد خبر", default=0)

    class Meta:
        verbose_name = "شمارندهٔ کد خبر"
        verbose_name_plural = "شمارندهٔ کد خبر"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="news_code_counter_single")]

    def __str__(self):
        return str(self.last_code)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    PUBLISHED = "published", "منتشرشده"


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """Articles a reader may see: published, and their publish time has come.

        A published article with a future ``publish_at`` is scheduled; it shows up by itself
        once the clock passes that time, with no job to flip a flag.
        """
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__lte=at or timezone.now())

    def scheduled(self, *, at=None):
        """Published articles whose time has not come yet."""
        return self.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=at or timezone.now())

    def next_publish_at(self, now):
        """When the next scheduled article goes live (``None`` if none is scheduled)."""
        return (
            self.scheduled(at=now)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )

    def about_neighbourhood(self, neighbourhood):
        return self.filter(neighbourhoods=neighbourhood)

    def about_agency(self, agency):
        return self.filter(agencies=agency)

    def in_category(self, category):
        return self.filter(category=category)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def for_cards(self):
        """What a list card shows (category, main image) without a query per card."""
        return (
            self.select_related("category")
            .defer("body", "search_text", "search_compact")
            .order_by("-publish_at", "-news_code")
        )

    def search(self, query: str):
        """Match *query* in title, kicker, lead and body, ignoring Persian spelling variants."""
        return search.filter_articles(self, query)

    def related_to(self, article, tag_ids, *, limit=4):
        """Published articles sharing the most tags with *article*, newest first on a tie."""
        if not tag_ids:
            return self.none()
        return (
            self.published()
            .filter(tags__in=tag_ids)
            .exclude(pk=article.pk)
            .annotate(shared_tags=Count("tags"))
            .defer("body", "search_text", "search_compact")
            .order_by("-shared_tags", "-publish_at")[:limit]
        )


class Article(ImageWithRenditions):
    IMAGE_FOLDER = "news"

    title = models.CharField("تیتر", max_length=200)
    slug = models.SlugField(
        "نامک",
        max_length=120,
        allow_unicode=True,
        blank=True,
        help_text="بخش خوانای نشانی خبر؛ اگر خالی بماند از تیتر ساخته می‌شود.",
    )
    kicker = models.CharField("روتیتر", max_length=150, blank=True)
    lead = models.TextField("لید", max_length=600)
    body = models.TextField("متن خبر")
    image_alt = models.CharField(
        "شرح تصویر",
        max_length=200,
        blank=True,
        help_text="برای کسانی که تصویر را نمی‌بینند؛ نام افراد و نشانی خانه‌ها را ننویسید.",
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name="دسته"
    )
    tags = TaggableManager("برچسب‌ها", blank=True, help_text="برچسب‌ها را با ویرگول جدا کنید.")
    news_code = models.PositiveBigIntegerField("کد خبر", unique=True, editable=False)
    status = models.CharField(
        "وضعیت", max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    publish_at = models.DateTimeField(
        "زمان انتشار",
        null=True,
        blank=True,
        help_text="زمانی در آینده یعنی انتشار زمان‌بندی‌شده؛ خالی یعنی همین حالا.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_articles",
        verbose_name="نویسنده",
    )
    neighbourhoods = models.ManyToManyField(
        "neighbourhoods.Neighbourhood",
        blank=True,
        related_name="news_articles",
        verbose_name="محله‌ها",
    )
    agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="news_articles", verbose_name="دستگاه‌ها"
    )
    view_count = models.PositiveIntegerField("بازدید", default=0, editable=False)
    # Normalised copies of the text for search (see news/search.py); never shown.
    search_text = models.TextField(editable=False, default="")
    search_compact = models.TextField(editable=False, default="")
    created_at = models.DateTimeField("زمان ایجاد", auto_now_add=True)
    updated_at = models.DateTimeField("آخرین ویرایش", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-news_code"]
        verbose_name = "خبر"
        verbose_name_plural = "اخبار"
        indexes = [
            models.Index(fields=["status", "publish_at"], name="news_article_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="news_article_published_has_time",
                violation_error_message="خبر منتشرشده باید زمان انتشار داشته باشد.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"code": self.news_code, "slug": self.slug or "-"})

    def get_short_url(self):
        return reverse("news_short", kwargs={"code": self.news_code})

    def get_print_url(self):
        return reverse("news:print", kwargs={"code": self.news_code, "slug": self.slug or "-"})

    @property
    def is_live(self) -> bool:
        """Whether readers can see the article right now."""
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )


class CommentStatus(models.TextChoices):
    PENDING = "pending", "در انتظار بررسی"
    APPROVED = "approved", "تأییدشده"
    REJECTED = "rejected", "ردشده"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=CommentStatus.APPROVED)

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)

    def thread_of(self, article):
        """Approved comments of *article* in the order they were written, ready for threads."""
        return self.approved().filter(article=article).order_by("created_at", "id")

    def moderation_queue(self):
        """Pending comments, oldest first, with the article each belongs to."""
        return (
            self.pending()
            .select_related("article", "parent")
            .only(
                "id",
                "name",
                "email",
                "text",
                "status",
                "created_at",
                "article__id",
                "article__title",
                "article__news_code",
                "article__slug",
                "parent__id",
                "parent__name",
                "parent__text",
            )
            .order_by("created_at", "id")
        )


class Comment(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name="خبر"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="در پاسخ به",
        help_text="نظری که این نظر به آن پاسخ می‌دهد.",
    )
    name = models.CharField("نام", max_length=60)
    email = models.EmailField("ایمیل", blank=True, help_text="هرگز نمایش داده نمی‌شود.")
    text = models.TextField("متن نظر", max_length=1500)
    status = models.CharField(
        "وضعیت",
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField("زمان ارسال", default=timezone.now)
    moderated_at = models.DateTimeField("زمان بررسی", null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="بررسی‌کننده",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "نظر"
        verbose_name_plural = "نظرها"
        permissions = [("moderate_comment", "بررسی، تأیید و رد نظرها")]
        indexes = [
            models.Index(
                fields=["article", "status", "created_at"], name="news_comment_thread_idx"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.excerpt}"

    @property
    def excerpt(self) -> str:
        """The first words of the comment, for «در حال پاسخ به نظر «…»» and the queue."""
        words = self.text.split()
        short = " ".join(words[:12])
        return short if len(words) <= 12 else f"{short}…"
