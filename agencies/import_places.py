"""The neighbourhood and the agency a spreadsheet row names, for the imports that put things in
a place (service records, households): the rows are read against one snapshot of the
neighbourhoods and agencies, so a file of a thousand rows costs two queries here."""

import re
from collections import defaultdict

from agencies.models import Agency
from core.digits import to_latin_digits
from core.text import compact_key
from neighbourhoods.models import Neighbourhood

# What a neighbourhood code looks like (SMN-001): only such text is repeated in a message when
# the file may hold personal data, since a misplaced column could put a name there.
CODE_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9\-_/]{0,19}")


class PlaceNames:
    """Neighbourhoods by code or by a name one neighbourhood has (in the importer's cities
    when two cities share it), and agencies by slug or any of their names; blank agency: the
    importer's own. *sheet* names the template's sheet that lists the codes; with
    *echo=False* a message repeats the typed text only when it looks like a code."""

    def __init__(self, scope, *, sheet: str, agency_label: str, echo: bool = True):
        self.scope = scope
        self.sheet = sheet
        self.agency_label = agency_label
        self.echo = echo
        self.agencies = list(Agency.objects.all())
        self.own_agency = next((a for a in self.agencies if a.pk == scope.agency_id), None)
        self.agency_by_key = defaultdict(set)
        for agency in self.agencies:
            for key in (
                agency.slug.lower(),
                compact_key(agency.short_name),
                compact_key(agency.house_name),
                compact_key(agency.name),
            ):
                self.agency_by_key[key].add(agency)
        neighbourhoods = list(Neighbourhood.objects.select_related("city").order_by("code"))
        self.by_code = {n.code.upper(): n for n in neighbourhoods}
        self.by_name = defaultdict(list)
        for neighbourhood in neighbourhoods:
            self.by_name[compact_key(neighbourhood.name)].append(neighbourhood)

    def _shown(self, text: str) -> str:
        return f" «{text}»" if self.echo or CODE_LIKE.fullmatch(text) else ""

    def neighbourhood(self, text: str, errors: list[str]) -> Neighbourhood | None:
        found = self.by_code.get(to_latin_digits(text).strip().upper())
        if found is not None:
            return found
        matches = self.by_name.get(compact_key(text), [])
        if len(matches) > 1:
            # The same name in two cities: the one where the importer may work, if only one.
            cities = self.scope.city_ids
            mine = [n for n in matches if cities is None or n.city_id in cities]
            matches = mine if len(mine) == 1 else matches
        if len(matches) == 1:
            return matches[0]
        if matches:
            cities = "، ".join(sorted({n.city.name for n in matches}))
            errors.append(
                f"محلهٔ «{matches[0].name}» در چند شهر هست ({cities})؛ به جای نام، کد محله را "
                "بنویسید."
            )
        else:
            errors.append(
                f"محله‌ای با کد یا نام{self._shown(text)} در سامانه نیست؛ کد محله را از برگهٔ "
                f"«{self.sheet}»ی نمونهٔ فایل بردارید."
            )
        return None

    def agency(self, text: str, errors: list[str]) -> Agency | None:
        if not text:
            if self.own_agency is None:
                errors.append(f"«{self.agency_label}» خالی است.")
            return self.own_agency
        matches = self.agency_by_key.get(text.strip().lower()) or self.agency_by_key.get(
            compact_key(text), set()
        )
        if len(matches) == 1:
            return next(iter(matches))
        names = "، ".join(f"«{agency.short_name}»" for agency in self.agencies)
        shown = f"دستگاه «{text}»" if self.echo else f"«{self.agency_label}»"
        errors.append(f"{shown} شناخته نشد؛ یکی از این‌ها را بنویسید: {names}.")
        return None
