"""Staff reading media visitors may not see: ``/panel/media/<name>`` (core/media.py).

Staff pages link every image of what they manage here, wherever its file lies: in the private
tree while the photo is hidden (or its exhibit or exhibition unpublished), in the public one
otherwise.  The page needs the ``see`` right (403 without it, the login page for visitors) and
the file must belong to a row the reader's scope holds (exhibition/media.py): anything else,
including a name that is not a stored file's (``..``, NUL, a folder), is a 404 before any file
is touched.  Like every staff response it is ``Cache-Control: private, no-store``; with
``PRIVATE_MEDIA_ACCEL_PREFIX`` set nginx sends the file (``X-Accel-Redirect``), otherwise it is
streamed from disk.  It lives here, above the apps, so further apps with private files can join
the table below.
"""

from django.http import Http404
from django.views import View

from agencies.access import StaffAccessMixin
from core import media
from exhibition.media import staff_file as exhibition_file

# Each app's rule: the row owning a file name if the user may see it, None if the name is not
# the app's, OutOfScope if it is but the user may not see it.
OWNERS = (exhibition_file,)


class PrivateMediaView(StaffAccessMixin, View):
    needs = "see"
    http_method_names = ["get", "head"]

    def load(self, name, **kwargs):
        if not media.is_stored_name(name):
            raise Http404("نشانی پرونده درست نیست.")
        for owner_of in OWNERS:
            if owner_of(self.request.user, name) is not None:
                return
        raise Http404("این پرونده پیدا نشد.")

    def get(self, request, name):
        return media.file_response(name)
