"""What the database itself refuses, even when a write goes around forms and services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agencies.models import ServiceRecord

pytestmark = pytest.mark.django_db


def _refused_by_database(record, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.filter(pk=record.pk).update(**values)


@pytest.mark.parametrize(
    "field",
    [
        "beneficiaries",
        "male",
        "female",
        "children",
        "adults",
        "elderly",
        "households",
        "disabled",
        "cost_rials",
    ],
)
def test_database_refuses_negative_values(emdad_record, field):
    _refused_by_database(emdad_record, **{field: -1})


def test_database_refuses_more_households_than_beneficiaries(emdad_record):
    _refused_by_database(emdad_record, households=emdad_record.beneficiaries + 1)


def test_database_refuses_more_disabled_than_beneficiaries(emdad_record):
    _refused_by_database(emdad_record, disabled=emdad_record.beneficiaries + 1)


def test_database_refuses_sexes_that_do_not_add_up(emdad_record):
    _refused_by_database(emdad_record, male=emdad_record.male + 1)


def test_database_refuses_age_groups_that_do_not_add_up(emdad_record):
    _refused_by_database(emdad_record, elderly=emdad_record.elderly + 1)


def test_database_refuses_a_jalali_month_out_of_range(emdad_record):
    _refused_by_database(emdad_record, jalali_month=13)


def test_plain_save_is_refused_too(program):
    record = ServiceRecord(
        house=program.emdad_semnan,
        service_type=program.visit,
        delivered_on=datetime.date(2025, 5, 1),
        beneficiaries=5,
        male=5,
        female=0,
        children=0,
        adults=5,
        elderly=0,
        households=6,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()
    assert not ServiceRecord.objects.exists()


def test_full_clean_names_the_broken_rules_in_persian(emdad_record):
    emdad_record.male += 1
    emdad_record.households = emdad_record.beneficiaries + 1
    with pytest.raises(ValidationError) as caught:
        emdad_record.full_clean(exclude=["jalali_year", "jalali_month"])
    messages = caught.value.message_dict["__all__"]
    assert "جمع مردان و زنان باید با تعداد ذی‌نفعان برابر باشد." in messages
    assert "تعداد خانوارها نمی‌تواند از تعداد ذی‌نفعان بیشتر باشد." in messages


def test_untouched_record_stays_valid_after_refusals(emdad_record):
    _refused_by_database(emdad_record, beneficiaries=-1)
    emdad_record.refresh_from_db()
    assert emdad_record.beneficiaries == 10
