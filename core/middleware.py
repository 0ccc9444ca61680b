"""Two site-wide guards: requests with control characters in their address are answered before
any view runs, and every response says which browser features the site never uses.

A NUL byte (``%00``) or another C0/C1 control character has no business in a URL path, a query
parameter's name or its value: nobody types one, and PostgreSQL refuses NUL in text, so a
view that handed it to a query answered 500. This middleware answers every such request with a
Persian 400 page instead. Tab, newline and carriage return are control characters too, but a
pasted search can carry them, so query values keep them (forms strip them); paths never do.

Form fields are covered by Django itself: every ``forms.CharField`` refuses NUL
(``ProhibitNullCharactersValidator``).
"""

import re

from django.shortcuts import render

_IN_PATH = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_IN_QUERY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(request) -> bool:
    if _IN_PATH.search(request.path):
        return True
    for name, values in request.GET.lists():
        if _IN_QUERY.search(name) or any(_IN_QUERY.search(value) for value in values):
            return True
    return False


class RejectControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)


# The site uses no camera, microphone, location, payment or sensor: no page (nor anything a
# page could be made to embed) may ask the browser for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
