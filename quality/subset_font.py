"""Cut Vazirmatn down to the letters the site writes (static/vendor/vazirmatn/*.woff2).

The package's variable font (static/vendor/vazirmatn/dist/, as npm ships it) is 111 KB, most
of it for Urdu, Pashto, Kurdish and Latin letters with accents that no page of a Persian site
uses, and it was half of every first visit. The subset keeps every weight (100-900, still one
variable file), the shaping features (joining forms, marks, ligatures, kerning) and `ss01`,
which site.css turns on, for the characters below; anything else a person types falls back
to the system font for that character alone.

    .venv/bin/python quality/subset_font.py

Vazirmatn is under the SIL Open Font License 1.1 (OFL.txt beside it), which allows a modified
copy under the same licence; it declares no Reserved Font Name, so the subset keeps its name.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static/vendor/vazirmatn/dist/Vazirmatn-Variable.woff2"
TARGET = ROOT / "static/vendor/vazirmatn/Vazirmatn-Variable.woff2"


def _span(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


CHARACTERS = [
    # Latin: what addresses, e-mails, codes (DEMO-01) and Latin digits need, and the
    # Latin-1 signs Persian text borrows: « » · × ÷ and the no-break space.
    *_span(0x0020, 0x007E),
    *(0x00A0, 0x00AB, 0x00B7, 0x00BB, 0x00D7, 0x00F7),
    # Persian (and the Arabic letters and digits people paste: ي ك ة ١٢٣): the comma,
    # semicolon and question mark, hamza to ghain, tatweel to sukun with the hamza above
    # (محلهٔ), Arabic-Indic digits with the percent, decimal and thousands signs, superscript
    # alef and alef wasla, پ چ ژ ک گ ۀ ی, and the Persian digits.
    *(0x060C, 0x061B, 0x061F),
    *_span(0x0621, 0x063A),
    *_span(0x0640, 0x0655),
    *_span(0x0660, 0x066D),
    *(0x0670, 0x0671, 0x067E, 0x0686, 0x0698, 0x06A9, 0x06AF, 0x06C0, 0x06CC),
    *_span(0x06F0, 0x06F9),
    # The invisible joiners and direction marks (ZWNJ is in almost every Persian line), the
    # dashes, quotes, bullet, ellipsis and minus sign.
    *_span(0x200C, 0x200F),
    *(0x2010, 0x2011, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x2212),
]


def build(source: Path = SOURCE, target: Path = TARGET) -> int:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = [*options.layout_features, "ss01"]
    options.notdef_outline = True
    # The source's timestamp stays, so a rebuild from the same file gives the same bytes.
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=CHARACTERS)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target)
    return target.stat().st_size


def main() -> int:
    size = build()
    print(
        f"{TARGET.relative_to(ROOT)}: {size / 1024:.1f} KB "
        f"(from {SOURCE.stat().st_size / 1024:.1f} KB), {len(CHARACTERS)} characters"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
