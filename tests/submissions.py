"""Sending a page's forms as a browser would, and judging the answer (tests/test_fuzz_forms.py).

A page's ``<form>`` is read from its HTML: what a person who changes nothing sends (the values
filled in, the first choice of a list or a question that needs an answer) and the name of every
control, so a field added to a form is fuzzed without anyone listing it. The database is read
before and after a submission: a refusal must leave every watched row as it was, and a save
must leave only rows that pass their model's own validation.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms import BaseForm
from django.utils.html import escape

from core.digits import to_latin_digits

# --- A page's forms -------------------------------------------------------------------------


@dataclass
class PageForm:
    """One ``<form>`` of a page: where it goes, what a person who changes nothing sends
    (name -> values), and the name of every control (unticked boxes, buttons, file inputs)."""

    method: str
    path: str
    query: str
    sent: dict = field(default_factory=dict)
    names: list = field(default_factory=list)
    files: list = field(default_factory=list)


class _FormReader(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page = urlsplit(page_url)
        self.forms: list[PageForm] = []
        self.form = None
        self.select = None
        self.textarea = None
        self.answered: set = set()

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = urlsplit(a["action"]) if a.get("action") else self.page
            method = (a.get("method") or "get").lower()
            self.form = PageForm(method, action.path or self.page.path, action.query)
            self.forms.append(self.form)
            self.answered = set()
        elif tag == "option" and self.select is not None:
            self._option(a)
        elif self.form is not None and a.get("name") not in (None, "csrfmiddlewaretoken"):
            self._control(tag, a["name"], a)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _control(self, tag, name, a):
        if name not in self.form.names:
            self.form.names.append(name)
        if tag == "select":
            self.select = {"name": name, "multiple": "multiple" in a, "first": None, "chosen": []}
        elif tag == "textarea":
            self.textarea = name
            self.form.sent[name] = [""]
        elif tag == "input":
            self._input(name, a.get("type", "text").lower(), a)
        # A <button> is sent only when pressed: the fuzzing may press any, by its name.

    def _input(self, name, kind, a):
        if kind == "file":
            self.form.files.append(name)
        elif kind == "checkbox":
            if "checked" in a:
                self.form.sent.setdefault(name, []).append(a.get("value", "on"))
        elif kind == "radio":
            # The ticked choice, or else the first: a person must answer the question.
            if "checked" in a or name not in self.answered:
                self.form.sent[name] = [a.get("value", "on")]
            self.answered.add(name)
        elif kind not in ("submit", "button", "image", "reset"):
            self.form.sent[name] = [a.get("value", "")]

    def _option(self, a):
        value = a.get("value", "")
        if value and self.select["first"] is None:
            self.select["first"] = value
        if "selected" in a:
            self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.form.sent[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            select, self.select = self.select, None
            chosen = [value for value in select["chosen"] if value]
            if not chosen and select["first"] and not select["multiple"]:
                chosen = [select["first"]]  # a person picks one of a list that wants one
            if chosen and self.form is not None:
                self.form.sent[select["name"]] = chosen


def form_to(html: str, page_url: str, path: str, method: str = "post") -> PageForm | None:
    """The form of the page at *page_url* that sends to *path* with *method*, if it has one."""
    reader = _FormReader(page_url)
    reader.feed(html)
    for form in reader.forms:
        if form.method == method and form.path == path:
            return form
    return None


# --- The database, before and after ---------------------------------------------------------

WATCHED_APPS = {
    "agencies",
    "coordination",
    "exhibition",
    "neighbourhoods",
    "news",
    "auth",
    "taggit",
}
# The household access log is written whatever the answer (a look-up that finds nothing is
# logged too); permissions no page writes; a model's history follows its rows. Sessions and
# login attempts are in apps not watched.
UNWATCHED = {"householdaccess", "permission", "group_permissions"}


def _watched_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in WATCHED_APPS
        and model._meta.model_name not in UNWATCHED
        and not model._meta.model_name.startswith("historical")
    ]


def snapshot() -> dict:
    """Every watched row, by model and primary key. Plain SQL: it runs twice an example."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for model in _watched_models():
            pk, table = quote(model._meta.pk.column), quote(model._meta.db_table)
            cursor.execute(f"SELECT {pk}, * FROM {table}")  # noqa: S608 - names from the models
            rows[model._meta.label] = {row[0]: row for row in cursor.fetchall()}
    return rows


def changed_rows(before: dict, after: dict) -> list:
    """``(model label, pk)`` of every row added, changed or removed."""
    changed = []
    for label, rows in after.items():
        old = before[label]
        changed += [(label, pk) for pk, row in rows.items() if old.get(pk) != row]
        changed += [(label, pk) for pk in old if pk not in rows]
    return changed


def invalid_rows(changed: list) -> list:
    """The rows of *changed* that still exist and fail their model's own validation."""
    bad = []
    for label, pk in changed:
        model = apps.get_model(label)
        instance = None if model._meta.auto_created else model.objects.filter(pk=pk).first()
        if instance is None:
            continue
        try:
            instance.full_clean()
        except ValidationError as error:
            bad.append((label, pk, error.message_dict))
    return bad


# --- The answer -----------------------------------------------------------------------------

_PERSIAN = re.compile(r"[\u0600-\u06ff]")
_ALERT = re.compile(r'class="[^"]*\balert-danger\b[^"]*"[^>]*>([^<]*)')


def is_persian(text) -> bool:
    return bool(_PERSIAN.search(str(text)))


def errors_of(response) -> list[str]:
    """What the answer says went wrong: the errors of every bound form it rendered and every
    message of error level it carries."""
    forms = {}
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in filter(None, contexts):
        for item in context.flatten().values():
            if isinstance(item, BaseForm) and item.is_bound:
                forms[id(item)] = item
    errors = [
        str(text) for form in forms.values() for texts in form.errors.values() for text in texts
    ]
    errors += [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level >= message_levels.ERROR
    ]
    return list(dict.fromkeys(errors))


def shows_an_error(response, errors) -> bool:
    """Whether the page shows one of *errors*, or an alert of its own wording in Persian (the
    login page words a wrong password its own way)."""
    # Pages write numbers in Persian digits, messages too (core.forms.with_persian_digits).
    html = to_latin_digits(response.content.decode("utf-8", "replace"))
    if any(to_latin_digits(escape(text)) in html for text in errors):
        return True
    return any(is_persian(text) for text in _ALERT.findall(html))


def answered(response) -> bool:
    """Never a 500, and a refusal that is a page says why in Persian."""
    if response.status_code >= 500:
        return False
    is_page = response.get("Content-Type", "").startswith("text/html") and response.content
    return response.status_code < 400 or not is_page or is_persian(response.content.decode())


def judge(response, before: dict, what) -> None:
    """The answer to one submission: never a 500; a refusal in Persian, shown, changing no
    watched row; a save leaving only valid rows. *what* names the submission in a failure."""
    assert answered(response), what
    changed = changed_rows(before, snapshot())
    errors = errors_of(response)
    if errors or response.status_code >= 400:
        assert changed == [], ("a refusal changed rows", what, errors, changed)
        assert [text for text in errors if not is_persian(text)] == [], ("not Persian", what)
        if errors and response.status_code != 302:
            assert shows_an_error(response, errors), ("no error shown", what, errors)
    else:
        assert invalid_rows(changed) == [], ("saved something invalid", what)
