from django.apps import AppConfig


class ExhibitionConfig(AppConfig):
    name = "exhibition"
    verbose_name = "نمایشگاه"
