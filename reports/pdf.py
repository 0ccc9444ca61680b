"""A page's HTML turned into a PDF by WeasyPrint, without going to the network.

The report's PDF is the print page itself: the same template and the same stylesheets. Its
``<link>`` and ``@font-face`` addresses are the site's static URLs; :class:`StaticFilesFetcher`
answers them from the static files on disk (the source folders, or ``STATIC_ROOT`` for the
hashed names of production) and refuses every other address, so a PDF never waits on, or
leaks anything to, another server.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process, and the
# upload checks (core/images.py) would then take a cut-off photo as whole. Our PDFs draw no
# raster image, so Pillow's default goes back.
ImageFile.LOAD_TRUNCATED_IMAGES = False


def static_file(url: str) -> Path | None:
    """The file on disk behind a static *url* of this site, or None."""
    prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(urlsplit(url).path)
    if not path.startswith(prefix):
        return None
    name = path.removeprefix(prefix)
    try:
        found = finders.find(name)
        if not found and staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return Path(found) if found and Path(found).is_file() else None


class StaticFilesFetcher(URLFetcher):
    """Serves the site's static files from disk; any other address is refused."""

    def fetch(self, url, headers=None):
        found = static_file(url)
        if found is None:
            raise ValueError(f"the report's PDF loads only the site's static files, not {url}")
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """*html* as PDF bytes; relative addresses in it are read against *base_url*."""
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher()).write_pdf()
