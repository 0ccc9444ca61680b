"""Where the program runs: Province → County → City → Neighbourhood.

Reference rows carry stable slugs or codes so URLs and imports never depend on ids.
The country has 31 provinces and 2,020 neighbourhoods; nothing here assumes one province.
"""

import operator
from functools import reduce

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower, Replace
from django.db.models.lookups import Contains
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.text import compact_key, search_character_folds, search_words

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8


class Province(models.Model):
    name = models.CharField("نام", max_length=100, unique=True)
    slug = models.SlugField("شناسه", max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "استان"
        verbose_name_plural = "استان‌ها"

    def __str__(self):
        return self.name


class County(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="counties", verbose_name="استان"
    )
    name = models.CharField("نام", max_length=100)
    slug = models.SlugField("شناسه", max_length=50)

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = "شهرستان"
        verbose_name_plural = "شهرستان‌ها"
        constraints = [
            models.UniqueConstraint(fields=["province", "slug"], name="county_unique_slug"),
            models.UniqueConstraint(fields=["province", "name"], name="county_unique_name"),
        ]

    def __str__(self):
        return self.name


class CityQuerySet(models.QuerySet):
    def with_neighbourhood_counts(self):
        return self.annotate(neighbourhood_count=models.Count("neighbourhoods"))


class City(models.Model):
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="cities", verbose_name="شهرستان"
    )
    name = models.CharField("نام", max_length=100)
    slug = models.SlugField("شناسه", max_length=50, unique=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "شهر"
        verbose_name_plural = "شهرها"
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="city_unique_name"),
        ]

    def __str__(self):
        return self.name


def folded_in_database(field: str):
    """*field* folded by the database as :func:`core.text.compact_key` folds in Python (for
    the characters :func:`core.text.search_character_folds` lists), Latin letters in lower
    case: nested ``REPLACE`` calls, the same on SQLite and PostgreSQL."""
    expression = Lower(field)
    for old, new in search_character_folds():
        expression = Replace(expression, Value(old), Value(new))
    return expression


def code_key(text) -> str:
    """A code as search compares it: Latin digits, lower case, no hyphens or spaces
    («DEMO-۰۲», «demo 02» and «DEMO-02» all give ``demo02``); ``''`` if it cannot be a code."""
    key = compact_key(text).replace("-", "").replace("−", "")
    return key if key.isascii() and key.isalnum() else ""


def search_condition(query: str):
    """The condition of the public neighbourhood search, or ``None`` for an empty query.

    Each word of *query* (:func:`core.text.search_words`: Arabic ي/ك, diacritics, digits and
    joiners folded, the parts of a word joined) must occur in the neighbourhood's
    ``search_key`` (its name as :func:`core.text.compact_key`, written with the row) or in its
    city's name; or the whole query, read as a code (:func:`code_key`), occurs in the code.
    «كوي زرين سمنان» finds «کوی زرین» of سمنان, «DEMO-۰۲» finds DEMO-02.

    The city's name is folded by the database (:func:`folded_in_database`) in a subquery over
    the cities, not stored: the table is small (a few hundred rows for the whole country), a
    stored key would go stale when a city is renamed, and the search costs no extra query.
    """
    words = search_words((query or "")[:MAX_QUERY_LENGTH], limit=MAX_QUERY_WORDS)
    code = code_key((query or "")[:MAX_QUERY_LENGTH])
    if not words and not code:
        return None
    alternatives = []
    if words:
        every_word = Q()
        for word in words:
            cities = City.objects.alias(key=folded_in_database("name")).filter(key__contains=word)
            every_word &= Q(search_key__contains=word) | Q(city__in=cities.values("pk"))
        alternatives.append(every_word)
    if code:
        alternatives.append(Q(Contains(Replace(Lower("code"), Value("-"), Value("")), code)))
    return reduce(operator.or_, alternatives)


class NeighbourhoodQuerySet(models.QuerySet):
    def with_place(self):
        """Neighbourhoods with their city, county and province in the same query."""
        return self.select_related("city__county__province")

    def search(self, query: str):
        """Neighbourhoods whose name or city's name has every word of *query*, or whose code
        has the query; spelling variants meet (see :func:`search_condition`)."""
        condition = search_condition(query)
        return self if condition is None else self.filter(condition)


class Neighbourhood(models.Model):
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="neighbourhoods", verbose_name="شهر"
    )
    name = models.CharField("نام محله", max_length=150)
    code = models.CharField(
        "کد محله",
        max_length=20,
        unique=True,
        help_text="شناسهٔ یکتای محله در فهرست طرح؛ با حروف لاتین، رقم و خط تیره.",
    )
    population = models.PositiveIntegerField("جمعیت", null=True, blank=True)
    households = models.PositiveIntegerField("تعداد خانوار", null=True, blank=True)
    latitude = models.DecimalField(
        "عرض جغرافیایی", max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        "طول جغرافیایی", max_digits=9, decimal_places=6, null=True, blank=True
    )
    description = models.TextField("معرفی کوتاه", blank=True)
    is_demo = models.BooleanField(
        "دادهٔ نمایشی",
        default=False,
        help_text="محله‌های ساختگی برای نمایش؛ با بارگذاری فهرست واقعی جایگزین می‌شوند.",
    )
    search_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    history = HistoricalRecords()

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "name"]
        verbose_name = "محله"
        verbose_name_plural = "محله‌ها"
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="neighbourhood_unique_name"),
            models.CheckConstraint(
                condition=Q(households__isnull=True)
                | Q(population__isnull=True)
                | Q(households__lte=models.F("population")),
                name="neighbourhood_households_within_population",
                violation_error_message="تعداد خانوار نمی‌تواند از جمعیت بیشتر باشد.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="neighbourhood_latitude_range",
                violation_error_message="عرض جغرافیایی باید بین ۹۰- و ۹۰ باشد.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="neighbourhood_longitude_range",
                violation_error_message="طول جغرافیایی باید بین ۱۸۰- و ۱۸۰ باشد.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.city.name})"

    def save(self, *args, **kwargs):
        self.search_key = compact_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("neighbourhoods:detail", kwargs={"code": self.code})
