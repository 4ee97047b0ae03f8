from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "seemix.measures"
    label = "measures"
    verbose_name = "measures"

    def worker_started(self, *, batch: bool) -> None:
        """Called by `seemix worker` before its queue loop: escalate what fell overdue meanwhile,
        and keep sweeping for overdue acknowledgements while the worker runs."""
        from seemix.measures.tasks import SWEEP_SECONDS, EscalationSweeper

        sweeper = EscalationSweeper(interval=SWEEP_SECONDS)
        sweeper.sweep()
        if not batch:
            sweeper.start()
