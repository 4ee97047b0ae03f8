from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "seemix.outbox"
    label = "outbox"
    verbose_name = "outbox"

    def worker_started(self, *, batch: bool) -> None:
        """Called by `seemix worker` before its queue loop: send what a killed worker left due."""
        from seemix.outbox.tasks import SWEEP_SECONDS, DeliverySweeper

        sweeper = DeliverySweeper(interval=SWEEP_SECONDS)
        sweeper.sweep()
        if not batch:
            sweeper.start()
