"""Where the exhibition's files lie, and which staff member may read each (core/media.py).

- A photo's files (the original and every rendition) lie in the public media tree exactly when
  ``Photo.objects.public()`` holds the photo: no identifiable people or their consent
  recorded, in a published exhibit of a published exhibition.  Otherwise they lie in the
  private tree, and their ``/media/`` address answers 404.
- An exhibition's cover lies in the public tree while the exhibition is published.

The services call :func:`sort_on_commit` for what a write may have moved in or out of public
view, next to their page-cache invalidation; after the commit it reads the rows afresh and
moves the files (so the answer follows the database even when two writes cross).
``manage.py sort_media`` runs :func:`sort_everything` once, for files stored before this rule
or left behind by an interrupted move.

:func:`staff_file` is the scope rule of the staff view ``/panel/media/<name>``: a photo's files
for those who see its booth (``Photo.objects.visible_to``), a cover for every program role (every
program role sees every exhibition in the panel).
"""

import logging
import re

from django.db import transaction
from django.db.models import QuerySet

from agencies.access import OutOfScope
from core import media
from exhibition.models import Exhibition, Photo

logger = logging.getLogger(__name__)

# The names store_image() gives: <folder>/<year>/<month>/<32 hex digits>[-<width>].<extension>
# (anything after the hex digits is allowed, in case a storage ever added a suffix).
_OWNED_NAME = re.compile(
    r"(?P<folder>exhibition/photos|exhibition/covers)/(?P<stem>\d{4}/\d{2}/[0-9a-f]{32})"
    r"[A-Za-z0-9_-]*\.[A-Za-z0-9]{1,5}"
)


def sort_photos(photos: QuerySet) -> media.Placement:
    """Move the files of *photos* into the tree their rows call for; return what moved."""
    public = set(
        Photo.objects.public().filter(pk__in=photos.values("pk")).values_list("pk", flat=True)
    )
    result = media.Placement()
    for photo in photos.only("pk", "image", "renditions").iterator(chunk_size=500):
        result += media.place(photo.image_file_names(), public=photo.pk in public)
    return result


def sort_covers(exhibitions: QuerySet) -> media.Placement:
    """Move the cover files of *exhibitions* into the tree their publication calls for."""
    result = media.Placement()
    rows = exhibitions.only("pk", "image", "renditions", "is_published")
    for exhibition in rows.iterator(chunk_size=500):
        result += media.place(exhibition.image_file_names(), public=exhibition.is_published)
    return result


def sort_everything() -> dict[str, media.Placement]:
    """Every photo's and every cover's files, each into its tree (``manage.py sort_media``)."""
    return {
        "photos": sort_photos(Photo.objects.all()),
        "covers": sort_covers(Exhibition.objects.all()),
    }


def _ids(objects) -> list[int]:
    if isinstance(objects, QuerySet):
        return list(objects.values_list("pk", flat=True))
    return [obj.pk for obj in objects if obj is not None and obj.pk is not None]


def sort_on_commit(*, photos=(), exhibitions=()) -> None:
    """Once the transaction commits, sort the files of these photos and exhibitions' covers
    (instances or a queryset, whose ids are read now, before anything is deleted).

    A move that fails is logged and leaves the data committed; ``sort_media`` puts it right.
    """
    photo_ids, exhibition_ids = _ids(photos), _ids(exhibitions)
    if not photo_ids and not exhibition_ids:
        return

    def sort():
        result = media.Placement()
        if photo_ids:
            result += sort_photos(Photo.objects.filter(pk__in=photo_ids))
        if exhibition_ids:
            result += sort_covers(Exhibition.objects.filter(pk__in=exhibition_ids))
        if result.failed:
            logger.error(
                "%d exhibition media files not moved; run manage.py sort_media", result.failed
            )

    transaction.on_commit(sort)


def staff_file(user, name: str):
    """The photo or exhibition owning the stored file *name*, if *user* may see it.

    ``None`` when *name* is not an exhibition file's name at all; :class:`OutOfScope` when it
    is, but no row this user may see holds it (another agency's photo, a deleted one).
    """
    match = _OWNED_NAME.fullmatch(name) if media.is_stored_name(name) else None
    if match is None:
        return None
    prefix = f"{match['folder']}/{match['stem']}"
    if match["folder"] == Photo.IMAGE_FOLDER:
        candidates = Photo.objects.visible_to(user)
    else:
        candidates = Exhibition.objects.all()
    for owner in candidates.filter(image__startswith=prefix).only("pk", "image", "renditions"):
        if name in owner.image_file_names():
            return owner
    raise OutOfScope("no exhibition file of that name in scope")
