"""``{% panel_scope as scope %}``: the signed-in user's program scope, for panel templates."""

from django import template

from agencies.scoping import scope_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panel_scope(context):
    """The scope of the request's user (cached on the user, so cheap to ask twice)."""
    request = context.get("request")
    return scope_for(getattr(request, "user", None))
