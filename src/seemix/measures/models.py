"""Measures, their addressees, the notifications sent about them, acknowledgements and escalations.

A measure is drafted by its issuing participant and changed freely while it is a draft. From its
first notification on nothing is overwritten that someone was told: every message sent (the alert,
each update, the cancellation, the lifting) is a ``Notification`` row holding a snapshot of the
measure as notified and the CAP 1.2 XML exactly as delivered. The ``Measure`` row carries the
current state; its history is the sequence of its notifications and status changes.

An addressee acknowledges a notification with an ``Acknowledgement`` row; one that has not done so
by the deadline of its ``Recipient`` row gets an ``Escalation`` row (at most one per recipient).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from seemix.core.classification import Classification
from seemix.directory.models import ApiToken, Participant
from seemix.gazetteer.models import BorderSection, CrossingPoint


class MeasureType(models.TextChoices):
    BORDER_CONTROL = "border_control", _("Reintroduction of border control")
    CLOSURE = "closure", _("Closure of a crossing point or border section")
    ENTRY_RESTRICTION = "entry_restriction", _("Entry restricted to some nationalities or documents")
    PROCEDURE = "procedure", _("New registration or transit procedure")
    RECEPTION_CAPACITY = "reception_capacity", _("Change of reception capacity")
    BARRIER = "barrier", _("Physical barrier")
    RETURN_OPERATION = "return_operation", _("Return or readmission operation")
    VISA_REGIME = "visa_regime", _("Visa regime change")
    ASYLUM_PROCEDURE = "asylum_procedure", _("Asylum procedure change")
    OTHER = "other", _("Other")


class NotificationPath(models.TextChoices):
    # Schengen Borders Code Art. 27 (foreseeable events, notified ahead) and Art. 28 (immediate action).
    PLANNED = "planned", _("Planned (with advance notice)")
    IMMEDIATE = "immediate", _("Immediate (prior notice impossible)")


class MeasureStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOTIFIED = "notified", _("Notified")
    IN_FORCE = "in_force", _("In force")
    LIFTED = "lifted", _("Lifted")
    CANCELLED = "cancelled", _("Cancelled")


class Measure(models.Model):
    issuer = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="measures", verbose_name=_("issuing participant")
    )
    type = models.CharField(_("type"), max_length=24, choices=MeasureType.choices)
    title = models.CharField(_("title (English)"), max_length=300)
    description = models.TextField(_("description (English)"))
    # ISO 639-1 code of the original text, e.g. "hu"; blank when the original is English.
    original_language = models.CharField(_("original language"), max_length=8, blank=True)
    original_title = models.CharField(_("title (original language)"), max_length=300, blank=True)
    original_description = models.TextField(_("description (original language)"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    border_sections = models.ManyToManyField(
        BorderSection, blank=True, related_name="+", verbose_name=_("affected border sections")
    )
    crossing_points = models.ManyToManyField(
        CrossingPoint, blank=True, related_name="+", verbose_name=_("affected crossing points")
    )
    # ISO 3166-1 alpha-2 codes of the nationalities the measure targets; empty = everyone.
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    categories_of_persons = models.TextField(_("categories of persons"), blank=True)
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    persons_affected_per_day = models.PositiveIntegerField(
        _("estimated persons affected per day"), null=True, blank=True
    )
    # What Schengen Borders Code Art. 27(1)(e) asks a notification to state.
    expected_of_others = models.TextField(_("measures expected of other parties"), blank=True)
    path = models.CharField(_("path"), max_length=10, choices=NotificationPath.choices)
    immediate_justification = models.TextField(
        _("why prior notice was impossible"), blank=True, help_text=_("Required for the immediate path")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.DRAFT
    )
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.REGIONAL
    )
    audience = models.ManyToManyField(
        Participant,
        blank=True,
        related_name="+",
        verbose_name=_("audience"),
        help_text=_("For RESTRICTED measures: the participants that may see it (its addressees)."),
    )
    # Once the issuer has edited the addressees by hand they are no longer recomputed from the scope.
    addressees_edited = models.BooleanField(default=False)
    # Set once, by the first notification; lead time and compliance are computed from it.
    first_notified_at = models.DateTimeField(_("first notified at"), null=True, blank=True)
    in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("lifted or cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_start", "-pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=~Q(path="immediate") | ~Q(immediate_justification=""),
                name="measure_immediate_justified",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gte=F("planned_start")),
                name="measure_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_notified_at__isnull=False),
                name="measure_notified_has_time",
            ),
        ]
        indexes = [models.Index(fields=["issuer", "status"], name="measure_issuer_status_idx")]

    def __str__(self) -> str:
        return f"{self.issuer_id}: {self.title}"

    @property
    def effective_start(self) -> datetime:
        """When the measure takes (or took) effect: the recorded entry into force, else the plan."""
        return self.in_force_at or self.planned_start

    @property
    def lead_time(self) -> timedelta | None:
        """Effective start minus first notification; negative when notified after the fact."""
        if self.first_notified_at is None:
            return None
        return self.effective_start - self.first_notified_at


class AddresseeReason(models.TextChoices):
    NEIGHBOUR = "neighbour", _("Neighbour on an affected border section")
    ROUTE = "route", _("On the route within two hops")
    SECRETARIAT = "secretariat", _("Secretariat")
    SUBSCRIPTION = "subscription", _("Subscribed")
    ADDED = "added", _("Added by the issuer")


class Addressee(models.Model):
    """A participant the measure will be (or was) notified to, and why."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="addressees")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    # AddresseeReason values, e.g. ["neighbour", "route"].
    reasons = models.JSONField(_("reasons"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure_id", "participant__code"]
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")
        constraints = [
            models.UniqueConstraint(fields=["measure", "participant"], name="addressee_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} → {self.participant_id}"


class MessageType(models.TextChoices):
    # CAP 1.2 msgType values.
    ALERT = "Alert", _("Alert")
    UPDATE = "Update", _("Update")
    CANCEL = "Cancel", _("Cancel")


class NotificationKind(models.TextChoices):
    NOTIFIED = "notified", _("Notified")
    UPDATED = "updated", _("Updated")
    LIFTED = "lifted", _("Lifted")
    CANCELLED = "cancelled", _("Cancelled")


class Notification(models.Model):
    """One message sent about a measure. Never changed once written."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="notifications")
    sequence = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=10, choices=NotificationKind.choices)
    msg_type = models.CharField(_("CAP message type"), max_length=8, choices=MessageType.choices)
    # CAP <identifier> and <sender>; <sent> is sent_at. (sender, identifier, sent) names the message.
    identifier = models.CharField(_("CAP identifier"), max_length=200, unique=True)
    sender = models.CharField(_("CAP sender"), max_length=200)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_by_label = models.CharField(max_length=200, blank=True)
    note = models.TextField(_("what changed"), blank=True)
    # The measure as notified by this message (fields, scope codes, status): the history of updates.
    snapshot = models.JSONField(_("measure as notified"))
    requires_acknowledgement = models.BooleanField(default=True)
    cap_xml = models.TextField(_("CAP 1.2 message"))

    class Meta:
        ordering = ["measure_id", "sequence"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["measure", "sequence"], name="notification_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}#{self.sequence} {self.msg_type}"


class Recipient(models.Model):
    """An addressee of one notification, with its acknowledgement deadline."""

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="recipients")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    acknowledge_by = models.DateTimeField(_("acknowledge by"), null=True, blank=True)

    class Meta:
        ordering = ["notification_id", "participant__code"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["notification", "participant"], name="recipient_unique"),
        ]
        indexes = [models.Index(fields=["acknowledge_by"], name="recipient_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.notification} → {self.participant_id}"


class Acknowledgement(models.Model):
    recipient = models.OneToOneField(Recipient, on_delete=models.PROTECT, related_name="acknowledgement")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_by_label = models.CharField(max_length=200, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"))
    comment = models.TextField(_("comment or question"), blank=True)

    class Meta:
        ordering = ["acknowledged_at"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")

    def __str__(self) -> str:
        return f"ack {self.recipient}"


class Escalation(models.Model):
    """A recipient that did not acknowledge in time, escalated to its 24/7 point and the secretariat."""

    recipient = models.OneToOneField(Recipient, on_delete=models.PROTECT, related_name="escalation")
    escalated_at = models.DateTimeField(_("escalated at"))
    # Email addresses of the 24/7 contact points (the addressee's and the secretariat's) it went to.
    contacted = models.JSONField(_("contacted"), default=list, blank=True)

    class Meta:
        ordering = ["escalated_at"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self) -> str:
        return f"escalation {self.recipient}"


class StatusChange(models.Model):
    """Each change of a measure's status, for its timeline."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="status_changes")
    old_status = models.CharField(max_length=10, choices=MeasureStatus.choices)
    new_status = models.CharField(max_length=10, choices=MeasureStatus.choices)
    # When the change took effect (a measure may be recorded as in force from a past time).
    effective_at = models.DateTimeField(_("effective at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["measure_id", "recorded_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.old_status} → {self.new_status}"


class Subscription(models.Model):
    """A participant (typically a partner) that wants to be notified of measures."""

    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="+")
    # ISO 3166-1 alpha-2 codes: measures issued by or affecting these countries; empty = all measures.
    countries = models.JSONField(_("countries"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant__code"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.participant_id}: {', '.join(self.countries) or 'all'}"


class Alert(models.Model):
    """A CAP 1.2 alert received from a partner system (POST /api/v1/alerts/cap)."""

    # The participant whose token or session posted it: its owner for access checks.
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    sender = models.CharField(_("sender"), max_length=300)
    identifier = models.CharField(_("identifier"), max_length=300)
    sent = models.DateTimeField(_("sent"))
    # <sent> as written, so that the triple (sender, identifier, sent) is compared exactly.
    sent_text = models.CharField(max_length=40)
    status = models.CharField(_("status"), max_length=16)
    msg_type = models.CharField(_("message type"), max_length=8)
    scope = models.CharField(_("scope"), max_length=12)
    event = models.CharField(_("event"), max_length=300, blank=True)
    headline = models.CharField(_("headline"), max_length=500, blank=True)
    # [{"description": ..., "geocodes": [{"name": ..., "value": ...}], "polygons": [...]}]
    areas = models.JSONField(_("areas"), default=list, blank=True)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.REGIONAL
    )
    raw_xml = models.TextField(_("CAP message"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["sender", "identifier", "sent"], name="alert_unique_message"),
        ]

    def __str__(self) -> str:
        return f"{self.sender} {self.identifier}"
