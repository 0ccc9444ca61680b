"""Template access to the program scope, for panel links shown only to those who may use them.

Usage: ``{% load records_panel %}{% with scope=user|program_scope %}…{% endwith %}``.
"""

from django import template

from agencies.scoping import scope_for

register = template.Library()


@register.filter
def program_scope(user):
    """The user's :class:`~agencies.scoping.Scope` (cached on the user, so one lookup a page)."""
    return scope_for(user)
