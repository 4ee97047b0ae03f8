from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "seemix.outbox"
    label = "outbox"
    verbose_name = "outbox"
