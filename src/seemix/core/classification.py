"""Classification levels of shared data (DESIGN.md: PUBLIC, REGIONAL, RESTRICTED)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    # Every participant and partner of the platform.
    REGIONAL = "regional", _("Regional")
    # Only the owning participant and a named audience of participants.
    RESTRICTED = "restricted", _("Restricted")
