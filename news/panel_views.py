"""Staff panel for news: editors write, preview and publish articles; moderators clear the
comment queue.  Who is an editor or a moderator (the «ویراستار خبر» and «ناظر نظرها» groups of
news/roles.py) is asked of the scope, like every right (agencies/access.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView, ListView

from agencies.access import StaffAccessMixin
from core.digits import parse_row_number, to_persian_digits
from core.pagination import ForgivingPaginationMixin
from core.text import compact_key
from news.forms import ArticleForm, ModerationForm
from news.models import Article, ArticleStatus, Comment
from news.services import article_save, comments_moderate

PANEL_PAGE_SIZE = 25
QUEUE_PAGE_SIZE = 50


class ArticleListView(ForgivingPaginationMixin, StaffAccessMixin, ListView):
    """Every article, drafts and scheduled ones included, newest first."""

    needs = "edit_news"
    template_name = "news/panel/article_list.html"
    context_object_name = "articles"
    paginate_by = PANEL_PAGE_SIZE

    def get_queryset(self):
        articles = (
            Article.objects.select_related("category")
            .annotate(pending_comments=Count("comments", filter=Q(comments__status="pending")))
            .order_by("-created_at", "-news_code")
        )
        self.status = self.request.GET.get("status", "")
        if self.status in ArticleStatus.values:
            articles = articles.filter(status=self.status)
        self.query = (self.request.GET.get("q") or "").strip()[:100]
        if self.query:
            key = compact_key(self.query)
            if key.isascii() and key.isdigit():
                # A number is a news code: editors read codes to each other over the phone.
                articles = articles.filter(news_code=int(key[:18]))
                self.query = to_persian_digits(key)
            else:
                articles = articles.filter(search_compact__contains=key)
        return articles

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=ArticleStatus.choices, status=self.status, query=self.query, **kwargs
        )


class ArticleFormMixin(StaffAccessMixin):
    needs = "edit_news"
    template_name = "news/panel/article_form.html"
    form_class = ArticleForm
    article = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.article
        return kwargs

    def form_valid(self, form):
        article = form.save(commit=False)
        try:
            article_save(
                article=article,
                user=self.request.user,
                tags=form.cleaned_data["tags"],
                neighbourhoods=form.cleaned_data["neighbourhoods"],
                agencies=form.cleaned_data["agencies"],
                **form.image_changes,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message(article))
        if "preview" in self.request.POST:
            return redirect("news_panel:preview", pk=article.pk)
        return redirect("news_panel:edit", pk=article.pk)

    def saved_message(self, article) -> str:
        code = to_persian_digits(article.news_code)
        if article.is_scheduled:
            return f"خبر با کد {code} ذخیره شد و در زمان تعیین‌شده منتشر می‌شود."
        if article.is_live:
            return f"خبر با کد {code} ذخیره و منتشر شد."
        return f"پیش‌نویس خبر با کد {code} ذخیره شد."

    def get_context_data(self, **kwargs):
        return super().get_context_data(article=self.article, **kwargs)


class ArticleCreateView(ArticleFormMixin, FormView):
    pass


class ArticleUpdateView(ArticleFormMixin, FormView):
    def load(self, **kwargs):
        self.article = get_object_or_404(Article, pk=kwargs["pk"])


class ArticlePreviewView(StaffAccessMixin, DetailView):
    """The article as readers will see it, drafts and scheduled ones included."""

    needs = "edit_news"
    template_name = "news/panel/article_preview.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.select_related("category").prefetch_related(
            "tags", "neighbourhoods__city", "agencies"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(tags=list(self.object.tags.all()), **kwargs)


class CommentQueueView(ForgivingPaginationMixin, StaffAccessMixin, ListView):
    """Pending comments with their articles; approve or reject one, or many at once."""

    needs = "moderate"
    template_name = "news/panel/comment_queue.html"
    context_object_name = "comments"
    paginate_by = QUEUE_PAGE_SIZE

    def get_queryset(self):
        return Comment.objects.moderation_queue()

    def post(self, request, *args, **kwargs):
        single = _single_decision(request.POST)
        if single is not None:
            comment_id, approve = single
            comments = Comment.objects.pending().filter(pk=comment_id)
        else:
            form = ModerationForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return self._back()
            comments, approve = form.cleaned_data["comments"], form.approve
        changed = comments_moderate(comments=comments, approve=approve, user=request.user)
        if changed:
            verb = "تأیید" if approve else "رد"
            messages.success(request, f"{to_persian_digits(changed)} نظر {verb} شد.")
        else:
            messages.warning(request, "این نظر پیش‌تر بررسی شده بود.")
        return self._back()

    def _back(self):
        page = self.request.POST.get("page")
        url = reverse("news_panel:comments")
        return HttpResponseRedirect(f"{url}?page={page}" if page and page.isdigit() else url)


def _single_decision(data):
    """``(comment_id, approve)`` from a per-row button, or ``None`` for a bulk action."""
    for name, approve in (("approve_one", True), ("reject_one", False)):
        comment_id = parse_row_number(data.get(name, ""))
        if comment_id is not None:
            return comment_id, approve
    return None
