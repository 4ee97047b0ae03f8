from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "seemix.situation"
    label = "situation"
    verbose_name = "situation"
