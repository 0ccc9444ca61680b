"""The portal as gunicorn runs it in production, plus the uploaded photos that nginx would serve.

`make quality` has no nginx in front of gunicorn; without this, every photo on the measured
pages would be a 404 and Lighthouse would score pages that no visitor ever sees. The photos get
nginx's lifetime for /media/ (deploy/nginx.conf.example: `expires 1h`).
"""

from django.conf import settings
from whitenoise import WhiteNoise

from portal.wsgi import application as portal

application = WhiteNoise(portal, root=settings.MEDIA_ROOT, prefix="media/", max_age=3600)
