"""`seemix reconcile --from D --to D [--user NAME] [--no-alerts]`: reconcile the route's daily counts
and raise a RECONCILIATION alert per report suspected of a gross error."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from seemix.core.errors import DomainError, InvalidInput
from seemix.directory.principals import principal_for_user
from seemix.situation.services import reconciliation as service


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date of the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Reconcile the daily ARRIVALS, EXITS and PRESENT figures along the route (weighted least squares "
        "under the balance, non-negative), list the reports suspected of a gross error with the evidence, "
        "and raise a RECONCILIATION alert for each. With --user, only the figures that user may read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="date_from", type=_date, required=True, help="First day (YYYY-MM-DD)"
        )
        parser.add_argument("--to", dest="date_to", type=_date, required=True, help="Last day (YYYY-MM-DD)")
        parser.add_argument("--user", help="Act as this user (name): only what they may read is used")
        parser.add_argument("--no-alerts", action="store_true", help="List the suspects, raise no alert")

    def handle(self, *args: Any, **options: Any) -> None:
        principal = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {options['user']!r}.")
            principal = principal_for_user(user)
        try:
            outcome = service.reconcile_route(
                principal, options["date_from"], options["date_to"], raise_alerts=not options["no_alerts"]
            )
        except InvalidInput as invalid:
            raise CommandError(
                "; ".join(f"--{e.field.replace('date_', '')}: {e.message}" for e in invalid.errors)
            ) from None
        except DomainError as error:
            raise CommandError(str(error)) from None
        self._print(outcome)

    def _print(self, outcome: service.RouteReconciliation) -> None:
        write = self.stdout.write
        period = f"{outcome.date_from.isoformat()} to {outcome.date_to.isoformat()}"
        result = outcome.result
        if result is None:
            write(f"No daily figure on the route from {period}: nothing to reconcile.")
            return
        counted = int((~outcome.reports.assumed).sum())
        write(
            f"Reconciled {counted:,} figures from {period} ({outcome.unused:,} with no place on the route)."
        )
        reliability = ", ".join(f"{k} {v:.0%}" for k, v in sorted(result.reliability.items()))
        write(f"Relative errors learnt: {reliability}.")
        before, after = result.global_before, result.global_after
        write(
            f"Global test: chi-square {before.statistic:,.1f} on {before.dof:,.1f} degrees of freedom "
            f"(p = {before.p_value:.3g}) before, {after.statistic:,.1f} on {after.dof:,.1f} "
            f"(p = {after.p_value:.3g}) after {result.rounds} round(s) of elimination."
        )
        write(f"Suspected gross errors: {len(result.suspects)}.")
        for suspect in sorted(result.suspects, key=lambda s: int(outcome.reports.day[s.index])):
            write(f"- {suspect.evidence}")
        write(f"Sustained discrepancies (weeks): {len(result.sustained)}.")
        for window in sorted(result.sustained, key=lambda w: int(outcome.reports.day[w.indices[0]])):
            write(f"- {window.evidence}")
        if outcome.alerts:
            write(f"Alerts: {len(outcome.alerts)} reconciliation alert(s) raised or already open.")
