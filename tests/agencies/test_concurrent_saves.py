"""Two saves from the same version at the same moment: exactly one wins (PostgreSQL).

SQLite takes one writer at a time for the whole database, so the race cannot happen there;
the sequential case is covered in test_services.py and test_edit_conflict.py.
"""

import threading

import pytest
from django.db import connection, connections

from agencies.services import EditConflict, service_record_update
from tests.factories import edited

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks of PostgreSQL")
@pytest.mark.parametrize("attempt", range(3))
def test_simultaneous_saves_from_one_version_let_exactly_one_through(people, emdad_record, attempt):
    start = threading.Barrier(2)
    outcomes = {}

    def save(user, notes):
        try:
            start.wait()
            service_record_update(record=edited(emdad_record, notes=notes), user=user, version=1)
            outcomes[notes] = "saved"
        except EditConflict:
            outcomes[notes] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(people.staff, "از کارشناس")),
        threading.Thread(target=save, args=(people.coordinator, "از هماهنگ‌کننده")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["refused", "saved"]
    emdad_record.refresh_from_db()
    (winner,) = [notes for notes, outcome in outcomes.items() if outcome == "saved"]
    assert emdad_record.notes == winner
    assert emdad_record.version == 2
    assert emdad_record.history.count() == 2
