"""Public news pages: the list, an article with its comments, tags, search, print, short link."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, RedirectView, TemplateView
from taggit.models import Tag

from agencies.models import Agency
from core.clients import client_key
from core.pagination import ForgivingPaginationMixin
from neighbourhoods.models import Neighbourhood
from news import ratelimit, search, view_counts
from news.forms import CommentForm
from news.models import Article, Category, Comment
from news.services import CommentRateLimited, comment_submit
from news.threads import build_threads

PAGE_SIZE = 12
RATE_LIMIT_MESSAGE = (
    "از این نشانی در چند دقیقهٔ گذشته نظرهای زیادی فرستاده شده است. "
    "لطفاً کمی بعد دوباره بفرستید؛ متن شما در فرم مانده است."
)
COMMENT_FIELDS = ("name", "email", "text", "parent")


class ArticleListView(ForgivingPaginationMixin, ListView):
    paginate_by = PAGE_SIZE
    template_name = "news/index.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.category = None
        slug = self.request.GET.get("category")
        articles = Article.objects.published().for_cards()
        if slug:
            self.category = get_object_or_404(Category, slug=slug)
            articles = articles.in_category(self.category)
        return articles

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["categories"] = list(Category.objects.all())
        context["category"] = self.category
        return context


class TagView(ForgivingPaginationMixin, ListView):
    paginate_by = PAGE_SIZE
    template_name = "news/tag.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().tagged(self.tag).for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A tag used only by drafts or scheduled articles must not reveal what is coming.
        if context["paginator"].count == 0:
            raise Http404("no published article has this tag")
        context["tag"] = self.tag
        return context


class SearchView(ForgivingPaginationMixin, ListView):
    paginate_by = PAGE_SIZE
    template_name = "news/search.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.query = (self.request.GET.get("q") or "").strip()[:100]
        return Article.objects.published().select_related("category").search(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["articles"])
        search.mark_results(articles, self.query)  # the found words in <mark>, escaped
        context.update(
            query=self.query,
            articles=articles,
            near_only=bool(articles) and not articles[0].exact_match,
        )
        return context


def _live_article(code: int):
    """The published article with this news code, with everything its page shows."""
    articles = (
        Article.objects.published()
        .select_related("category")
        .prefetch_related(
            "tags",
            Prefetch("neighbourhoods", queryset=Neighbourhood.objects.select_related("city")),
            Prefetch("agencies", queryset=Agency.objects.order_by("order")),
        )
    )
    return get_object_or_404(articles, news_code=code)


class ArticleDetailView(TemplateView):
    """An article, its related news, its comment threads and the comment form."""

    template_name = "news/detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.article = _live_article(kwargs["code"])
        if kwargs["slug"] != (self.article.slug or "-") and request.method in ("GET", "HEAD"):
            query = request.META.get("QUERY_STRING")
            target = self.article.get_absolute_url() + (f"?{query}" if query else "")
            return HttpResponseRedirect(target, status=301)
        self.comments = list(Comment.objects.thread_of(self.article))
        self.comments_by_id = {comment.pk: comment for comment in self.comments}
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        count_view(request, code=self.article.news_code)
        # The plain address, read anonymously, is the page a crowd arrives at: it is built to be
        # shared from the cache, its form without the visitor's CSRF token and captcha, which
        # static/js/comments.js fetches (/captcha/refresh/) when the form comes into view.
        # Any query (?reply_to=, ?sent=1, ?comment=1: the links that work without JavaScript)
        # gets the form filled in for this visitor, and that page is never cached.
        shared = not request.GET and not request.user.is_authenticated
        reply_to = self._comment_from(request.GET.get("reply_to"))
        form = self._form(initial={"parent": reply_to.pk if reply_to else None}, shared=shared)
        return self.render_to_response(
            self.get_context_data(form=form, sent=request.GET.get("sent") == "1", shared=shared)
        )

    def post(self, request, *args, **kwargs):
        client = client_key(request)
        if "captcha_refresh" in request.POST:
            # Without JavaScript the "another picture" button posts the form: keep what was
            # typed, show a new captcha, report no errors.
            return self._render_again(self._form_keeping(request.POST))
        form = self._form(data=request.POST)
        if form.is_spam:
            return redirect(self._sent_url())
        if ratelimit.is_limited(client):
            return self._refused(request.POST)
        if not form.is_valid():
            return self._render_again(form)
        try:
            comment_submit(
                article=self.article,
                parent=form.cleaned_data["parent"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                text=form.cleaned_data["text"],
                client=client,
            )
        except CommentRateLimited:
            return self._refused(request.POST)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self._render_again(form)
        return redirect(self._sent_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.article
        tags = list(article.tags.all())
        form = context["form"]
        parent_id = form["parent"].value()
        context.update(
            article=article,
            tags=tags,
            related=list(Article.objects.related_to(article, [tag.pk for tag in tags])),
            threads=build_threads(self.comments),
            comment_count=len(self.comments),
            reply_to=self._comment_from(parent_id),
            view_count=article.view_count + view_counts.pending_views(article.news_code),
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
            short_url=self.request.build_absolute_uri(article.get_short_url()),
            og_image=(
                self.request.build_absolute_uri(article.fallback_url(1280))
                if article.has_image
                else ""
            ),
        )
        return context

    def _comment_from(self, value):
        try:
            return self.comments_by_id.get(int(value))
        except (TypeError, ValueError):
            return None

    def _form(self, **kwargs):
        return CommentForm(parent_choices=self.comments_by_id, **kwargs)

    def _form_keeping(self, data, message=None):
        """An unbound form showing what was typed, reporting only *message* (if any).

        Used where the form must not be validated: validating would spend the captcha and
        report errors the reader did not cause.
        """
        form = self._form(initial={field: data.get(field, "") for field in COMMENT_FIELDS})
        form.cleaned_data = {}
        if message:
            form.add_error(None, message)
        return form

    def _render_again(self, form, status=200):
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = status
        return response

    def _refused(self, data):
        return self._render_again(self._form_keeping(data, RATE_LIMIT_MESSAGE), status=429)

    def _sent_url(self) -> str:
        return f"{self.article.get_absolute_url()}?sent=1#comment-form"


def count_view(request, *, code, **kwargs) -> None:
    """Count a reader's view of the article with news code *code*, in the cache only; also
    called by the page cache for a visit it answers (news/urls.py), without the database."""
    view_counts.record_view(code, client_key(request))


class ArticlePrintView(DetailView):
    """The article alone, for paper: no menus, comments or related news."""

    template_name = "news/print.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return _live_article(self.kwargs["code"])


class ShortLinkView(RedirectView):
    """``/n/<code>/`` leads to the article's full address."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        article = get_object_or_404(
            Article.objects.published().only("news_code", "slug"), news_code=kwargs["code"]
        )
        return article.get_absolute_url()
