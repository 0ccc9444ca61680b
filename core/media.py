"""Media that is not public is not publicly reachable: two folders, and files that move.

nginx serves MEDIA_ROOT at ``/media/`` to anyone, with browser caching, and a file there answers
for as long as it lies there.  So a file whose owner visitors may not see (a photo of people
whose consent is not recorded, a photo of an unpublished exhibit, the cover of an unpublished
exhibition) must not lie there.  The design, chosen over the alternatives below:

- **Two trees, one name.**  Every stored file has one name (``exhibition/photos/2025/11/<random
  hex>-640.jpg``) and lives in exactly one of two folders: the public tree (MEDIA_ROOT, Django's
  default storage, served by nginx at MEDIA_URL) or the private tree (``PRIVATE_MEDIA_ROOT``,
  by default a ``private-media`` folder beside MEDIA_ROOT, which nginx serves only as an
  ``internal`` location).  The folder alone says whether visitors reach the file; the database
  holds the same name either way, so nothing is migrated when a file moves.
- **The owner decides the tree.**  ``ImageWithRenditions.files_public()`` says it for an object
  in memory, and a new upload is stored straight into that tree (a hidden photo is never
  public, not even until the commit).  For rows as the database holds them the owning app has a
  sorting function (``exhibition/media.py``) that its services run after every commit that may
  change what visitors see (consent recorded or withdrawn, a photo, exhibit or exhibition
  published or withdrawn), next to the page-cache invalidation, and that
  ``manage.py sort_media`` runs over everything.  It re-reads the state when it runs, so two
  concurrent changes end with the files where the last commit says.
- **A move is atomic on one filesystem** (``os.replace``): the file is in one tree or the other,
  never in both and never half-written.  Across filesystems it is copied under a temporary
  name, renamed into place, then removed from the old tree; with a non-local default storage
  (S3) through the storage API.  Deleting a file deletes it from both trees.
- **Staff read through the application.**  Staff pages link every image of what they manage to
  ``private_url(name)`` (``/panel/media/<name>``), whatever tree holds it; the view checks the
  reader's scope and answers with :func:`file_response`, which streams the file with
  ``FileResponse`` or, when ``PRIVATE_MEDIA_ACCEL_PREFIX`` is set (the deployment), answers
  with an empty body and ``X-Accel-Redirect`` so nginx sends the file itself.  Staff responses
  are ``Cache-Control: private, no-store``.  Only names of the form stored files have (letters,
  digits, ``-`` and ``_`` between slashes, one extension) are looked at: ``..``, absolute paths,
  NUL and other controls are a 404 before any disk access.

Alternatives not taken: serving every image through the application (X-Accel for all) makes
each public image a Django request and a database query, and the page cache no help;
renaming a hidden photo's files to new random names leaves them public to anyone given the new
address; checking consent in nginx is not possible without the database.

A file a browser or proxy already holds cannot be recalled; nginx gives public media a short
lifetime (``deploy/nginx.conf.example``) so a withdrawn photo leaves caches soon after it leaves
the server.
"""

import contextlib
import errno
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.http import FileResponse, Http404, HttpResponse

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}

# What stored names look like: path segments of letters, digits, "-" and "_", one extension.
# Anything else (``..``, a leading slash, a backslash, NUL, spaces, Persian letters) is not a
# file of ours, whatever the disk holds.
logger = logging.getLogger(__name__)

_NAME = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.[A-Za-z0-9]{1,5}")
MAX_NAME_LENGTH = 255


def private_root() -> Path:
    """The private tree's folder: ``PRIVATE_MEDIA_ROOT`` (the settings default it to
    ``private-media`` beside MEDIA_ROOT), or that folder when the setting is empty; read each
    time, so a test's temporary folders apply."""
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.MEDIA_ROOT).parent / "private-media"


class PrivateStorage(FileSystemStorage):
    """The private tree, on disk; its ``url()`` is the staff view's address."""

    @property
    def base_location(self):
        return str(private_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        return private_url(name)


private_storage = PrivateStorage()


def storage_for(*, public: bool) -> Storage:
    """The storage a file of an owner in this state belongs in."""
    return default_storage if public else private_storage


def private_url(name: str) -> str:
    """The address where staff read the file *name* (``/panel/media/<name>``)."""
    return settings.PRIVATE_MEDIA_URL + quote(name)


def is_stored_name(name) -> bool:
    """Whether *name* has the form of a stored file's name (so it is safe to look up)."""
    return (
        isinstance(name, str)
        and 0 < len(name) <= MAX_NAME_LENGTH
        and _NAME.fullmatch(name) is not None
    )


@dataclass
class Placement:
    """What a sorting did: files moved each way, files already in place, files in no tree,
    and moves that failed (logged; the file stays where it was)."""

    made_private: int = 0
    made_public: int = 0
    in_place: int = 0
    missing: int = 0
    failed: int = 0

    def __add__(self, other: "Placement") -> "Placement":
        return Placement(
            self.made_private + other.made_private,
            self.made_public + other.made_public,
            self.in_place + other.in_place,
            self.missing + other.missing,
            self.failed + other.failed,
        )

    @property
    def moved(self) -> int:
        return self.made_private + self.made_public


def place(names, *, public: bool) -> Placement:
    """Move the files *names* into the public tree (``public=True``) or the private one.

    Files already there are left alone; a name in neither tree is counted as missing.  When
    both trees hold a name (a move across filesystems interrupted after the copy), the copy in
    the tree it is leaving is the complete one and replaces the other.  A file another process
    moved meanwhile counts as in place; a move the disk refuses is logged, counted as failed,
    and the other files are still moved.
    """
    source, target = private_storage, default_storage
    if not public:
        source, target = target, source
    result = Placement()
    for name in names:
        if not name:
            continue
        if source.exists(name):
            try:
                _move(name, source, target)
            except FileNotFoundError:
                pass  # moved by another process since exists(): counted below
            except OSError:
                logger.exception("media file %s not moved (public=%s)", name, public)
                result.failed += 1
                continue
            else:
                if public:
                    result.made_public += 1
                else:
                    result.made_private += 1
                continue
        if target.exists(name):
            result.in_place += 1
        else:
            result.missing += 1
    return result


def _local_paths(name: str, source: Storage, target: Storage):
    try:
        return source.path(name), target.path(name)
    except NotImplementedError:  # object storage: no local path
        return None


def _move(name: str, source: Storage, target: Storage) -> None:
    paths = _local_paths(name, source, target)
    if paths is None:
        _move_through_storage(name, source, target)
        return
    old, new = paths
    os.makedirs(os.path.dirname(new), exist_ok=True)
    try:
        os.replace(old, new)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        # Another filesystem: copy beside the destination, rename into place, then remove.
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(new), prefix=".moving-")
        try:
            with os.fdopen(handle, "wb") as out, open(old, "rb") as data:
                while chunk := data.read(1024 * 1024):
                    out.write(chunk)
            os.replace(temporary, new)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        os.unlink(old)


def _move_through_storage(name: str, source: Storage, target: Storage) -> None:
    if target.exists(name):
        target.delete(name)
    with source.open(name, "rb") as data:
        saved = target.save(name, data)
    if saved != name:
        target.delete(saved)
        raise OSError(f"could not store {name!r} under its own name")
    source.delete(name)


def delete_everywhere(name: str) -> None:
    """Delete the file *name* from both trees (nothing happens where it is not)."""
    for storage in (default_storage, private_storage):
        with contextlib.suppress(OSError):
            storage.delete(name)


def exists_anywhere(name: str) -> bool:
    return default_storage.exists(name) or private_storage.exists(name)


def is_private(name: str) -> bool:
    """Whether the file *name* lies in the private tree."""
    return private_storage.exists(name)


def file_response(name: str) -> HttpResponse:
    """The stored image *name* for a reader already allowed to see it, from whichever tree
    holds it; ``Http404`` for a name of another form or a file in neither tree.

    With ``PRIVATE_MEDIA_ACCEL_PREFIX`` the answer has no body: ``X-Accel-Redirect`` sends nginx
    to its internal location for the private tree (or to MEDIA_URL for a public file).
    """
    if not is_stored_name(name):
        raise Http404("نشانی پرونده درست نیست.")
    content_type = CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower())
    if content_type is None:
        raise Http404("این پرونده تصویر نیست.")
    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_PREFIX", "")
    if prefix:
        if private_storage.exists(name):
            base = prefix
        elif default_storage.exists(name):
            base = settings.MEDIA_URL
        else:
            raise Http404("این پرونده پیدا نشد.")
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = base.rstrip("/") + "/" + quote(name)
        return response
    # The private tree first; a file moving meanwhile is found in the other one.
    for storage in (private_storage, default_storage):
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            continue
        return FileResponse(handle, content_type=content_type)
    raise Http404("این پرونده پیدا نشد.")


@checks.register(checks.Tags.security)
def check_private_root(app_configs=None, **kwargs):
    """The private tree must lie outside MEDIA_ROOT (which nginx serves), and apart from it."""
    media = Path(settings.MEDIA_ROOT).resolve()
    private = private_root().resolve()
    if private == media or media in private.parents or private in media.parents:
        return [
            checks.Error(
                "PRIVATE_MEDIA_ROOT must lie outside MEDIA_ROOT, and MEDIA_ROOT outside it.",
                hint="Set DJANGO_PRIVATE_MEDIA_ROOT to a folder nginx does not serve.",
                id="core.E101",
            )
        ]
    return []
