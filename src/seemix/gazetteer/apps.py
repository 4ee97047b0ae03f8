from django.apps import AppConfig


class GazetteerConfig(AppConfig):
    name = "seemix.gazetteer"
    label = "gazetteer"
    verbose_name = "gazetteer"
