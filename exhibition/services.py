"""Writes to exhibition content.

Each function checks the writer's scope (agencies.scoping: agency staff only in their own
agency's booths, coordinators everywhere, viewers nowhere), validates with ``full_clean()``,
writes inside one transaction, removes files stored for a write that failed, deletes the files of
removed images once the deletion commits.  (Cached public pages go stale by themselves: every
save and delete in this app moves core.caching's content generation on.)

``scope`` may be passed instead of being read from ``user``: the Django admin does so, because
there Django's own model permissions decide and the admin acts for the whole province.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from agencies.scoping import Scope, scope_for
from core.digits import to_persian_digits
from core.images import CleanedImage, delete_files_on_commit, files_removed_on_error
from exhibition.models import Booth, Exhibit, Exhibition, Photo

WHOLE_PROVINCE = Scope(sees_anything=True, can_write=True, can_restore=True)


def _writer_scope(user, scope: Scope | None) -> Scope:
    scope = scope or scope_for(user)
    scope.require_write()
    return scope


def require_exhibition_manager(user, scope: Scope | None = None) -> Scope:
    """Exhibitions themselves are the coordinators' business; agency staff manage booths."""
    scope = _writer_scope(user, scope)
    if not scope.is_whole_province:
        raise PermissionDenied("نمایشگاه را فقط هماهنگ‌کنندهٔ استانی تعریف یا ویرایش می‌کند.")
    return scope


def booth_in_scope(booth: Booth, scope: Scope) -> bool:
    """Whether a booth (saved or not) lies inside the scope, by the rule of Scope.filter_by."""
    if not scope.sees_anything:
        return False
    if scope.agency_id is not None and booth.agency_id != scope.agency_id:
        return False
    if scope.city_ids is not None:
        neighbourhood = booth.neighbourhood
        return neighbourhood is not None and neighbourhood.city_id in scope.city_ids
    return True


def _require_booth(booth: Booth, scope: Scope) -> None:
    if not booth_in_scope(booth, scope):
        raise PermissionDenied("این غرفه در حوزهٔ دسترسی شما نیست.")


def exhibition_save(
    *,
    exhibition: Exhibition,
    user,
    cover: CleanedImage | None = None,
    remove_cover: bool = False,
    scope: Scope | None = None,
) -> Exhibition:
    """Create or update an exhibition, optionally replacing or removing its cover image."""
    require_exhibition_manager(user, scope)
    with files_removed_on_error(), transaction.atomic():
        replaced = []
        if cover is not None:
            replaced = exhibition.store_image(cover)
        elif remove_cover and exhibition.has_image:
            replaced = exhibition.image_file_names()
            exhibition.image, exhibition.width, exhibition.height = "", 0, 0
            exhibition.renditions = []
        exhibition.full_clean()
        exhibition.save()
        delete_files_on_commit(replaced)
    return exhibition


def booth_save(*, booth: Booth, user, scope: Scope | None = None) -> Booth:
    """Create or update a booth; agency staff may only place it in their own agency and cities."""
    scope = _writer_scope(user, scope)
    if scope.agency_id is not None and booth.agency_id != scope.agency_id:
        raise ValidationError({"agency": "غرفه را فقط برای دستگاه خودتان می‌توانید ثبت کنید."})
    if not booth_in_scope(booth, scope):
        raise ValidationError({"neighbourhood": "این محله در حوزهٔ دسترسی شما نیست."})
    with transaction.atomic():
        booth.full_clean()
        booth.save()
    return booth


def booth_delete(*, booth: Booth, user, scope: Scope | None = None) -> None:
    """Delete an empty booth; a booth with exhibits is kept so nothing disappears by accident."""
    scope = _writer_scope(user, scope)
    _require_booth(booth, scope)
    count = booth.exhibits.count()
    if count:
        raise ValidationError(
            f"این غرفه {to_persian_digits(count)} اثر دارد؛ نخست آثار را حذف یا جابه‌جا کنید."
        )
    with transaction.atomic():
        booth.delete()


def exhibit_save(*, exhibit: Exhibit, user, scope: Scope | None = None) -> Exhibit:
    """Create or update an exhibit in a booth the writer manages."""
    scope = _writer_scope(user, scope)
    _require_booth(exhibit.booth, scope)
    if exhibit.pk is None and exhibit.created_by_id is None and getattr(user, "pk", None):
        exhibit.created_by = user
    with transaction.atomic():
        exhibit.full_clean()
        exhibit.save()
    return exhibit


def exhibit_delete(*, exhibit: Exhibit, user, scope: Scope | None = None) -> None:
    """Delete an exhibit with its photos; their files go once the deletion commits."""
    scope = _writer_scope(user, scope)
    _require_booth(exhibit.booth, scope)
    with transaction.atomic():
        names = [name for photo in exhibit.photos.all() for name in photo.image_file_names()]
        exhibit.delete()
        delete_files_on_commit(names)


def photos_add(
    *,
    exhibit: Exhibit,
    images: list[CleanedImage],
    alt_text: str,
    user,
    caption: str = "",
    shows_people: bool = True,
    consent_recorded: bool = False,
    scope: Scope | None = None,
) -> list[Photo]:
    """Add several photos to an exhibit: all of them, or none (rows and files alike).

    With several photos, «(عکس ۲ از ۵)» is appended to the shared alt text so each stays
    distinguishable for screen readers until staff describe them one by one.
    """
    scope = _writer_scope(user, scope)
    _require_booth(exhibit.booth, scope)
    if not images:
        raise ValidationError("دست‌کم یک تصویر انتخاب کنید.")
    photos = []
    with files_removed_on_error(), transaction.atomic():
        last = exhibit.photos.aggregate(last=Max("order"))["last"]
        first_order = 0 if last is None else last + 1
        for index, cleaned in enumerate(images):
            alt = alt_text.strip()
            if len(images) > 1:
                position = to_persian_digits(f"{index + 1} از {len(images)}")
                alt = f"{alt} (عکس {position})"
            photo = Photo(
                exhibit=exhibit,
                alt_text=alt,
                caption=caption,
                shows_people=shows_people,
                consent_recorded=shows_people and consent_recorded,
                order=first_order + index,
                uploaded_by=user if getattr(user, "pk", None) else None,
            )
            photo.store_image(cleaned)
            photo.full_clean()
            photo.save()
            photos.append(photo)
    return photos


def photo_update(
    *, photo: Photo, user, image: CleanedImage | None = None, scope: Scope | None = None
) -> Photo:
    """Save a photo's caption, alt text, consent flags and order (and a replacement image)."""
    scope = _writer_scope(user, scope)
    _require_booth(photo.exhibit.booth, scope)
    if not photo.shows_people:
        # Consent is about people in the photo; without people the flag means nothing.
        photo.consent_recorded = False
    with files_removed_on_error(), transaction.atomic():
        replaced = photo.store_image(image) if image is not None else []
        photo.full_clean()
        photo.save()
        delete_files_on_commit(replaced)
    return photo


def photo_delete(*, photo: Photo, user, scope: Scope | None = None) -> None:
    """Delete a photo; its original and renditions are removed once the deletion commits."""
    scope = _writer_scope(user, scope)
    _require_booth(photo.exhibit.booth, scope)
    with transaction.atomic():
        names = photo.image_file_names()
        photo.delete()
        delete_files_on_commit(names)


def exhibition_delete(*, exhibition: Exhibition, user, scope: Scope | None = None) -> None:
    """Delete an exhibition without booths (booths are protected), with its cover files."""
    require_exhibition_manager(user, scope)
    if exhibition.booths.exists():
        raise ValidationError("این نمایشگاه غرفه دارد؛ نخست غرفه‌ها را حذف کنید.")
    with transaction.atomic():
        names = exhibition.image_file_names()
        exhibition.delete()
        delete_files_on_commit(names)
