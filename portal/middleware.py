"""Request-wide pieces of the Persian layer."""

import jdatetime


class JalaliLocaleMiddleware:
    """Set jdatetime's Persian locale on the thread serving each request.

    jdatetime keeps its locale per thread, so a gunicorn thread that never set it
    would print English month names from `strftime`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        jdatetime.set_locale(jdatetime.FA_LOCALE)
        return self.get_response(request)
