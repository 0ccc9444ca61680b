"""Writes to exhibition content.

Each function takes the object (a model instance) and the user acting, keyword-only. It checks
the writer's scope (agencies.access: agency staff only in their own agency's booths,
coordinators everywhere, viewers nowhere; an object outside it raises ``OutOfScope``), validates
with ``full_clean()``, writes inside one transaction, removes files stored for a write that
failed, deletes the files of removed images once the deletion commits, and tells the public page
cache when a published exhibition changed. The staff panel, the Django admin (as the signed-in
admin) and the demo data (as ``access.SYSTEM``) all write through here.

Files follow what visitors may see (exhibition/media.py): new files are stored in the tree the
object's state calls for, and every write that can move a photo or a cover in or out of public
view (consent, publication of a photo's exhibit or exhibition, a booth moved to another
exhibition) sorts the files once it commits, before the page cache goes stale.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from agencies.access import acting_user, scope_for
from core.caching import Topic, public_content_changed
from core.digits import to_persian_digits
from core.images import CleanedImage, delete_files_on_commit, files_removed_on_error
from exhibition.media import sort_on_commit
from exhibition.models import Booth, Exhibit, Exhibition, Photo


def _require_booth(booth: Booth, user) -> None:
    """The writer may change this booth's content: it is in their scope and they may write."""
    scope = scope_for(user)
    scope.require_contains(booth)
    scope.require("write")


def _changed_if_public(*exhibitions) -> None:
    """Cached public pages go stale only for a change in an exhibition visitors can see."""
    if any(exhibition is not None and exhibition.is_published for exhibition in exhibitions):
        public_content_changed(Topic.EXHIBITION)


def exhibition_save(
    *,
    exhibition: Exhibition,
    user,
    cover: CleanedImage | None = None,
    remove_cover: bool = False,
) -> Exhibition:
    """Create or update an exhibition, optionally replacing or removing its cover image.

    Exhibitions themselves are the coordinators' business; agency staff manage booths.
    """
    scope_for(user).require("manage_province")
    was_published = (
        exhibition.pk is not None
        and Exhibition.objects.filter(pk=exhibition.pk, is_published=True).exists()
    )
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
        photos = ()
        if was_published != exhibition.is_published:
            photos = Photo.objects.filter(exhibit__booth__exhibition=exhibition)
        sort_on_commit(exhibitions=[exhibition], photos=photos)
        if was_published or exhibition.is_published:
            public_content_changed(Topic.EXHIBITION)
    return exhibition


def booth_save(*, booth: Booth, user) -> Booth:
    """Create or update a booth; agency staff may only place it in their own agency and cities."""
    scope = scope_for(user)
    stored = None
    if booth.pk is not None:
        stored = scope.get(Booth.objects.all(), pk=booth.pk)  # the stored booth must be theirs too
    scope.require("write")
    if scope.agency_id is not None and booth.agency_id != scope.agency_id:
        raise ValidationError({"agency": "غرفه را فقط برای دستگاه خودتان می‌توانید ثبت کنید."})
    if not scope.contains(booth):
        raise ValidationError({"neighbourhood": "این محله در حوزهٔ دسترسی شما نیست."})
    with transaction.atomic():
        booth.full_clean()
        booth.save()
        moved_from = None
        if stored is not None and stored.exhibition_id != booth.exhibition_id:
            moved_from = stored.exhibition  # its pages lose the booth; its photos may move
            sort_on_commit(photos=Photo.objects.filter(exhibit__booth=booth))
        _changed_if_public(booth.exhibition, moved_from)
    return booth


def booth_delete(*, booth: Booth, user) -> None:
    """Delete an empty booth; a booth with exhibits is kept so nothing disappears by accident."""
    _require_booth(booth, user)
    count = booth.exhibits.count()
    if count:
        raise ValidationError(
            f"این غرفه {to_persian_digits(count)} اثر دارد؛ نخست آثار را حذف یا جابه‌جا کنید."
        )
    with transaction.atomic():
        booth.delete()
        _changed_if_public(booth.exhibition)


def exhibit_save(*, exhibit: Exhibit, user) -> Exhibit:
    """Create or update an exhibit in a booth the writer manages (also the booth it was in)."""
    if exhibit.pk is not None:
        scope_for(user).get(Exhibit.objects.all(), pk=exhibit.pk)
    _require_booth(exhibit.booth, user)
    if exhibit.pk is None and exhibit.created_by_id is None:
        exhibit.created_by = acting_user(user)
    with transaction.atomic():
        exhibit.full_clean()
        exhibit.save()
        sort_on_commit(photos=exhibit.photos.all())  # published or withdrawn: files follow
        _changed_if_public(exhibit.booth.exhibition)
    return exhibit


def exhibit_delete(*, exhibit: Exhibit, user) -> None:
    """Delete an exhibit with its photos; their files go once the deletion commits."""
    _require_booth(exhibit.booth, user)
    with transaction.atomic():
        names = [name for photo in exhibit.photos.all() for name in photo.image_file_names()]
        exhibit.delete()
        delete_files_on_commit(names)
        _changed_if_public(exhibit.booth.exhibition)


def photos_add(
    *,
    exhibit: Exhibit,
    images: list[CleanedImage],
    alt_text: str,
    user,
    caption: str = "",
    shows_people: bool = True,
    consent_recorded: bool = False,
) -> list[Photo]:
    """Add several photos to an exhibit: all of them, or none (rows and files alike).

    With several photos, «(عکس ۲ از ۵)» is appended to the shared alt text so each stays
    distinguishable for screen readers until staff describe them one by one.
    """
    _require_booth(exhibit.booth, user)
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
                uploaded_by=acting_user(user),
            )
            photo.store_image(cleaned)  # hidden photos straight into the private tree
            photo.full_clean()
            photo.save()
            photos.append(photo)
        sort_on_commit(photos=photos)  # in case the exhibit changed meanwhile
        _changed_if_public(exhibit.booth.exhibition)
    return photos


def photo_update(*, photo: Photo, user, image: CleanedImage | None = None) -> Photo:
    """Save a photo's caption, alt text, consent flags and order (and a replacement image)."""
    scope_for(user).get(Photo.objects.all(), pk=photo.pk)
    _require_booth(photo.exhibit.booth, user)
    if not photo.shows_people:
        # Consent is about people in the photo; without people the flag means nothing.
        photo.consent_recorded = False
    with files_removed_on_error(), transaction.atomic():
        replaced = photo.store_image(image) if image is not None else []
        photo.full_clean()
        photo.save()
        delete_files_on_commit(replaced)
        sort_on_commit(photos=[photo])  # consent recorded or withdrawn: the files follow
        _changed_if_public(photo.exhibit.booth.exhibition)
    return photo


def photo_delete(*, photo: Photo, user) -> None:
    """Delete a photo; its original and renditions are removed once the deletion commits."""
    _require_booth(photo.exhibit.booth, user)
    with transaction.atomic():
        names = photo.image_file_names()
        photo.delete()
        delete_files_on_commit(names)
        _changed_if_public(photo.exhibit.booth.exhibition)


def exhibition_delete(*, exhibition: Exhibition, user) -> None:
    """Delete an exhibition without booths (booths are protected), with its cover files."""
    scope_for(user).require("manage_province")
    if exhibition.booths.exists():
        raise ValidationError("این نمایشگاه غرفه دارد؛ نخست غرفه‌ها را حذف کنید.")
    with transaction.atomic():
        names = exhibition.image_file_names()
        exhibition.delete()
        delete_files_on_commit(names)
        _changed_if_public(exhibition)
