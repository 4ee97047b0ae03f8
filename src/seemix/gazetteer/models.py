"""Countries, border sections, crossing points, reception sites and the route graph.

Reference data: read by every member, changed only by platform administrators through
``services.py``. Countries are keyed by their ISO 3166 alpha-2 code (XK for Kosovo), which every
other table uses as its foreign key, so a row reads the same in the database as in the API.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from seemix.gazetteer.geometry import BBox

LATITUDE_RANGE = Q(latitude__gte=-90, latitude__lte=90)
LONGITUDE_RANGE = Q(longitude__gte=-180, longitude__lte=180)


class Country(models.Model):
    code = models.CharField(_("ISO 3166 alpha-2 code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    local_name = models.CharField(_("local name"), max_length=100, blank=True)
    is_seecp_participant = models.BooleanField(_("SEECP participant"), default=False)
    # GeoJSON Polygon or MultiPolygon, WGS 84 (Natural Earth 1:50m for the shipped countries).
    geometry = models.JSONField(_("geometry"))
    # Derived from the geometry by the services: every place in the country must fall inside it.
    min_longitude = models.FloatField(_("west"))
    min_latitude = models.FloatField(_("south"))
    max_longitude = models.FloatField(_("east"))
    max_latitude = models.FloatField(_("north"))
    # Where the country is drawn as a node of the route graph: inside its largest polygon.
    label_longitude = models.FloatField(_("label longitude"))
    label_latitude = models.FloatField(_("label latitude"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    min_longitude__gte=-180,
                    max_longitude__lte=180,
                    min_latitude__gte=-90,
                    max_latitude__lte=90,
                    min_longitude__lte=F("max_longitude"),
                    min_latitude__lte=F("max_latitude"),
                ),
                name="country_bbox_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    label_longitude__gte=F("min_longitude"),
                    label_longitude__lte=F("max_longitude"),
                    label_latitude__gte=F("min_latitude"),
                    label_latitude__lte=F("max_latitude"),
                ),
                name="country_label_in_bbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def bbox(self) -> BBox:
        return BBox(self.min_longitude, self.min_latitude, self.max_longitude, self.max_latitude)


class BorderSection(models.Model):
    """The border between two neighbouring countries, stored once, in alphabetical order of codes."""

    code = models.CharField(_("code"), max_length=5, unique=True, help_text=_("For example MK-RS"))
    country_a = models.ForeignKey(
        Country, to_field="code", on_delete=models.PROTECT, related_name="+", verbose_name=_("first country")
    )
    country_b = models.ForeignKey(
        Country, to_field="code", on_delete=models.PROTECT, related_name="+", verbose_name=_("second country")
    )
    name = models.CharField(_("name"), max_length=200)
    # GeoJSON MultiLineString (or LineString): the shared border line.
    geometry = models.JSONField(_("border line"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("border section")
        verbose_name_plural = _("border sections")
        constraints = [
            # The foreign keys hold the ISO codes, so "a < b" is the canonical (alphabetical) order.
            models.CheckConstraint(
                condition=Q(country_a__lt=F("country_b")), name="border_section_canonical"
            ),
            models.UniqueConstraint(fields=["country_a", "country_b"], name="border_section_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def country_codes(self) -> tuple[str, str]:
        return (self.country_a_id, self.country_b_id)


class CrossingKind(models.TextChoices):
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    GREEN_BORDER = "green_border", _("Green border")
    SEA_PORT = "sea_port", _("Sea port")
    AIRPORT = "airport", _("Airport")


# A land crossing lies on a border between two countries; a port or airport need not.
LAND_CROSSING_KINDS = (CrossingKind.ROAD, CrossingKind.RAIL, CrossingKind.GREEN_BORDER)


class CrossingPoint(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("Country code first: RS-SID"))
    name = models.CharField(_("official name"), max_length=200, help_text=_("In the local script"))
    name_latin = models.CharField(_("name (Latin script)"), max_length=200)
    country = models.ForeignKey(
        Country,
        to_field="code",
        on_delete=models.PROTECT,
        related_name="crossing_points",
        verbose_name=_("country"),
    )
    border_section = models.ForeignKey(
        BorderSection,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="crossing_points",
        verbose_name=_("border section"),
    )
    # Symmetric: the services set both sides in one transaction.
    counterpart = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("counterpart"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CrossingKind.choices)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("crossing point")
        verbose_name_plural = _("crossing points")
        constraints = [
            models.CheckConstraint(
                condition=LATITUDE_RANGE & LONGITUDE_RANGE, name="crossing_point_coordinates"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=LAND_CROSSING_KINDS) | Q(border_section__isnull=False),
                name="crossing_point_land_needs_section",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_latin} ({self.code})"


class SiteKind(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    TRANSIT = "transit", _("Transit")
    REGISTRATION = "registration", _("Registration")
    DETENTION = "detention", _("Detention")


class ReceptionSite(models.Model):
    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("Country code first: HR-OPATOVAC")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("In the local script"))
    name_latin = models.CharField(_("name (Latin script)"), max_length=200)
    country = models.ForeignKey(
        Country, to_field="code", on_delete=models.PROTECT, related_name="sites", verbose_name=_("country")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SiteKind.choices)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("reception site")
        verbose_name_plural = _("reception sites")
        constraints = [
            models.CheckConstraint(condition=LATITUDE_RANGE & LONGITUDE_RANGE, name="site_coordinates"),
            models.CheckConstraint(
                condition=Q(opened_on__isnull=True)
                | Q(closed_on__isnull=True)
                | Q(closed_on__gte=F("opened_on")),
                name="site_open_before_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_latin} ({self.code})"


class SiteCapacity(models.Model):
    """A site's capacity from a date on. Never changed: a new figure is a new row."""

    site = models.ForeignKey(ReceptionSite, on_delete=models.PROTECT, related_name="capacities")
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Places (persons)"))
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the figure comes from")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["site", "-valid_from"]
        verbose_name = _("site capacity")
        verbose_name_plural = _("site capacities")
        constraints = [
            models.UniqueConstraint(fields=["site", "valid_from"], name="site_capacity_one_per_day"),
            models.CheckConstraint(condition=Q(capacity__gte=0), name="site_capacity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.capacity} from {self.valid_from}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a recorded capacity is never changed: record a new one")
        super().save(*args, **kwargs)


class NodeKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    CROSSING_POINT = "crossing_point", _("Crossing point")
    SITE = "site", _("Site")


class TravelMode(models.TextChoices):
    FOOT = "foot", _("On foot")
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    SEA = "sea", _("Sea")


NODE_FIELDS = {NodeKind.COUNTRY: "country", NodeKind.CROSSING_POINT: "crossing_point", NodeKind.SITE: "site"}


def node_key(kind: str, code: str) -> str:
    """'crossing_point:GR-IDOMENI': how a node of the route graph is named in the API and in logs."""
    return f"{kind}:{code}"


def _exactly_one(prefix: str) -> Q:
    options = [
        Q(**{f"{prefix}_{field}__isnull": field != chosen for field in NODE_FIELDS.values()})
        for chosen in NODE_FIELDS.values()
    ]
    result = options[0]
    for option in options[1:]:
        result |= option
    return result


def _unique_per_node_pair() -> list[models.UniqueConstraint]:
    # NULLs are distinct in unique indexes on both databases, so one partial index per pair of node kinds.
    constraints = []
    for origin in NODE_FIELDS.values():
        for destination in NODE_FIELDS.values():
            constraints.append(
                models.UniqueConstraint(
                    fields=[f"origin_{origin}", f"destination_{destination}"],
                    condition=Q(
                        **{f"origin_{origin}__isnull": False, f"destination_{destination}__isnull": False}
                    ),
                    name=f"route_edge_unique_{origin}_{destination}",
                )
            )
    return constraints


class RouteEdge(models.Model):
    """A directed leg of the route between two nodes (countries, crossing points or sites)."""

    origin_country = models.ForeignKey(
        Country, to_field="code", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_crossing_point = models.ForeignKey(
        CrossingPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_site = models.ForeignKey(
        ReceptionSite, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination_country = models.ForeignKey(
        Country, to_field="code", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination_crossing_point = models.ForeignKey(
        CrossingPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination_site = models.ForeignKey(
        ReceptionSite, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    typical_days = models.DecimalField(_("typical travel days"), max_digits=4, decimal_places=1)
    mode = models.CharField(_("mode"), max_length=8, choices=TravelMode.choices)
    # The period in which the leg was in use (the Hungarian branch ended on 16 October 2015).
    valid_from = models.DateField(_("in use from"), null=True, blank=True)
    valid_until = models.DateField(_("in use until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("route edge")
        verbose_name_plural = _("route edges")
        constraints = [
            models.CheckConstraint(condition=_exactly_one("origin"), name="route_edge_one_origin"),
            models.CheckConstraint(condition=_exactly_one("destination"), name="route_edge_one_destination"),
            models.CheckConstraint(
                condition=Q(typical_days__gte=0) & Q(typical_days__lte=365), name="route_edge_days_range"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="route_edge_period",
            ),
            *_unique_per_node_pair(),
        ]

    def __str__(self) -> str:
        return f"{self.origin_key} → {self.destination_key}"

    def _node(self, prefix: str) -> tuple[NodeKind, Any]:
        for kind, field in NODE_FIELDS.items():
            value = getattr(self, f"{prefix}_{field}")
            if value is not None:
                return kind, value
        raise ValueError(f"route edge {self.pk} has no {prefix}")

    @property
    def origin(self) -> tuple[NodeKind, Any]:
        return self._node("origin")

    @property
    def destination(self) -> tuple[NodeKind, Any]:
        return self._node("destination")

    def _key(self, prefix: str) -> str:
        kind, node = self._node(prefix)
        return node_key(kind, node.code)

    @property
    def origin_key(self) -> str:
        return self._key("origin")

    @property
    def destination_key(self) -> str:
        return self._key("destination")
