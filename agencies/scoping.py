"""The one place that decides what a staff user may see and change.

Every staff list, detail, form, export and dashboard asks `scope_for(user)` and filters
its queryset through it; nothing else in the code reads roles to filter data.

- superuser or provincial coordinator: everything, read and write;
- viewer: everything, read only;
- agency staff: only their agency's houses (optionally only some cities), read and write;
- anyone else (no membership, anonymous): nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from agencies.models import StaffRole


@dataclass(frozen=True)
class Scope:
    sees_anything: bool
    can_write: bool
    can_restore: bool
    agency_id: int | None = None
    city_ids: frozenset[int] | None = None

    @property
    def is_whole_province(self) -> bool:
        return self.sees_anything and self.agency_id is None and self.city_ids is None

    def _filter(self, queryset, agency_field: str, city_field: str):
        if not self.sees_anything:
            return queryset.none()
        if self.agency_id is not None:
            queryset = queryset.filter(**{agency_field: self.agency_id})
        if self.city_ids is not None:
            queryset = queryset.filter(**{f"{city_field}__in": self.city_ids})
        return queryset

    def houses(self, queryset):
        return self._filter(queryset, "agency_id", "neighbourhood__city_id")

    def records(self, queryset):
        return self._filter(queryset, "house__agency_id", "house__neighbourhood__city_id")

    def filter_by(self, queryset, *, agency_field: str, city_field: str):
        """For other apps' models that point at an agency and a city (exhibition booths)."""
        return self._filter(queryset, agency_field, city_field)

    def require_write(self) -> None:
        if not self.can_write:
            raise PermissionDenied("این نقش فقط اجازهٔ دیدن دارد.")


NOTHING = Scope(sees_anything=False, can_write=False, can_restore=False)


def scope_for(user) -> Scope:
    """The scope of this user, read from their membership; cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_program_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._program_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    if user.is_superuser:
        return Scope(sees_anything=True, can_write=True, can_restore=True)
    membership = getattr(user, "membership", None)
    if membership is None:
        return NOTHING
    if membership.role == StaffRole.COORDINATOR:
        return Scope(sees_anything=True, can_write=True, can_restore=True)
    if membership.role == StaffRole.VIEWER:
        return Scope(sees_anything=True, can_write=False, can_restore=False)
    if membership.role == StaffRole.AGENCY_STAFF and membership.agency_id:
        city_ids = frozenset(membership.cities.values_list("id", flat=True))
        return Scope(
            sees_anything=True,
            can_write=True,
            can_restore=False,
            agency_id=membership.agency_id,
            city_ids=city_ids or None,
        )
    return NOTHING
