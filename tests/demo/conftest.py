"""The real demo data, seeded once for the tests of this folder: seeding takes several seconds.

``seed_demo`` runs inside a transaction that is rolled back when the folder's tests are done;
each test then runs inside its own savepoint, as every database test does, and gets a copy of
the demo's files in its own MEDIA_ROOT (and private media tree), so a test that purges them
leaves the next one whole.
"""

import io
import shutil

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings


@pytest.fixture(scope="package")
def _seeded_files(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-media")
    private = tmp_path_factory.mktemp("demo-private-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=folder, PRIVATE_MEDIA_ROOT=private),
        transaction.atomic(),
    ):
        with override_settings(DEBUG=True):  # the demo users are made in development only
            call_command("seed_demo", stdout=io.StringIO())
        yield folder, private
        transaction.set_rollback(True)


@pytest.fixture
def demo_data(_seeded_files, db, media_root, private_media_root):
    """The database as `seed_demo` leaves it, and its image files in this test's MEDIA_ROOT
    (the hidden photo's in its private media tree)."""
    folder, private = _seeded_files
    shutil.copytree(folder, media_root)
    shutil.copytree(private, private_media_root)
    return media_root
