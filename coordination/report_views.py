"""Staff pages of the parallel-work report: the report (every program role, each within their
reach; households named by their row number only), a coordinator's verdict on a finding, the
report's export, and the coordination rules (every program role reads them, coordinators change
them)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from agencies.access import StaffAccessMixin
from agencies.models import CoordinationRules
from coordination import findings
from coordination.findings import Finding, coordination_report, rules_save
from coordination.household_findings import KIND as HOUSEHOLD_REPEAT_KIND
from coordination.models import FindingKind, Verdict
from coordination.report_forms import SECTION_CHOICES, ReportForm, ReviewForm, RulesForm
from core.exports import FORMATS, Sheet, export_response

PAGE_SIZE = 50
# Without a kind chosen, each section shows its first findings and links to the rest.
PREVIEW = 20


def _clean_query(text: str) -> str:
    """A report query string sent back by a form, re-encoded (nothing but parameters)."""
    return QueryDict(text.split("#", 1)[0]).urlencode()


def _report(request, form: ReportForm):
    values = form.values
    return coordination_report(
        user=request.user,
        period=form.period_chosen(),
        today=form.today,
        city=values.get("city"),
        domain=values.get("domain"),
    )


def report_page(request, *, query: str, failed: ReviewForm | None = None, status=200):
    """The report for the filters in *query*; *failed* is a verdict form sent with errors,
    shown again at its finding."""
    form = ReportForm(QueryDict(query) or None, user=request.user)
    report = _report(request, form)
    chosen = form.values.get("kind")
    show_justified = bool(form.values.get("justified"))
    sections = []
    for name, title in SECTION_CHOICES:
        if chosen and chosen != name:
            continue
        items = report.findings(section=name, show_justified=show_justified)
        page = None
        if chosen:
            page = Paginator(items, PAGE_SIZE).get_page(QueryDict(query).get("page"))
            shown = list(page.object_list)
        else:
            shown = items[:PREVIEW]
        sections.append(
            {
                "name": name,
                "anchor": name.replace("_", "-"),
                "title": title,
                "findings": shown,
                "total": len(items),
                "more": len(items) - len(shown) if not chosen else 0,
                "page_obj": page,
            }
        )
    base = QueryDict(query, mutable=True)
    base.pop("page", None)
    base.pop("kind", None)
    counts = report.counts  # counted once: a national year has tens of thousands of findings
    context = {
        "tab": "report",
        "filter_form": form,
        "report": report,
        "counts": counts,
        "count_cards": [(name, title, counts[name]) for name, title in SECTION_CHOICES],
        "sections": sections,
        "query": _clean_query(query),
        "query_without_kind": base.urlencode(),
        "verdict_choices": Verdict.choices,
        "failed": failed,
        "failed_key": failed.data.get("key") if failed is not None else None,
        "as_of_is_today": report.as_of < report.period.last_day(),
    }
    return render(request, "coordination/panel/report.html", context, status=status)


SHEET_HEADER = (
    "شناسهٔ یافته",
    "نوع یافته",
    "شهر",
    "محله",
    "حوزه",
    "نوع خدمت",
    "دستگاه",
    "دستگاه دیگر یا مسئول",
    "تاریخ نخست",
    "تاریخ دوم",
    "فاصله (روز)",
    "تعداد خدمت",
    "شمارهٔ خدمت‌ها",
    "دلیل ثبت‌کننده",
    "نتیجهٔ بررسی",
    "یادداشت بررسی",
    "شمارهٔ خانوار",
)


def _sheet_row(finding: Finding) -> list:
    """One finding as the cells of :data:`SHEET_HEADER` (blank where a kind has none). A
    household is named by its row number only, never by its national ID or name."""
    review = finding.review
    common = [finding.key, finding.kind_label, finding.neighbourhood.city.name]
    common.append(finding.neighbourhood.name)
    common.append(finding.domain.name)
    verdict = [review.get_verdict_display() if review else "", review.note if review else ""]
    if finding.kind == HOUSEHOLD_REPEAT_KIND:
        first, *others = (entry.agency.short_name for entry in finding.agencies)
        records = finding.records
        return [
            *common,
            "، ".join(service_type.name for service_type in finding.service_types),
            first,
            "، ".join(others),
            finding.first_day,
            finding.last_day,
            (finding.last_day - finding.first_day).days,
            len(records),
            " و ".join(str(ref.pk) for ref in records if ref.openable),
            " / ".join(finding.shown_reasons),
            *verdict,
            finding.household.pk,
        ]
    if finding.kind == FindingKind.OVERLAP:
        first, second = finding.first, finding.second
        ids = " و ".join(str(ref.pk) for ref in (first, second) if ref.openable)
        return [
            *common,
            "، ".join(service_type.name for service_type in finding.service_types),
            first.agency.short_name,
            second.agency.short_name,
            first.delivered_on,
            second.delivered_on,
            finding.days_apart,
            2,
            ids,
            finding.shown_reason,
            *verdict,
            None,
        ]
    if finding.kind == FindingKind.OUTSIDE_ROLE:
        return [
            *common,
            "",
            finding.agency.short_name,
            finding.lead.short_name,
            finding.period.first_day(),
            finding.period.last_day(),
            None,
            finding.records,
            "",
            "",
            *verdict,
            None,
        ]
    lead = finding.lead.short_name if finding.lead else ""
    return [
        *common,
        *["", lead, "", finding.last_delivered_on, None, None, None, "", ""],
        *verdict,
        None,
    ]


def report_sheet(rows) -> Sheet:
    return Sheet(
        title="کار موازی و خلأها",
        header=SHEET_HEADER,
        rows=(_sheet_row(finding) for finding in rows),
    )


class ReportView(StaffAccessMixin, View):
    http_method_names = ["get"]

    def get(self, request):
        return report_page(request, query=request.GET.urlencode())


class ReviewView(StaffAccessMixin, View):
    """A coordinator's verdict; back to the same view of the report, at the finding. Bad input
    shows the report again (400) with the errors at the finding and nothing saved."""

    needs = "manage_province"
    http_method_names = ["post"]

    def post(self, request):
        form = ReviewForm(request.POST)
        query = _clean_query(request.POST.get("query", ""))
        if form.is_valid():
            period_form = ReportForm(QueryDict(query) or None, user=request.user)
            as_of = findings.report_as_of(period_form.period_chosen(), period_form.today)
            data = form.cleaned_data
            try:
                review = findings.finding_review(
                    key=data["key"],
                    kind=data["kind"],
                    verdict=data["verdict"],
                    note=data["note"],
                    user=request.user,
                    as_of=as_of,
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in ("verdict", "note") else None, errors)
            else:
                messages.success(request, f"بررسی ذخیره شد: «{review.get_verdict_display()}».")
                anchor = "finding-" + review.key.replace(":", "-")
                url = reverse("coordination_panel:report")
                return HttpResponseRedirect(
                    f"{url}?{query}#{anchor}" if query else f"{url}#{anchor}"
                )
        return report_page(request, query=query, failed=form, status=400)


class ReportExportView(StaffAccessMixin, View):
    """The report's findings as XLSX or CSV: the same filters, the same rows as the page."""

    http_method_names = ["get"]

    def load(self, *, fmt):
        if fmt not in FORMATS:
            raise Http404("no such export")

    def get(self, request, *, fmt):
        form = ReportForm(request.GET or None, user=request.user)
        report = _report(request, form)
        rows = report.findings(
            section=form.values.get("kind") or None,
            show_justified=bool(form.values.get("justified")),
        )
        filename = f"coordination-report-{report.period.slug}"
        return export_response(report_sheet(rows), fmt=fmt, filename=filename)


class RulesView(StaffAccessMixin, FormView):
    """The coordination rules: every program role reads them; only coordinators save them."""

    template_name = "coordination/panel/rules.html"
    form_class = RulesForm

    def need_for(self, method: str) -> str:
        return "see" if method in ("GET", "HEAD", "OPTIONS") else "manage_province"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = CoordinationRules.current()
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.scope.manages_province:
            for field in form.fields.values():
                field.disabled = True
        return form

    def get_context_data(self, **kwargs):
        rules = CoordinationRules.objects.order_by("pk").first()
        history = []
        if rules is not None:
            history = list(
                rules.history.select_related("history_user").order_by("-history_date")[:10]
            )
        return super().get_context_data(tab="report", history=history, **kwargs)

    def form_valid(self, form):
        try:
            rules_save(rules=form.instance, user=self.request.user)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, "قاعده‌های هماهنگی ذخیره شد.")
        return HttpResponseRedirect(reverse("coordination_panel:rules"))
