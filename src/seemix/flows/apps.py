from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "seemix.flows"
    label = "flows"
    verbose_name = "flows"

    def worker_started(self, *, batch: bool) -> None:
        """Called by `seemix worker` before its queue loop: remind the participants whose daily report
        is late, and keep looking for them while the worker runs (no cron needed)."""
        from seemix.flows.tasks import SWEEP_SECONDS, ReminderSweeper

        sweeper = ReminderSweeper(interval=SWEEP_SECONDS)
        sweeper.sweep()
        if not batch:
            sweeper.start()
