"""The floor bench/run measures the portal against: a bare Django view, with no middleware, no
database, no templates and no apps, served by the same gunicorn with the same flags.

    gunicorn -c deploy/gunicorn.conf.py --pythonpath bench floor:application

What it answers in a second is what this machine, this Python, gunicorn and Django's request
handling can do at best right now; a page's requests per second divided by the floor's in the
same round says how much the page itself costs, and stays comparable between machines and
between runs on a machine that other jobs share.
"""

import os

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "floor-has-no-secrets"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402  (needs the settings above)
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def floor(request):
    return HttpResponse("کف", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", floor)]
application = get_wsgi_application()
