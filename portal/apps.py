from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from taggit.apps import TaggitAppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "درگاه محله"


# The libraries' apps under Persian names: the admin's index heads each app's models with its
# name, and «AXES» and «TAGGIT» were the only Latin words there.
class AxesConfig(AxesAppConfig):
    verbose_name = "ورودهای ناموفق و قفل حساب‌ها"


class TaggitConfig(TaggitAppConfig):
    verbose_name = "برچسب‌ها"
