from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground layer: the Persian layer, images, pagination and page caching; no app below."""

    name = "core"
    verbose_name = "پایهٔ درگاه"

    def ready(self):
        from core import lookups  # noqa: F401 - registers the integer ``in`` lookup
