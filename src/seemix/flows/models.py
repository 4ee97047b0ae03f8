"""Indicators, reports, their revisions and observations.

A report is one participant's figures for one period (a day or a month). It is never changed in
place: every submission or correction is a new ``ReportRevision`` holding the report's complete set
of observations at that moment; the revision it replaces gets ``superseded_at``. The current state
of a report is its submitted revision with ``superseded_at`` null; its state "as of" a time T is the
revision submitted at or before T and not superseded at T.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.gazetteer.models import BorderSection, Country, CrossingPoint, ReceptionSite


class Periodicity(models.TextChoices):
    DAILY = "daily", _("Daily")
    MONTHLY = "monthly", _("Monthly")


class Breakdown(models.TextChoices):
    TOTAL = "", _("Total")
    NATIONALITY = "nationality", _("Nationality (ISO 3166)")
    SEX = "sex", _("Sex")
    AGE_GROUP = "age_group", _("Age group")
    UNACCOMPANIED_MINORS = "unaccompanied_minors", _("Unaccompanied minors")


# The values a breakdown may take (nationality: any ISO 3166 alpha-2 code of the gazetteer).
SEX_VALUES = ("female", "male", "unknown")
AGE_GROUP_VALUES = ("0-13", "14-17", "18-34", "35-64", "65+", "unknown")
UNACCOMPANIED_MINOR_VALUES = ("yes",)


class Indicator(models.Model):
    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=40, default="persons")
    periodicity = models.CharField(_("periodicity"), max_length=8, choices=Periodicity.choices)
    # A list of Breakdown values other than the total, e.g. ["nationality", "sex"].
    allowed_breakdowns = models.JSONField(_("allowed breakdowns"), default=list, blank=True)
    # Exits name the destination country; the other indicators name none.
    needs_counterpart = models.BooleanField(_("needs a counterpart country"), default=False)
    source = models.CharField(_("source of the definition"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["periodicity", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Report(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="reports")
    periodicity = models.CharField(_("periodicity"), max_length=8, choices=Periodicity.choices)
    # The day, or the first day of the month.
    period_start = models.DateField(_("period start"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "participant_id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "periodicity", "period_start"], name="report_one_per_period"
            ),
        ]
        indexes = [models.Index(fields=["periodicity", "period_start"], name="report_period_idx")]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.periodicity} {self.period_start}"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Channel(models.TextChoices):
    FORM = "form", _("Web form")
    UPLOAD = "upload", _("File upload")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    DEMO = "demo", _("Demo data")


class Submission(models.Model):
    """One call that submitted figures (it may touch many reports): its idempotency key and result."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    # SHA-256 of the request's rows and options: the same key with another body is a conflict.
    request_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The answer given the first time, returned unchanged on a retry with the same key.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="submission_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"submission {self.pk} ({self.participant_id}, {self.channel})"


class ReportRevision(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="revisions")
    # The report's participant, repeated so that access checks (core.access.visible_to) read one row.
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("revision"))
    status = models.CharField(_("status"), max_length=10, choices=RevisionStatus.choices)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.REGIONAL
    )
    audience = models.ManyToManyField(
        Participant,
        blank=True,
        related_name="+",
        verbose_name=_("audience"),
        help_text=_("For RESTRICTED reports: the participants that may see it."),
    )
    source_note = models.TextField(_("source note"), blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("Why this revision was made"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # Position in the change feed, taken from FeedCounter just before the submission commits, so
    # that revisions become visible in the order of their numbers (see services/feed.py).
    change_seq = models.BigIntegerField(null=True, blank=True, unique=True)
    observation_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["report_id", "number"]
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="revision_number_unique"),
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="draft"), name="revision_one_draft_per_report"
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status="submitted", superseded_at__isnull=True),
                name="revision_one_current_per_report",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True, change_seq__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False, change_seq__isnull=False),
                name="revision_submitted_fields",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "superseded_at", "report"],
                name="revision_current_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} r{self.number} ({self.status})"


class FeedCounter(models.Model):
    """The single row whose value numbers the change feed (a row lock serialises its increments)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("change-feed counter")

    def __str__(self) -> str:
        return f"change feed at {self.value}"


class Observation(models.Model):
    """One figure of one revision. Narrow on purpose: tens of millions of rows.

    The foreign keys have neither a database constraint nor an index of their own: the validator has
    resolved every code before a row is written, reference rows are never deleted (PROTECT), and a
    constraint trigger or an index per key would multiply the cost of every row written (COPY).
    """

    revision = models.ForeignKey(
        ReportRevision,
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,
        related_name="observations",
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, db_constraint=False, db_index=False, related_name="+"
    )
    date = models.DateField(_("date"))
    # Where: the country always; a crossing point, site or border section when the figure is for one.
    country = models.ForeignKey(
        Country,
        to_field="code",
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    crossing_point = models.ForeignKey(
        CrossingPoint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    site = models.ForeignKey(
        ReceptionSite,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    border_section = models.ForeignKey(
        BorderSection,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    counterpart_country = models.ForeignKey(
        Country,
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    breakdown = models.CharField(_("breakdown"), max_length=24, choices=Breakdown.choices, blank=True)
    breakdown_value = models.CharField(_("breakdown value"), max_length=16, blank=True)
    # None: reported as not available. Missing stays missing, never zero.
    value = models.BigIntegerField(_("value"), null=True, blank=True)
    is_estimate = models.BooleanField(_("estimate"), default=False)
    is_provisional = models.BooleanField(_("provisional"), default=False)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        # One index only: every write path pays for each index on every row. Reads by period ("the
        # last 30 days") select the few current revisions of the reports in that period first
        # (Report.period_start is indexed), then read their rows through this index.
        indexes = [models.Index(fields=["revision", "indicator", "date"], name="observation_revision_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="observation_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.date} {self.country_id} = {self.value}"
