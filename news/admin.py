"""The Django admin for news: articles, categories and comments, in Persian.

Dates are shown in the Jalali calendar and numbers in Persian digits, as everywhere else;
articles are saved and deleted through the services, so the admin cannot skip sanitising, the
news code or the image rules.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from taggit.admin import TagAdmin, TaggedItemInline
from taggit.models import Tag

from agencies.access import scope_for
from core.admin import (
    PersianAdminMixin,
    PersianModelAdmin,
    PublicContentAdminMixin,
    model_label,
)
from core.digits import to_latin_digits, to_persian_digits
from core.jalali import format_datetime
from news.forms import ArticleAdminForm
from news.models import Article, Category, Comment
from news.services import article_delete, article_save, comments_moderate


@admin.register(Category)
class CategoryAdmin(PublicContentAdminMixin, PersianModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(PersianModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "code", "category", "status", "published", "views"]
    list_filter = ["status", "category", "publish_at", "agencies"]
    search_fields = ["title", "kicker", "lead", "=news_code"]
    readonly_fields = ["code", "views", "created", "updated"]
    autocomplete_fields = ["neighbourhoods"]
    list_select_related = ["category"]
    fieldsets = [
        (None, {"fields": ["kicker", "title", "lead", "body"]}),
        (
            "تصویر اصلی",
            {"fields": ["image_upload", "image_consent", "image_alt", "remove_image"]},
        ),
        ("دسته و برچسب", {"fields": ["category", "tags"]}),
        ("انتشار", {"fields": ["status", "publish_at", "slug", "code"]}),
        ("پیوند به محله‌ها و دستگاه‌ها", {"fields": ["neighbourhoods", "agencies"]}),
        ("آمار", {"fields": ["views", "created", "updated"]}),
    ]

    @admin.display(description="کد خبر", ordering="news_code")
    def code(self, obj):
        return to_persian_digits(obj.news_code)

    @admin.display(description="زمان انتشار", ordering="publish_at")
    def published(self, obj):
        return format_datetime(obj.publish_at) or "—"

    @admin.display(description="بازدید", ordering="view_count")
    def views(self, obj):
        return to_persian_digits(obj.view_count)

    @admin.display(description="زمان ایجاد")
    def created(self, obj):
        return format_datetime(obj.created_at)

    @admin.display(description="آخرین ویرایش")
    def updated(self, obj):
        return format_datetime(obj.updated_at)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "agencies":
            # Four agencies: tick boxes read better than the two-list picker.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The admin saves tags and links itself afterwards (save_related).
        article_save(article=obj, user=request.user, **form.image_changes)

    def delete_model(self, request, obj):
        article_delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_delete(article=article, user=request.user)

    def get_search_results(self, request, queryset, search_term):
        term = to_latin_digits(search_term).strip()
        if term.isascii() and term.isdigit() and len(term) <= 18:
            # A number is a news code, as in the panel: "12" must not find every article
            # whose text happens to contain a 12.
            return queryset.filter(news_code=int(term)), False
        return super().get_search_results(request, queryset, term)


@admin.register(Comment)
class CommentAdmin(PublicContentAdminMixin, PersianModelAdmin):
    list_display = ["name", "short_text", "article", "status", "written"]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "email", "text", "article__title"]
    list_select_related = ["article"]
    raw_id_fields = ["article", "parent"]
    readonly_fields = ["written", "moderated", "moderated_by"]
    exclude = ["created_at", "moderated_at"]
    actions = ["approve", "reject"]

    @admin.display(description="متن نظر")
    def short_text(self, obj):
        return obj.excerpt

    @admin.display(description="زمان ارسال", ordering="created_at")
    def written(self, obj):
        return format_datetime(obj.created_at)

    @admin.display(description="زمان بررسی")
    def moderated(self, obj):
        return format_datetime(obj.moderated_at) or "—"

    @admin.action(description="تأیید نظرهای انتخاب‌شده", permissions=["moderate"])
    def approve(self, request, queryset):
        changed = comments_moderate(comments=queryset, approve=True, user=request.user)
        self.message_user(request, f"{to_persian_digits(changed)} نظر تأیید شد.", messages.SUCCESS)

    @admin.action(description="رد نظرهای انتخاب‌شده", permissions=["moderate"])
    def reject(self, request, queryset):
        changed = comments_moderate(comments=queryset, approve=False, user=request.user)
        self.message_user(request, f"{to_persian_digits(changed)} نظر رد شد.", messages.SUCCESS)

    def has_moderate_permission(self, request):
        return scope_for(request.user).moderates_comments


class TaggedArticleInline(TaggedItemInline):
    """The articles a tag is on; the kind of row is always an article (taggit's own lists
    every table of the portal, by their English names)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "content_type":
            field.queryset = ContentType.objects.filter(
                pk=ContentType.objects.get_for_model(Article).pk
            )
            field.label_from_instance = lambda content_type: model_label(content_type.model_class())
        return field


# taggit's own admin, made to tell the page cache when a tag is renamed or removed. Its
# «merge tags» action is left out: its pages are in English and it writes past the page cache.
admin.site.unregister(Tag)


@admin.register(Tag)
class NewsTagAdmin(PublicContentAdminMixin, PersianAdminMixin, TagAdmin):
    inlines = [TaggedArticleInline]
    actions = []

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)
