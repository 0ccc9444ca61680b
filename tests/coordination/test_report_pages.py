"""The report's pages: what a coordinator and a clerk read, a verdict given and refused, the
export against the page, the rules page, and the page's cost at two sizes."""

import csv
import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agencies.models import CoordinationRules
from coordination.findings import coordination_report, headline
from coordination.models import FindingReview, Responsibility, Verdict
from core.jalali import format_date
from core.periods import Period
from tests.coordination.test_findings import WINDOW, build_world, day, key_of
from tests.factories import StaffRole, make_user

pytestmark = pytest.mark.django_db

REPORT = reverse("coordination_panel:report")
REVIEW = reverse("coordination_panel:review")
RULES = reverse("coordination_panel:rules")
YEAR_QUERY = "period=year&year=1404"
REASON = "خانوارهای کوچهٔ دوم در نوبت هلال نبودند"


@pytest.fixture
def world():
    """Emdad's visit on 1404/03/01 and Helal's on 1404/03/04 in Zarrin, Helal's saved with a
    reason: one overlap; Helal leads health there, so Emdad's visit is outside its role."""
    world = build_world()
    Responsibility.objects.create(neighbourhood=world.zarrin, domain=world.health, lead=world.helal)
    world.emdad_visit = world.record(world.emdad, day(3, 1))
    world.helal_visit = world.record(world.helal, day(3, 4), parallel_reason=REASON)
    world.key = key_of(world.emdad_visit, world.helal_visit)
    world.coordinator = make_user(role=StaffRole.COORDINATOR)
    world.clerk = make_user(role=StaffRole.AGENCY_STAFF, agency=world.emdad)
    return world


def _review(client, world, **data):
    data = {"key": world.key, "kind": "overlap", "query": YEAR_QUERY, **data}
    return client.post(REVIEW, data)


def test_the_coordinator_reads_the_overlap_with_dates_links_and_reason(client, world):
    client.force_login(world.coordinator)
    page = client.get(REPORT, {"period": "year", "year": 1404}).content.decode()
    detail = reverse("agencies_panel:detail", args=[world.helal_visit.pk])
    assert all(
        part in page
        for part in (
            f'id="finding-overlap-{world.emdad_visit.pk}-{world.helal_visit.pk}"',
            format_date(world.emdad_visit.delivered_on),
            format_date(world.helal_visit.delivered_on),
            f'href="{detail}"',
            f"دلیل ثبت‌کننده: {REASON}",
            "۳ روز",
        )
    )


def test_a_clerk_reads_her_findings_without_the_other_agencys_link_or_reason(client, world):
    client.force_login(world.clerk)
    page = client.get(REPORT, {"period": "year", "year": 1404}).content.decode()
    own = reverse("agencies_panel:detail", args=[world.emdad_visit.pk])
    other = reverse("agencies_panel:detail", args=[world.helal_visit.pk])
    assert (own in page, other in page, REASON in page, "ذخیرهٔ بررسی" in page) == (
        True,
        False,
        False,
        False,
    )


def test_a_clerk_cannot_review(client, world):
    client.force_login(world.clerk)
    assert _review(client, world, verdict=Verdict.JUSTIFIED).status_code == 403
    assert not FindingReview.objects.exists()


def test_a_verdict_leads_back_to_the_same_report_at_the_finding(client, world):
    client.force_login(world.coordinator)
    response = _review(client, world, verdict=Verdict.TO_RESOLVE, note="با هلال هماهنگ شود")
    anchor = f"finding-overlap-{world.emdad_visit.pk}-{world.helal_visit.pk}"
    assert response.url == f"{REPORT}?{YEAR_QUERY}#{anchor}"
    page = client.get(response.url).content.decode()
    assert "بررسی ذخیره شد: «باید رفع شود»." in page and "با هلال هماهنگ شود" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"verdict": Verdict.TO_RESOLVE, "note": ""}, "بنویسید چه باید کرد"),
        ({"verdict": Verdict.JUSTIFIED, "note": "ی" * 1001}, "حداکثر ۱۰۰۰ نویسه"),
        ({"verdict": ""}, "نتیجهٔ بررسی را انتخاب کنید."),
        ({"verdict": Verdict.JUSTIFIED, "key": "overlap:1:999999"}, "دیگر در گزارش نیست"),
    ],
)
def test_bad_review_input_is_a_persian_error_and_nothing_is_saved(client, world, data, message):
    client.force_login(world.coordinator)
    response = _review(client, world, **data)
    assert (response.status_code, message in response.content.decode()) == (400, True)
    assert not FindingReview.objects.exists()


def test_a_justified_finding_is_hidden_unless_asked_for(client, world):
    client.force_login(world.coordinator)
    _review(client, world, verdict=Verdict.JUSTIFIED)
    anchor = f'id="finding-overlap-{world.emdad_visit.pk}-{world.helal_visit.pk}"'
    hidden = client.get(REPORT, {"period": "year", "year": 1404}).content.decode()
    shown = client.get(REPORT, {"period": "year", "year": 1404, "justified": "on"})
    assert (anchor in hidden, anchor in shown.content.decode()) == (False, True)


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


@pytest.mark.parametrize("role", ["coordinator", "clerk"])
def test_the_export_rows_are_the_reports_findings(client, world, role):
    user = getattr(world, role)
    client.force_login(user)
    response = client.get(reverse("coordination_panel:export", args=["csv"]), {"year": 1404})
    report = coordination_report(user=user, period=Period.of_year(1404), today=timezone.localdate())
    assert [row[0] for row in _csv_rows(response)] == [f.key for f in report.findings()]


def test_the_xlsx_export_is_a_workbook(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("coordination_panel:export", args=["xlsx"]))
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_a_viewer_reads_the_rules_and_a_coordinator_changes_them(client, world):
    viewer = make_user(role=StaffRole.VIEWER)
    client.force_login(viewer)
    assert (client.get(RULES).status_code, client.post(RULES, {}).status_code) == (200, 403)
    client.force_login(world.coordinator)
    data = {
        "window_days": 5,
        "same_domain": "on",
        "silent_lead_months": 6,
        "household_window_days": 120,
    }
    assert client.post(RULES, data).status_code == 302
    rules = CoordinationRules.current()
    assert (
        rules.window_days,
        rules.same_domain,
        rules.household_window_days,
        rules.household_same_domain,
        rules.history.first().history_user,
    ) == (5, True, 120, False, world.coordinator)


def test_rules_out_of_range_are_refused_in_persian(client, world):
    client.force_login(world.coordinator)
    response = client.post(RULES, {"window_days": 0, "silent_lead_months": 3})
    assert response.status_code == 200 and "مطمئن شوید" in response.content.decode()
    assert CoordinationRules.current().window_days == WINDOW


def test_the_report_page_costs_the_same_at_two_sizes(client, world, django_assert_max_num_queries):
    client.force_login(world.coordinator)
    for n in (2, 25):
        for i in range(n):
            for agency in (world.emdad, world.helal, world.ehsan):
                world.record(
                    agency, day(5, 1) + datetime.timedelta(days=2 * i), beneficiaries=7 + i
                )
        with django_assert_max_num_queries(30):
            response = client.get(REPORT, {"period": "year", "year": 1404})
        assert response.status_code == 200


def test_the_dashboard_headline_links_each_count_into_the_report(world):
    figures = headline(user=world.coordinator, period=Period.of_year(1404), today=day(12, 29))
    html = render_to_string(
        "coordination/includes/findings_headline.html", {"findings_headline": figures}
    )
    link = f'href="{REPORT}?period=year&amp;year=1404&amp;kind=overlaps">'
    assert link + '<span class="fs-4 fw-bold">۱</span>' in html


def test_the_admin_saves_a_verdict_through_the_service_and_refuses_a_stale_key(
    admin_client, superuser, world
):
    add = reverse("admin:coordination_findingreview_add")
    stale = {"key": "overlap:1:999999", "kind": "overlap", "verdict": Verdict.JUSTIFIED}
    refused = admin_client.post(add, {**stale, "note": ""})
    saved = admin_client.post(add, {**stale, "key": world.key, "note": ""})
    review = FindingReview.objects.get()
    assert (refused.status_code, saved.status_code) == (200, 302)
    assert (review.key, review.reviewed_by, review.history.get().history_user) == (
        world.key,
        superuser,
        superuser,
    )


def test_the_dashboard_shows_the_reports_counts_and_the_years_targets(client, world):
    """The dashboard of 1404: one overlap and one piece of work outside the division (the
    world's), and a target of 1404 for health in Zarrin; a target of 1405 is not shown."""
    from coordination.models import Target

    Target.objects.create(year=1404, neighbourhood=world.zarrin, domain=world.health, value=40)
    Target.objects.create(year=1405, neighbourhood=world.zarrin, domain=world.health, value=99)
    client.force_login(world.coordinator)
    response = client.get(reverse("reports_panel:dashboard"), {"year": 1404})
    assert response.status_code == 200
    counts = response.context["findings_headline"]
    assert (counts["overlaps"], counts["outside_role"]) == (1, 1)
    assert response.context["target_summary"].count == 1
    html = response.content.decode()
    assert "هماهنگی دستگاه‌ها — سال ۱۴۰۴" in html
    assert "هدف‌های سالانه — سال ۱۴۰۴" in html
