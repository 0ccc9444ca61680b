"""`migrate_once`: nodes started together migrate one after the other, never at once."""

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from portal.management.commands.migrate_once import MIGRATION_LOCK

pytestmark = pytest.mark.django_db(transaction=True)


def _other_node():
    """A second connection to the same database, standing for a node that is migrating."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    other = psycopg2.connect(**params)
    other.autocommit = True
    return other


def test_migrate_once_finds_nothing_left_on_a_migrated_database(capsys):
    call_command("migrate_once", verbosity=1)

    assert "No migrations to apply" in capsys.readouterr().out


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_node_waits_for_another_nodes_migration_and_says_so():
    other = _other_node()
    try:
        other.cursor().execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])

        with pytest.raises(CommandError) as refused:
            call_command("migrate_once", wait=1, verbosity=0)
    finally:
        other.close()

    assert "گره دیگری هنوز پایگاه داده را به‌روز می‌کند" in str(refused.value)
    assert "۱ ثانیه" in str(refused.value)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_lock_is_free_again_after_a_migration():
    call_command("migrate_once", verbosity=0)

    other = _other_node()
    try:
        cursor = other.cursor()
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK])
        taken = cursor.fetchone()[0]
    finally:
        other.close()
    assert taken is True
