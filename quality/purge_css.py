"""Keep only the Bootstrap rules the site uses: static/vendor/bootstrap/bootstrap.rtl.min.css.

Bootstrap's whole RTL stylesheet (static/vendor/bootstrap/dist/, as the npm package ships it)
is 232 KB, and a public page used about a tenth of it. This script reads every place a class
name can come from (our templates and the form templates of crispy-bootstrap5, our Python,
our JavaScript, static/js/site.js included, which stands in for Bootstrap's) and keeps a rule
when every class its selector needs appears there. Everything else of the stylesheet
(custom properties, element rules, @font-face, the @keyframes still named) stays as it is.

Class names built at run time are seen by their prefix: `alert-{{ level }}` in a template or
`"text-bg-" + state` in code keeps every `alert-*` (or `text-bg-*`) rule.

    .venv/bin/python quality/purge_css.py          # write the kept rules
    .venv/bin/python quality/purge_css.py --check  # exit 1 if a used rule is missing

Run it after adding a Bootstrap class to a template; tests/portal/test_static_assets.py fails
until then.
"""

import argparse
import re
import sys
from pathlib import Path

import tinycss2

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static/vendor/bootstrap/dist/bootstrap.rtl.min.css"
TARGET = ROOT / "static/vendor/bootstrap/bootstrap.rtl.min.css"
BANNER = (
    "/* Bootstrap 5.3.9's bootstrap.rtl.min.css (dist/), only the rules the site's templates, "
    "Python and JavaScript use: written by quality/purge_css.py, do not edit. */\n"
)
APPS = (
    "agencies",
    "coordination",
    "core",
    "demo",
    "exhibition",
    "neighbourhoods",
    "news",
    "portal",
    "reports",
)
STRING = re.compile(r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# `alert-{{`, `alert-{%`, `"alert-" +`, `f"alert-{`, `` `alert-${ ``: a class finished at run time.
PREFIX = re.compile(r"([a-z][a-z0-9-]*-)(?:\{|\$\{|[\"'`]\s*\+)")


# The templates of crispy-forms' Bootstrap layout objects (crispy_forms.bootstrap: Accordion,
# Modal, TabHolder, PrependedText...), read only once some module of ours imports them.
CRISPY_COMPONENTS = re.compile(
    r"accordion|modal|tab|alert|field_with_buttons|prepended_appended|inline|switch|floating"
    r"|uneditable|formactions"
)


def crispy_templates(code: list[Path]) -> list[Path]:
    import crispy_bootstrap5

    folder = Path(crispy_bootstrap5.__file__).parent / "templates"
    components = any("crispy_forms.bootstrap" in path.read_text(encoding="utf-8") for path in code)
    return [
        path
        for path in sorted(folder.rglob("*.html"))
        if components or not CRISPY_COMPONENTS.search(path.name)
    ]


def sources() -> list[Path]:
    files = sorted((ROOT / "templates").rglob("*.html"))
    for app in APPS:
        folder = ROOT / app
        files += sorted(folder.rglob("*.html"))
        files += [
            path
            for path in sorted(folder.rglob("*.py"))
            if "migrations" not in path.parts and "tests" not in path.parts
        ]
    files += sorted((ROOT / "static/js").rglob("*.js"))
    return files + crispy_templates([path for path in files if path.suffix == ".py"])


def used_names(files: list[Path]) -> tuple[set[str], tuple[str, ...]]:
    words: set[str] = set()
    prefixes: set[str] = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        prefixes.update(PREFIX.findall(text))
        if path.suffix in (".py", ".js"):
            # In code a class name is a string; its identifiers (`modal`, `tooltip`) are not.
            text = " ".join(match.group(0) for match in STRING.finditer(text))
        words.update(WORD.findall(text))
    return words, tuple(sorted(prefixes))


def _needed_classes(tokens) -> list[str]:
    """The class names a selector needs, outside :not() and the other functions (a rule such
    as `.btn:not(.dropdown-toggle)` applies whether or not `dropdown-toggle` is used)."""
    names = []
    previous = None
    for token in tokens:
        if token.type == "ident" and previous is not None and previous == ".":
            names.append(token.value)
        previous = token.value if token.type == "literal" else None
    return names


def _selectors(prelude) -> list[list]:
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


class Purger:
    def __init__(self, words: set[str], prefixes: tuple[str, ...]):
        self.words = words
        self.prefixes = prefixes

    def used(self, name: str) -> bool:
        return name in self.words or name.startswith(self.prefixes)

    def keep_selector(self, tokens) -> bool:
        return all(self.used(name) for name in _needed_classes(tokens))

    def rule(self, rule) -> str:
        if rule.type == "qualified-rule":
            kept = [part for part in _selectors(rule.prelude) if self.keep_selector(part)]
            if not kept:
                return ""
            prelude = ",".join(tinycss2.serialize(part).strip() for part in kept)
            return f"{prelude}{{{tinycss2.serialize(rule.content)}}}"
        if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer"):
            if rule.content is None:
                return tinycss2.serialize([rule])
            inner = self.rules(tinycss2.parse_rule_list(rule.content))
            if not inner:
                return ""
            return f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}"
        if rule.type in ("whitespace", "comment"):
            return ""
        return tinycss2.serialize([rule])

    def rules(self, rules) -> str:
        return "".join(self.rule(rule) for rule in rules)


def _keyframes_in_use(css: str) -> str:
    """Drop @keyframes that no kept rule animates with."""

    def keep(match: re.Match) -> str:
        name = match.group(1)
        rest = css[: match.start()] + css[match.end() :]
        return match.group(0) if re.search(rf"[:\s,]{re.escape(name)}[\s;,}}!]", rest) else ""

    return re.sub(r"@keyframes ([\w-]+)\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", keep, css)


def purge(source_css: str, files: list[Path] | None = None) -> str:
    words, prefixes = used_names(sources() if files is None else files)
    stylesheet, _encoding = tinycss2.parse_stylesheet_bytes(source_css.encode("utf-8"))
    licence = re.search(r"/\*!.*?\*/", source_css, re.S)
    body = _keyframes_in_use(Purger(words, prefixes).rules(stylesheet))
    charset = '@charset "UTF-8";'
    body = body.replace(charset, "")
    return f"{charset}{BANNER}{licence.group(0) if licence else ''}{body}\n"


def missing_rules(committed: str, wanted: str) -> list[str]:
    """Selectors the site uses that the committed file lacks."""

    def selectors(css: str) -> set[str]:
        found = set()
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type == "qualified-rule":
                found.add(tinycss2.serialize(rule.prelude).strip())
            elif rule.type == "at-rule" and rule.content is not None:
                prefix = f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}"
                found |= {f"{prefix} {inner}" for inner in selectors(rule.content)}
        return found

    return sorted(selectors(wanted) - selectors(committed))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only say what is missing")
    args = parser.parse_args()
    wanted = purge(SOURCE.read_text(encoding="utf-8"))
    if args.check:
        missing = missing_rules(TARGET.read_text(encoding="utf-8"), wanted)
        for selector in missing:
            print(f"missing: {selector}")
        return 1 if missing else 0
    TARGET.write_text(wanted, encoding="utf-8")
    print(
        f"{TARGET.relative_to(ROOT)}: {len(wanted) / 1024:.1f} KB "
        f"(from {len(SOURCE.read_bytes()) / 1024:.1f} KB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
