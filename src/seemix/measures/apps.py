from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "seemix.measures"
    label = "measures"
    verbose_name = "measures"
