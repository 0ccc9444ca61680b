"""Who is asking: the client's address as the trusted source reports it, and a stable,
non-reversible key made from it.

The login lockout (django-axes, through ``AXES_CLIENT_IP_CALLABLE``), the comment rate limit and
the view counter all ask here, so they agree on who is asking. The address comes from
``REMOTE_ADDR``, or, behind a proxy that sets it, from the header named in ``CLIENT_IP_HEADER``
(e.g. ``HTTP_X_REAL_IP`` with nginx's ``proxy_set_header X-Real-IP $remote_addr``).
``X-Forwarded-For`` is not read by default: without a proxy that overwrites it, any client could
send a new value with every request and dodge the limits.
"""

import hashlib

from django.conf import settings


def client_ip(request) -> str:
    """Return the client's IP address as the trusted source reports it ('' if unknown)."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        # A proxy may append: the first entry is the one the proxy itself saw connect.
        first = value.split(",")[0].strip()
        if first:
            return first
    return request.META.get("REMOTE_ADDR", "")


def client_key(request) -> str:
    """Return a short hash of the client's address, safe to use in cache keys."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode())
    return digest.hexdigest()[:24]
