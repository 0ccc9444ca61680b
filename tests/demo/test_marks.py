"""seed_demo marks every row it creates as demo data, and nothing else, and only once."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import override_settings
from taggit.models import Tag

from agencies.models import House, Household, HouseholdMember, RecordHousehold, ServiceRecord
from coordination.models import Responsibility, Target
from demo.models import DemoRow
from exhibition.models import Booth, Exhibit, Exhibition, Photo
from neighbourhoods.models import Neighbourhood
from news.models import Article, Comment

DEMO_KINDS = [
    Neighbourhood,
    House,
    ServiceRecord,
    Household,
    HouseholdMember,
    RecordHousehold,
    Responsibility,
    Target,
    Article,
    Comment,
    Tag,
    Exhibition,
    Booth,
    Exhibit,
    Photo,
    get_user_model(),
]


def marked_and_present():
    """For every kind, how many rows are marked and how many there are."""
    return {
        model.__name__: (DemoRow.objects.of(model).count(), model.objects.count())
        for model in DEMO_KINDS
    }


def test_every_row_seed_demo_creates_is_marked_once(demo_data):
    # The test database held only reference data, so every row of these kinds is the demo's.
    first = marked_and_present()
    assert all(marked == present > 0 for marked, present in first.values()), first
    assert DemoRow.objects.count() == sum(marked for marked, _ in first.values())

    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())

    assert marked_and_present() == first


def test_reference_rows_seed_demo_ensures_are_not_marked(demo_data):
    kinds = set(DemoRow.objects.values_list("content_type__model", flat=True))
    assert kinds == {model._meta.model_name for model in DEMO_KINDS}
