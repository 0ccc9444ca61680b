"""Whether the site still holds demo data, for the notice at the top of the staff panel."""

from functools import cache

from demo.models import DemoRow


def demo_data(request):
    """Offer ``demo_data_present`` to templates, asked only when a template uses it.

    Only the staff panel's base template shows the notice, and only to coordinators, so the
    value is a function the template engine calls on first use: a public page, or a panel page
    of anyone else, costs nothing, and a coordinator's panel page one ``EXISTS``.
    """

    @cache
    def present() -> bool:
        return DemoRow.objects.exists()

    return {"demo_data_present": present}
