"""``{% picture %}``: an uploaded image with its renditions, from core/images.py.

Usage::

    {% load pictures %}
    {% picture photo alt=photo.alt_text sizes="(min-width: 992px) 33vw, 100vw" %}
    {% picture article alt=article.image_alt class="img-fluid rounded" loading="eager" %}

``alt`` is required; ``sizes`` tells the browser how wide the image is shown so it picks the
right file from ``srcset``; ``width`` picks the JPEG for browsers without ``srcset``.  Staff
pages add ``staff=True``: the files are then read through the staff view, which also serves
those that are not public (core/media.py).
"""

from django import template

from core.images import render_picture

register = template.Library()


@register.simple_tag
def picture(obj, *, alt, sizes="100vw", loading="lazy", width=640, staff=False, **attrs):
    """Render ``<picture>`` for an ``ImageWithRenditions`` object; ``class=`` sets img's class."""
    return render_picture(
        obj,
        alt=alt,
        sizes=sizes,
        css_class=attrs.get("class", ""),
        loading=loading,
        width=width,
        staff=bool(staff),
    )
