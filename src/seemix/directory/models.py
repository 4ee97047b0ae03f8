"""Participants, users' memberships and roles, contact points and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seemix.core.classification import Classification

# ISO 3166-1 alpha-2 for states (XK for Kosovo); short upper-case codes for organisations.
participant_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,15}$",
    _("Use an ISO 3166 alpha-2 code (XK for Kosovo) or a short upper-case code such as FRONTEX."),
)


class ParticipantKind(models.TextChoices):
    SEECP = "seecp", _("SEECP participant")
    EU_MEMBER_STATE = "eu_member_state", _("EU member state")
    THIRD_COUNTRY = "third_country", _("Third country")
    EU_AGENCY = "eu_agency", _("EU agency")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    SECRETARIAT = "secretariat", _("Secretariat")


STATE_KINDS = {ParticipantKind.SEECP, ParticipantKind.EU_MEMBER_STATE, ParticipantKind.THIRD_COUNTRY}


class Participant(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True, validators=[participant_code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ParticipantKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_state(self) -> bool:
        return self.kind in STATE_KINDS


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    COORDINATOR = "coordinator", _("Coordinator")
    ANALYST = "analyst", _("Analyst")
    OBSERVER = "observer", _("Observer")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "participant", "role"], name="membership_unique_role"),
        ]
        ordering = ["participant__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.participant.code} {self.role}"


class ContactTopic(models.TextChoices):
    FLOWS = "flows", _("Flows")
    MEASURES = "measures", _("Measures")
    READMISSION = "readmission", _("Readmission")
    GENERAL = "general", _("General")


class ContactPoint(models.Model):
    """A point of contact reachable for daily exchange (Leaders' meeting, 25 October 2015)."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="contact_points")
    topic = models.CharField(_("topic"), max_length=16, choices=ContactTopic.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_("Office or person"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    available_24_7 = models.BooleanField(_("reachable 24/7"), default=False)
    # ISO 639-1 codes, e.g. ["sr", "en"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.REGIONAL
    )
    audience = models.ManyToManyField(
        Participant,
        blank=True,
        related_name="+",
        verbose_name=_("audience"),
        help_text=_("For RESTRICTED contact points: the participants that may see it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant__name", "topic", "name"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.CheckConstraint(condition=~Q(email="", phone=""), name="contact_point_reachable"),
        ]

    def __str__(self) -> str:
        return f"{self.participant.code} {self.topic}: {self.name}"


class ApiToken(models.Model):
    """A bearer token for machines. The secret is shown once; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    # Null only for a platform administrator's token, which acts on reference data, not for a participant.
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="api_tokens"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=(Q(participant__isnull=True) & Q(role=""))
                | (Q(participant__isnull=False) & ~Q(role="")),
                name="api_token_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
