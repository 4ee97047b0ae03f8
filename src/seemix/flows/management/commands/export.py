"""`seemix export`: observations as a file, read as a named user (the user's access rules apply)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seemix.core.errors import DomainError, InvalidInput
from seemix.directory.principals import principal_for_user
from seemix.flows.exports import FORMATS, render
from seemix.flows.exports.source import export_rows, observations_for_export


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)r is not a date of the form YYYY-MM-DD") % {"value": value}) from None


def _option(field: str) -> str:
    return {"date_from": "--from", "date_to": "--to"}.get(field, "--" + field.replace("_", "-"))


class Command(BaseCommand):
    help = (
        "Export the observations a user may read as CSV, XLSX, HXL, SDMX-CSV, SDMX-ML 2.1 or JSON. "
        "RESTRICTED reports are exported only for users of their participant or audience."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=list(FORMATS), default="csv")
        parser.add_argument("--user", required=True, help="Act as this user (name): their rights apply")
        parser.add_argument("--participant", help="Only the reports of this participant (code)")
        parser.add_argument("--indicator", help="Only this indicator (code)")
        parser.add_argument(
            "--place", help="Only this crossing point, site, border section or country (code)"
        )
        parser.add_argument("--breakdown", help="Only this breakdown (nationality, sex, age_group, ...)")
        parser.add_argument("--from", dest="date_from", type=_date, help="First day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="date_to", type=_date, help="Last day (YYYY-MM-DD)")
        parser.add_argument(
            "--as-of", dest="as_of", help="The reports as they stood then (ISO 8601 timestamp)"
        )
        parser.add_argument("-o", "--output", help="Write to this file (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active user %(name)r.") % {"name": options["user"]})
        filters: dict[str, Any] = {
            name: options[name]
            for name in ("participant", "indicator", "place", "breakdown", "date_from", "date_to")
            if options[name] is not None
        }
        if options["as_of"]:
            try:
                filters["as_of"] = datetime.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    _("--as-of %(value)r is not an ISO 8601 timestamp") % {"value": options["as_of"]}
                ) from None
        try:
            values = observations_for_export(principal_for_user(user), **filters)
            chunks = render(options["format"], export_rows(values))
            written = self._write(chunks, options["output"])
        except InvalidInput as invalid:
            raise CommandError(
                "; ".join(f"--{e.field.replace('_', '-')}: {e.message}" for e in invalid.errors)
            ) from None
        except DomainError as error:
            raise CommandError(error.detail) from None
        if options["output"]:
            self.stderr.write(
                ngettext("Wrote %(n)d byte to %(file)s.", "Wrote %(n)d bytes to %(file)s.", written)
                % {"n": written, "file": options["output"]}
            )

    def _write(self, chunks: Any, output: str | None) -> int:
        written = 0
        if output:
            with Path(output).open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    written += len(chunk)
            return written
        stream = getattr(self.stdout, "_out", sys.stdout)
        binary = getattr(stream, "buffer", None)
        for chunk in chunks:
            if binary is not None:
                binary.write(chunk)
            else:
                stream.write(chunk.decode("utf-8"))
            written += len(chunk)
        stream.flush()
        return written
