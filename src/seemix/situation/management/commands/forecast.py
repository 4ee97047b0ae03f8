"""`seemix forecast [--date D] [--series KEY ...] [--horizon N]`: forecasts of the daily figures with
their bands, and the early warning on capacity; `seemix forecast --backtest`: the backtest table on
the real 2015-16 route data (seemix.analysis.forecasting.evaluation)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seemix.analysis.forecasting.evaluation import route_backtest
from seemix.core.errors import DomainError
from seemix.paths import PACKAGE_DIR
from seemix.situation.services import forecasts as service

# The daily arrivals and the IFRC dashboard's models, shipped with the demo data
# (src/seemix/demo/data/PROVENANCE.md), so that the backtest runs from a fresh clone.
DEFAULT_ROUTE_DATA = PACKAGE_DIR / "demo" / "data"


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date of the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Forecast every daily series (country arrivals, border sections, crossing points, sites' persons "
        "present) 1-14 days ahead with 80 % and 95 % bands, from every current report, and raise a "
        "FORECAST_CAPACITY alert where the upper band crosses a site's or a country's capacity. "
        "--backtest prints the backtest table on the 2015-16 route data instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=_date, help="Forecast from this day (default: the last with figures)"
        )
        parser.add_argument("--series", nargs="+", help="Only these series, e.g. country:RS site:HR-OPATOVAC")
        parser.add_argument("--horizon", type=int, default=service.HORIZON, help="Days ahead, 1-14")
        parser.add_argument("--no-alerts", action="store_true", help="Do not run the early warning")
        parser.add_argument("--backtest", action="store_true", help="Print the backtest table and stop")
        parser.add_argument(
            "--data", type=Path, default=DEFAULT_ROUTE_DATA, help="The balkan_route_daily folder (--backtest)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["backtest"]:
            self._backtest(options["data"])
            return
        try:
            results = service.forecasts_for(
                None, day=options["date"], series=options["series"], horizon=options["horizon"]
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        if not results:
            self.stdout.write("No series with three weeks of daily figures to forecast.")
            return
        self.stdout.write(
            f"Forecasts from {results[0].origin.isoformat()} (forecast [80 % band] [95 % band]):"
        )
        for result in results:
            self.stdout.write(f"\n{result.key} (last figure {result.last_observed.isoformat()})")
            for i, day in enumerate(result.days):
                capacity = result.capacity[i] if result.capacity else None
                self.stdout.write(
                    f"  {day.isoformat()}  {result.forecast[i]:>9,.0f}  [{result.lo_80[i]:,.0f} - "
                    f"{result.hi_80[i]:,.0f}]  [{result.lo_95[i]:,.0f} - {result.hi_95[i]:,.0f}]  "
                    f"{result.models[i]}" + (f"  capacity {capacity:,}" if capacity is not None else "")
                )
        if not options["no_alerts"]:
            alerts = service.forecast_capacity_alerts(results[0].origin, horizon=options["horizon"])
            self.stdout.write(f"\nEarly warning: {len(alerts)} forecast capacity alert(s)")
            for alert in alerts:
                self.stdout.write(f"  {alert.title}")

    def _backtest(self, folder: Path) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder; pass --data PATH/TO/balkan_route_daily")
        self.stdout.write("Running the backtest (a few minutes: AutoETS is refit at every origin)...")
        report = route_backtest(folder)
        self.stdout.write(f"{report.origins} origins x 14 days x 6 series in {report.seconds:.0f} s\n")
        self.stdout.write(report.markdown())
