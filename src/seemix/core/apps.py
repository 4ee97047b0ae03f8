from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "seemix.core"
    label = "core"
    verbose_name = "seemix core"
