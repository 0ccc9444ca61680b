"""The trimmed front-end files still hold what the templates use (quality/purge_css.py,
quality/subset_font.py, static/js/site.js)."""

import re
from pathlib import Path

from fontTools.ttLib import TTFont

from quality import purge_css, subset_font

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html")) + sorted(
    ROOT.glob("*/templates/**/*.html")
)


def test_the_trimmed_bootstrap_has_every_rule_the_site_uses():
    wanted = purge_css.purge(purge_css.SOURCE.read_text(encoding="utf-8"))
    committed = purge_css.TARGET.read_text(encoding="utf-8")
    missing = purge_css.missing_rules(committed, wanted)
    assert not missing, (
        f"{len(missing)} Bootstrap rules are used but not in the trimmed file, e.g. {missing[:5]}: "
        "run .venv/bin/python quality/purge_css.py"
    )


def test_templates_ask_only_for_the_bootstrap_behaviours_site_js_has():
    asked = set()
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        asked |= {f"toggle={name}" for name in re.findall(r'data-bs-toggle="([^"]+)"', text)}
        asked |= {f"dismiss={name}" for name in re.findall(r'data-bs-dismiss="([^"]+)"', text)}
    # Anything else (a dropdown, a modal, a tooltip) needs its code in static/js/site.js.
    assert asked <= {"toggle=collapse", "dismiss=alert"}


def test_the_font_has_every_character_the_templates_write():
    shipped = TTFont(subset_font.TARGET).getBestCmap()
    package = TTFont(subset_font.SOURCE).getBestCmap()
    written = {ord(char) for path in TEMPLATES for char in path.read_text(encoding="utf-8")}
    # Characters Vazirmatn itself lacks (arrows, ✓) come from the system font either way.
    lost = sorted(chr(code) for code in written & package.keys() if code not in shipped)
    assert not lost, f"not in the subset font: {lost}; add them to quality/subset_font.py"
