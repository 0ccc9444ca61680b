from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Invented neighbourhoods, records, news and exhibits for trying the portal out."""

    name = "demo"
    verbose_name = "دادهٔ نمایشی"
