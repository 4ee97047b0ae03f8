from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "seemix.flows"
    label = "flows"
    verbose_name = "flows"
