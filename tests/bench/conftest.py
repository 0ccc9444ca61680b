"""The national data set of bench/generate.py at a tiny scale, made once for the module that
reads it and emptied after (the generator's own --reset)."""

import importlib
import io
import sys
from pathlib import Path

import pytest
from django.test.utils import override_settings

BENCH = Path(__file__).resolve().parents[2] / "bench"
SCALE = "0.001"


@pytest.fixture(scope="module")
def generate():
    """bench/generate.py as a module (the bench scripts import their siblings by name)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module("generate")


@pytest.fixture(scope="module")
def generated(generate, django_db_setup, django_db_blocker, tmp_path_factory):
    """The rows written per table by a run at ``SCALE``, committed for the whole module."""
    folder = tmp_path_factory.mktemp("bench-media")
    media = {"MEDIA_ROOT": folder / "media", "PRIVATE_MEDIA_ROOT": folder / "private-media"}
    options = generate.arguments(["--scale", SCALE, "--quiet", "--pictures", "1"])
    with django_db_blocker.unblock(), override_settings(**media):
        rows = generate.run(options, out=io.StringIO())
        try:
            yield rows
        finally:
            generate.reset_program_tables()
