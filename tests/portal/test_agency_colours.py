"""Each agency's colour is the same on its cards and badges (site.css) as in its charts (the
Agency rows made from agencies/reference.py), and stays readable as text."""

import re
from pathlib import Path

from agencies.reference import AGENCIES

SITE_CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "site.css").read_text()


def css_colour(name):
    match = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})\s*;", SITE_CSS)
    assert match, f"site.css sets no --{name}"
    return match.group(1).lower()


def agency_tint(slug):
    match = re.search(
        rf"\.agency-{slug}\b[^{{]*\{{[^}}]*--agency-tint:\s*(#[0-9a-fA-F]{{6}})", SITE_CSS
    )
    assert match, f"site.css gives .agency-{slug} no --agency-tint"
    return match.group(1).lower()


def contrast(first, second):
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_pages_and_charts_give_each_agency_the_same_colour():
    assert {slug: css_colour(slug) for slug, *_ in AGENCIES} == {
        slug: colour.lower() for slug, _name, _short, _house, colour, _about in AGENCIES
    }


def test_agency_colours_are_readable_on_white_the_page_and_their_tint():
    page = css_colour("page-bg")
    for slug, *_ in AGENCIES:
        colour = css_colour(slug)
        for background in ("#ffffff", page, agency_tint(slug)):
            assert contrast(colour, background) >= 4.5, (slug, background)
