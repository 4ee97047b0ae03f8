"""`seemix escalate`: escalate every notification not acknowledged by its deadline (run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from seemix.measures.services import escalate_overdue
from seemix.measures.tasks import escalate_overdue as escalate_overdue_task


class Command(BaseCommand):
    help = (
        "Escalate each addressee that has not acknowledged a measure's notification by its deadline "
        "(SEEMIX_ACK_DEADLINE_PLANNED_HOURS / _IMMEDIATE_HOURS) to its 24/7 contact point and the "
        "secretariat. Safe to run often: each is escalated once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the background worker instead of doing it now",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = escalate_overdue_task.enqueue()
            self.stdout.write(f"Enqueued the escalation of overdue acknowledgements (task {result.id}).")
            return
        made = escalate_overdue()
        for escalation in made:
            recipient = escalation.recipient
            self.stdout.write(
                f"Escalated: {recipient.participant.code} has not acknowledged "
                f"{recipient.notification.identifier} (due {recipient.acknowledge_by:%Y-%m-%d %H:%M} UTC)."
            )
        self.stdout.write(f"{len(made)} escalation(s).")
