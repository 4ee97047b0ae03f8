"""Tables of the regional picture: impact levels of border sections and the alerts of the picture.

The figures themselves are not copied here: the picture is computed from the observations (flows)
and the measures, so a revised report changes the picture without anything to keep in step. What is
kept here is what a person or a rule decided (an impact level, an alert and its state), with its
history, because a decision must be reviewable later against what was known.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.gazetteer.models import BorderSection, Country, ReceptionSite


class ImpactLevel(models.TextChoices):
    """EUROSUR's impact levels of a border section."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class AssessmentSource(models.TextChoices):
    COMPUTED = "computed", _("Computed by the rules")
    MANUAL = "manual", _("Set by the responsible participant")


class ImpactAssessment(models.Model):
    """One border section's impact level for one day. Never changed: a new assessment is a new row,
    and the current level of a day is the newest row for it (a manual one wins over a computed one
    made before it; a later computation never overrides a manual setting of the same day)."""

    border_section = models.ForeignKey(
        BorderSection, on_delete=models.PROTECT, related_name="+", verbose_name=_("border section")
    )
    day = models.DateField(_("day"))
    level = models.CharField(_("impact level"), max_length=8, choices=ImpactLevel.choices)
    source = models.CharField(_("source"), max_length=8, choices=AssessmentSource.choices)
    # For a manual level: the reason the participant gave. For a computed one: the rule that fired,
    # in words ("arrivals 3.1 times the 14-day baseline").
    reason = models.TextField(_("reason"))
    # The inputs the level was decided on: {"flow": ..., "baseline": ..., "stranded": ..., ...}.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by participant"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["border_section_id", "-day", "-created_at", "-pk"]
        verbose_name = _("impact assessment")
        verbose_name_plural = _("impact assessments")
        indexes = [models.Index(fields=["day", "border_section", "created_at"], name="impact_day_section")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="manual") | (Q(participant__isnull=False) & ~Q(reason="")),
                name="impact_manual_has_participant_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.border_section_id} {self.day}: {self.level} ({self.source})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("an impact assessment is never changed: record a new one")
        super().save(*args, **kwargs)


class AlertKind(models.TextChoices):
    SURGE = "surge", _("Surge")
    SITE_CAPACITY = "site_capacity", _("Site above 90% of capacity")
    COUNT_DISAGREEMENT = "count_disagreement", _("Neighbours' counts disagree")
    SHORT_LEAD_TIME = "short_lead_time", _("Measure notified with short lead time")
    UNACKNOWLEDGED = "unacknowledged", _("Notification unacknowledged past its deadline")
    REPORT_MISSING = "report_missing", _("Daily report missing")
    RECONCILIATION = "reconciliation", _("Suspected gross error in a report")
    FORECAST_CAPACITY = "forecast_capacity", _("Forecast crosses capacity")


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class SituationAlert(models.Model):
    """An alert of the picture. Raised once per (kind, key): a rule that fires again for the same thing
    updates nothing. Its state changes are rows of AlertStateChange."""

    kind = models.CharField(_("kind"), max_length=24, choices=AlertKind.choices)
    # What makes the alert unique within its kind, e.g. "surge:RS:2015-10-21" or "site:12:2015-10-21".
    key = models.CharField(_("key"), max_length=200)
    state = models.CharField(_("state"), max_length=12, choices=AlertState.choices, default=AlertState.OPEN)
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    # The figures the rule decided on, so that a reader can check it: {"value": ..., "baseline": ...}.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    day = models.DateField(_("day"))
    country = models.ForeignKey(
        Country,
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )
    border_section = models.ForeignKey(
        BorderSection,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("border section"),
    )
    site = models.ForeignKey(
        ReceptionSite,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
    )
    # The measure it is about (short lead time, unacknowledged), by primary key: situation reads
    # measures, measures never reads situation.
    measure_id = models.BigIntegerField(_("measure"), null=True, blank=True)
    # The participant whose data or measure the alert is about (None: regional).
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("participant"),
    )
    # An alert derived from RESTRICTED figures is itself RESTRICTED, visible to the participant and
    # the figures' audience only: the alert must not leak what the report does not show.
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.REGIONAL
    )
    audience = models.ManyToManyField(Participant, blank=True, related_name="+", verbose_name=_("audience"))
    raised_at = models.DateTimeField(_("raised at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["-day", "-raised_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="situation_alert_unique_key")]
        indexes = [models.Index(fields=["day", "state"], name="situation_alert_day_state")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.state})"


class AlertStateChange(models.Model):
    alert = models.ForeignKey(SituationAlert, on_delete=models.PROTECT, related_name="state_changes")
    old_state = models.CharField(max_length=12, choices=AlertState.choices, blank=True)
    new_state = models.CharField(max_length=12, choices=AlertState.choices)
    note = models.TextField(_("note"), blank=True)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["alert_id", "changed_at", "pk"]
        verbose_name = _("alert state change")
        verbose_name_plural = _("alert state changes")

    def __str__(self) -> str:
        return f"{self.alert_id}: {self.old_state or '-'} → {self.new_state}"
