from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "seemix.situation"
    label = "situation"
    verbose_name = "situation"

    def worker_started(self, *, batch: bool) -> None:
        """Called by `seemix worker` before its queue loop: compute the impact levels of the latest
        reported days now, and again every hour while the worker runs."""
        from seemix.situation.picture_worker import SWEEP_SECONDS, ImpactSweeper

        sweeper = ImpactSweeper(interval=SWEEP_SECONDS)
        sweeper.sweep()
        if not batch:
            sweeper.start()
