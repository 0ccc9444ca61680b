"""Removing the demo data before going live: what goes, what would stop it, and the removal.

What goes is what ``seed_demo`` marked (demo/models.py), and the parts that live only inside a
marked row:

- the history rows of every removed row (django-simple-history: neighbourhoods, houses, records,
  memberships), including the rows simple-history writes while purge deletes;
- the link rows of removed rows (an article's neighbourhoods and agencies, a user's groups),
  an article's tag links, and the tags no row but a demo article uses;
- a demo user's membership and the user's entries in the admin's action log;
- the access-log rows of demo households (who opened an invented household);
- the image files (originals and renditions) of removed articles, exhibitions and photos, in
  the public or the private media tree (core/media.py), deleted once the transaction commits.

Two kinds of marked rows stay: a demo neighbourhood that the real list took over (the import
set ``is_demo`` to false), and a demo tag that a real article uses too.

What stops it: every relation in the project that points at a row purge would remove is
checked.  A real row (one that is not removed) holding such a relation would be deleted with it
(CASCADE), changed (SET_NULL) or would stop the deletion (PROTECT), so purge refuses and names
the rows.  Only references without a database constraint (``DO_NOTHING``: the history tables'
copies of foreign keys) are left pointing at the removed row, as they are for any deleted row.
The check walks the models, so a foreign key added later is checked without a change here.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model
from taggit.models import Tag, TaggedItem

from agencies.access import scope_for
from agencies.models import (
    House,
    Household,
    HouseholdAccess,
    HouseholdMember,
    RecordHousehold,
    ServiceRecord,
    StaffMembership,
)
from coordination.models import Responsibility, Target
from core.caching import public_content_changed
from core.digits import format_number, to_persian_digits
from core.images import ImageWithRenditions, delete_files_on_commit
from core.media import exists_anywhere
from demo.models import DemoRow
from exhibition.models import Booth, Exhibit, Exhibition, Photo
from neighbourhoods.models import Neighbourhood
from news.models import Article, Comment

# How many blocking rows a refusal names for each relation.
NAMED_BLOCKERS = 5

LABELS = {
    "taggit.TaggedItem": "پیوند خبر و برچسب",
    "admin.LogEntry": "رویداد در گزارش کارهای مدیریت سامانه",
}


def label(model) -> str:
    """A Persian name for one row of *model*, history and link tables included."""
    owner = getattr(model, "instance_type", None)  # a simple-history table
    if owner is not None:
        return f"تاریخچهٔ {label(owner)}"
    if model._meta.auto_created:  # a many-to-many link table
        ends = [f.related_model for f in model._meta.concrete_fields if f.is_relation]
        return "پیوند " + " و ".join(label(end) for end in ends)
    return LABELS.get(model._meta.label, str(model._meta.verbose_name))


@dataclass
class Blocker:
    """Real rows that point at demo rows through one relation."""

    field: models.Field
    examples: list
    count: int

    def describe(self) -> str:
        rows = f"{format_number(self.count)} {label(self.field.model)}"
        target = f"{label(self.field.related_model)} نمایشی"
        if self.field.many_to_many:
            how = f"{rows} که به {target} پیوند دارد"
        else:
            how = f"{rows} که «{self.field.verbose_name}» آن {target} است"
        named = "، ".join(_row_name(row) for row in self.examples)
        more = self.count - len(self.examples)
        tail = f" و {format_number(more)} ردیف دیگر" if more > 0 else ""
        return f"{how}: {named}{tail}"


def _row_name(row) -> str:
    shown = row.history_object if hasattr(row, "history_object") else row
    return f"«{shown}» (شناسهٔ {to_persian_digits(row.pk)})"


@dataclass
class Plan:
    """Everything purge would remove, counted, and what stops it; built inside a transaction."""

    counts: list[tuple[str, int]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    adopted_neighbourhoods: int = 0
    unmarked_demo_neighbourhoods: int = 0
    marks: int = 0
    _deletions: list = field(default_factory=list, repr=False)

    @property
    def is_empty(self) -> bool:
        return not self.marks

    def summary_lines(self) -> list[str]:
        lines = [f"{name}: {format_number(count)}" for name, count in self.counts if count]
        lines.append(f"پروندهٔ تصویر (اصل و اندازه‌های آماده): {format_number(len(self.files))}")
        return lines

    def refusal(self) -> str:
        lines = [
            "دادهٔ نمایشی پاک نشد و چیزی تغییر نکرد: این ردیف‌های واقعی به دادهٔ نمایشی وابسته‌اند "
            "و با پاک شدن آن پاک یا دگرگون می‌شدند.",
            *(f"- {blocker.describe()}" for blocker in self.blockers),
            "نخست این ردیف‌ها را (در پنل یا مدیریت سامانه) حذف کنید یا از دادهٔ نمایشی جدا کنید، "
            "سپس دوباره اجرا کنید.",
        ]
        return "\n".join(lines)


def purge_demo_data(*, user, apply: bool) -> Plan:
    """Remove every demo row and its files as *user* (a coordinator, or ``access.SYSTEM``).

    Without *apply* nothing changes and the returned plan says what would go and what stops it
    (``blockers``).  With it, everything goes in one transaction, or, when a real row depends on
    a demo row, nothing does and ``ValidationError`` names the rows.  Image files are deleted
    once the transaction commits, and cached public pages go stale then.
    """
    scope_for(user).require("manage_province")
    with transaction.atomic():
        plan = _make_plan()
        if apply and plan.blockers:
            raise ValidationError(plan.refusal(), code="demo_depended_on")
        if apply and not plan.is_empty:
            for rows in plan._deletions:
                rows.delete()
            DemoRow.objects.all().delete()
            delete_files_on_commit(plan.files)
            public_content_changed()
    return plan


def _make_plan() -> Plan:
    plan = Plan(marks=DemoRow.objects.count())
    ids = _removed_ids(plan)
    removed = {model: model._base_manager.filter(pk__in=pks) for model, pks in ids.items()}
    history = _history_of(removed, ids)
    removed |= history

    plan.blockers = _blockers(removed)
    plan.files = _files(removed)
    for model in _SHOWN:
        plan.counts.append((label(model), removed[model].count()))
        plan.counts += _link_counts(model, ids[model])
        plan.counts += [
            (label(history_model), rows.count())
            for history_model, rows in sorted(
                history.items(), key=lambda item: item[0].instance_type is not model
            )
            if _owner(history_model) is model
        ]
    # Rows before the rows they point at; history last but for the users, since deleting a
    # tracked row writes one more history row, and the users' deletion would otherwise first
    # clear their name from history rows that are going anyway.
    plan._deletions = [removed[model] for model in _DELETION_ORDER]
    plan._deletions += list(history.values())
    plan._deletions.append(removed[get_user_model()])
    return plan


def _removed_ids(plan: Plan) -> dict:
    """The primary keys of the rows that go, by model: the marks (a subquery on a table purge
    empties last, so it keeps its meaning while the rows are deleted) or a list read now."""
    User = get_user_model()
    ids = {model: DemoRow.objects.ids_of(model) for model in _MARKED}
    marked_neighbourhoods = Neighbourhood.objects.filter(pk__in=ids[Neighbourhood])
    plan.adopted_neighbourhoods = marked_neighbourhoods.filter(is_demo=False).count()
    ids[Neighbourhood] = list(
        marked_neighbourhoods.filter(is_demo=True).values_list("pk", flat=True)
    )
    plan.unmarked_demo_neighbourhoods = (
        Neighbourhood.objects.filter(is_demo=True).exclude(pk__in=ids[Neighbourhood]).count()
    )
    ids[TaggedItem] = list(
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id__in=ids[Article]
        ).values_list("pk", flat=True)
    )
    used_elsewhere = TaggedItem.objects.exclude(pk__in=ids[TaggedItem]).values("tag_id")
    ids[Tag] = list(
        Tag.objects.filter(pk__in=ids[Tag])
        .exclude(pk__in=used_elsewhere)
        .values_list("pk", flat=True)
    )
    ids[StaffMembership] = list(
        StaffMembership.objects.filter(user__in=ids[User]).values_list("pk", flat=True)
    )
    ids[LogEntry] = LogEntry.objects.filter(user__in=ids[User]).values("pk")
    # The access log of invented households (opened while the demo was tried) tells nothing
    # about a real person: it goes with them.
    ids[HouseholdAccess] = list(
        HouseholdAccess.objects.filter(household__in=ids[Household]).values_list("pk", flat=True)
    )
    return ids


def _history_of(removed: dict, ids: dict) -> dict:
    """The simple-history rows of the removed rows, by history table; a many-to-many field's
    history table comes before the table its rows point at, so it is deleted first."""
    history = {}
    for model in removed:
        try:
            history_model = get_history_model_for_model(model)
        except NotHistoricalModelError:
            continue
        rows = history_model._base_manager.filter(id__in=ids[model])
        for relation in history_model._meta.related_objects:  # simple-history's m2m tables
            history[relation.related_model] = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": rows}
            )
        history[history_model] = rows
    return history


def _blockers(removed: dict) -> list[Blocker]:
    """Real rows pointing at removed rows, through any relation of any installed model."""
    found = []
    for model in apps.get_models():
        if model is DemoRow:
            continue
        for relation in model._meta.get_fields():
            if not (relation.concrete and relation.is_relation):
                continue  # reverse relations and generic foreign keys
            target = relation.related_model
            if target not in removed:
                continue
            if not relation.many_to_many and relation.remote_field.on_delete is models.DO_NOTHING:
                continue  # no constraint: the copy of a key in a history row, left as it is
            rows = model._base_manager.filter(**{f"{relation.name}__in": removed[target]})
            if model in removed:
                rows = rows.exclude(pk__in=removed[model])
            rows = rows.distinct().order_by("pk")
            examples = list(rows[:NAMED_BLOCKERS])
            if examples:
                found.append(Blocker(relation, examples, rows.count()))
    return found


def _files(removed: dict) -> list[str]:
    """The stored files of removed rows with images that are really on disk (in either the
    public or the private tree)."""
    names = []
    for model, rows in removed.items():
        if issubclass(model, ImageWithRenditions):
            for row in rows.only("image", "renditions"):
                names += row.image_file_names()
    return [name for name in names if exists_anywhere(name)]


def _link_counts(model, model_ids) -> list[tuple[str, int]]:
    """The many-to-many link rows removed with *model*'s rows (by the database, in cascade)."""
    counts = []
    for relation in model._meta.many_to_many:
        through = relation.remote_field.through
        if through._meta.auto_created:
            column = relation.m2m_field_name()
            count = through._base_manager.filter(**{f"{column}__in": model_ids}).count()
            counts.append((label(through), count))
    return counts


def _owner(history_model):
    owner = history_model.instance_type
    if owner._meta.auto_created:  # a many-to-many table's history belongs to its owner
        return next(f.related_model for f in owner._meta.concrete_fields if f.is_relation)
    return owner


_MARKED = [
    Neighbourhood,
    House,
    ServiceRecord,
    Household,
    HouseholdMember,
    RecordHousehold,
    Responsibility,
    Target,
    Article,
    Comment,
    Tag,
    Exhibition,
    Booth,
    Exhibit,
    Photo,
    get_user_model(),
]
_DELETION_ORDER = [
    TaggedItem,
    Photo,
    Exhibit,
    Booth,
    Exhibition,
    Comment,
    Article,
    Tag,
    HouseholdAccess,
    RecordHousehold,
    HouseholdMember,
    Household,
    ServiceRecord,
    Target,
    Responsibility,
    House,
    Neighbourhood,
    LogEntry,
    StaffMembership,
]
_SHOWN = [
    Neighbourhood,
    House,
    ServiceRecord,
    Household,
    HouseholdMember,
    RecordHousehold,
    HouseholdAccess,
    Responsibility,
    Target,
    Article,
    Comment,
    TaggedItem,
    Tag,
    Exhibition,
    Booth,
    Exhibit,
    Photo,
    get_user_model(),
    StaffMembership,
    LogEntry,
]
