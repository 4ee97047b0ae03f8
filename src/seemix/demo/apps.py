from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "seemix.demo"
    label = "demo"
    verbose_name = "demo data"
