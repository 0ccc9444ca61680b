from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("درگاه محله")

    def ready(self):
        from core.caching import connect_invalidation

        connect_invalidation()
