"""`seemix import FILE --participant CODE`: a CSV, XLSX or HXL file of figures, as new report revisions.

The same validation as the web form, the upload page and the API. All or nothing unless
``--row-by-row``. Every problem is printed with its file, sheet, row, column, value, reason and
suggestion; the command exits with status 1 when nothing was written.
"""

from __future__ import annotations

from typing import IO, Any, cast

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from seemix.core.classification import Classification
from seemix.core.errors import DomainError
from seemix.directory.models import Participant
from seemix.directory.principals import principal_for_user
from seemix.flows.inputs import Problem
from seemix.flows.models import Channel
from seemix.flows.readers import FORMATS
from seemix.flows.readers.importing import ImportOutcome, import_file
from seemix.flows.staged_import import import_csv


def describe(problem: Problem) -> list[str]:
    """A problem as the lines of the report: where, what, the value, and what to do."""
    where = str(problem.location) or _("(the whole file)")
    lines = [f"{problem.severity.upper():<7} {where}: {problem.message}"]
    if problem.value:
        lines.append(
            "        " + _("value: %(value)r (%(field)s)") % {"value": problem.value, "field": problem.field}
        )
    if problem.suggestion:
        lines.append("        " + _("suggestion: %(text)s") % {"text": problem.suggestion})
    return lines


class Command(BaseCommand):
    help = (
        "Import a file of figures (CSV, XLSX, or HXL-tagged CSV/XLSX) as the reports of a participant. "
        "All or nothing unless --row-by-row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The file: .csv, .xlsx, or HXL-tagged either")
        parser.add_argument(
            "--participant", required=True, help="The reporting participant (code: RS, HR...)"
        )
        parser.add_argument(
            "--row-by-row",
            action="store_true",
            help="Keep the rows without errors and report every rejected row (default: all or nothing)",
        )
        parser.add_argument(
            "--classification", choices=Classification.values, default=Classification.REGIONAL
        )
        parser.add_argument(
            "--audience", default="", help="For restricted reports: participant codes, comma-separated"
        )
        parser.add_argument("--source-note", default="", help="Where the figures come from")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv or xlsx (default: from the name and content); hxl forces HXL",
        )
        parser.add_argument("--sheet", help="The XLSX sheet (default: the first visible one)")
        parser.add_argument(
            "--user", help="Submit as this user (their rights apply); default: the system (the operator)"
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar")
        parser.add_argument(
            "--row-path",
            action="store_true",
            help="Read the file row by row even where the staged path applies (same outcome, slower)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        participant = self._participant(options["participant"])
        audience = [self._participant(code) for code in options["audience"].split(",") if code.strip()]
        actor = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(_("No active user %(name)r.") % {"name": options["user"]})
            actor = principal_for_user(user)
        console = Console(file=cast(IO[str], self.stderr), stderr=True)
        show_progress = not options["no_progress"] and console.is_terminal
        progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rows]:,} rows"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not show_progress,
        )
        with progress:
            task = progress.add_task(_("Reading %(file)s") % {"file": options["file"]}, total=None, rows=0)

            def advance(done: int, total: int, rows: int) -> None:
                progress.update(task, completed=done, total=total or None, rows=rows)

            try:
                read = import_file if options["row_path"] else import_csv
                paths: list[str] = []
                extra: dict[str, Any] = {} if options["row_path"] else {"on_path": paths.append}
                outcome = read(
                    options["file"],
                    actor=actor,
                    participant=participant,
                    fmt=options["format"],
                    sheet=options["sheet"],
                    row_by_row=options["row_by_row"],
                    classification=options["classification"],
                    audience=audience,
                    source_note=options["source_note"],
                    channel=Channel.CLI,
                    progress=advance,
                    **extra,
                )
            except DomainError as error:  # not allowed, a draft in the way, bad options
                raise CommandError(error.detail) from None
        if options["verbosity"] >= 2:
            used = paths[0] if paths else "rows"
            self.stderr.write(_("Import path: %(path)s") % {"path": used})
        self._report(outcome)
        if not outcome.written:
            raise CommandError(_("The import was rejected: nothing was written."))

    def _participant(self, code: str) -> Participant:
        participant = Participant.objects.filter(code=code.strip().upper()).first()
        if participant is None:
            codes = ", ".join(Participant.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(
                _("There is no participant %(code)r. The participants: %(codes)s.")
                % {"code": code, "codes": codes}
            )
        return participant

    def _report(self, outcome: ImportOutcome) -> None:
        for problem in outcome.problems:
            for line in describe(problem):
                self.stdout.write(line)
        errors, warnings = len(outcome.errors), len(outcome.warnings)
        counts = ngettext("%(n)d error", "%(n)d errors", errors) % {"n": errors}
        counts += ", " + ngettext("%(n)d warning", "%(n)d warnings", warnings) % {"n": warnings}
        result = outcome.result
        if not outcome.written:
            self.stdout.write(
                _("Rejected (%(counts)s): nothing was written. %(rows)d rows read.")
                % {"counts": counts, "rows": outcome.rows_read}
            )
            return
        assert result is not None
        reports = len(result.revisions)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported %(accepted)d figures into %(reports)d reports (submission %(submission)s); "
                    "%(rejected)d rows rejected; %(counts)s."
                )
                % {
                    "accepted": result.accepted,
                    "reports": reports,
                    "submission": result.submission_id,
                    "rejected": result.rejected,
                    "counts": counts,
                }
            )
        )
