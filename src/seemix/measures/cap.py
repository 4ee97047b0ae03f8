"""CAP 1.2 (OASIS Common Alerting Protocol) messages for the notifications of measures.

Every notification is one ``<alert>``: msgType Alert (first notification), Update (an update, or
the lifting) or Cancel, with ``references`` naming every earlier message of the measure as
"sender,identifier,sent" triples. Scope: Public for a PUBLIC measure; Restricted (with a
``restriction`` text) for a REGIONAL one; Private with ``addresses`` (the addressees, written
"<code>@<host>" like the sender) for a RESTRICTED one.

``info``: one block in English, and one in the original language where the measure has it.
category Security for measures at the border (control, closure, entry restriction, barrier,
return), Other otherwise; urgency Future for the planned path, Immediate for the immediate path,
Past once lifted or cancelled; certainty Likely until in force, then Observed. ``effective`` is
when the message was sent, ``onset`` the measure's effective start, ``expires`` its planned end (or
when it was lifted or cancelled).

Areas: one per affected border section, with the two countries' ISO 3166-1 alpha-2 geocodes
(valueName "ISO3166-1") and a polygon: the convex hull of the border line widened by
``POLYGON_MARGIN_DEGREES`` in every direction (an octagon around each vertex), so the polygon
always contains the whole line; it is a superset of the border, not a buffer of exact width. One
area per affected crossing point, a circle of ``CROSSING_RADIUS_KM`` around it. Without either,
one area for the issuer's country (geocode only).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from lxml import etree

from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.gazetteer.models import BorderSection, CrossingPoint
from seemix.measures.models import (
    Measure,
    MeasureStatus,
    MeasureType,
    Notification,
    NotificationPath,
)

NS = "urn:oasis:names:tc:emergency:cap:1.2"
CONTENT_TYPE = "application/cap+xml"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "CAP-v1.2.xsd"
GEOCODE_NAME = "ISO3166-1"
POLYGON_MARGIN_DEGREES = 0.02  # about 2 km
CROSSING_RADIUS_KM = 2.0

SECURITY_TYPES = {
    MeasureType.BORDER_CONTROL,
    MeasureType.CLOSURE,
    MeasureType.ENTRY_RESTRICTION,
    MeasureType.BARRIER,
    MeasureType.RETURN_OPERATION,
}
SEVERITY = {
    MeasureType.CLOSURE: "Severe",
    MeasureType.BARRIER: "Severe",
    MeasureType.ENTRY_RESTRICTION: "Severe",
    MeasureType.BORDER_CONTROL: "Moderate",
    MeasureType.PROCEDURE: "Moderate",
    MeasureType.RECEPTION_CAPACITY: "Moderate",
    MeasureType.RETURN_OPERATION: "Moderate",
    MeasureType.ASYLUM_PROCEDURE: "Moderate",
    MeasureType.VISA_REGIME: "Minor",
    MeasureType.OTHER: "Unknown",
}
RESTRICTION_TEXT = "REGIONAL: for the participants and partners of seemix only; do not publish."


def cap_time(value: datetime) -> str:
    """CAP's dateTime: seconds, an explicit offset, never 'Z' (UTC is written -00:00 by CAP, +00:00 here)."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def host() -> str:
    return urlsplit(settings.SEEMIX_BASE_URL).hostname or "localhost"


def sender_for(participant: Participant) -> str:
    return f"{participant.code}@{host()}"


def identifier_for(measure: Measure, sequence: int) -> str:
    return f"urn:seemix:{host()}:measure:{measure.pk}:{sequence}"


def reference_of(notification: Notification) -> str:
    return f"{notification.sender},{notification.identifier},{cap_time(notification.sent_at)}"


def measure_url(measure: Measure) -> str:
    return f"{settings.SEEMIX_BASE_URL}/measures/{measure.pk}/"


# --- polygons --------------------------------------------------------------------------------------


def _lines(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "LineString":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiLineString":
        return list(geometry["coordinates"])
    return []


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain: the hull counter-clockwise, without repeating the first point."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts
    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def border_polygon(geometry: dict[str, Any], margin: float = POLYGON_MARGIN_DEGREES) -> str | None:
    """The CAP polygon ("lat,lon" pairs, closed) around a GeoJSON border line, or None if it has none."""
    vertices = [(float(x), float(y)) for line in _lines(geometry) for x, y, *_ in line]
    if not vertices:
        return None
    octagon = [(math.cos(k * math.pi / 4), math.sin(k * math.pi / 4)) for k in range(8)]
    widened = [(x + margin * dx, y + margin * dy) for x, y in vertices for dx, dy in octagon]
    hull = convex_hull(widened)
    ring = [*hull, hull[0]]
    return " ".join(f"{lat:.5f},{lon:.5f}" for lon, lat in ring)


# --- the message -----------------------------------------------------------------------------------


def cap_sub(parent: etree._Element, name: str, text: str | None = None, ns: str = NS) -> etree._Element:
    """A child element in namespace ``ns`` (CAP 1.2 unless told), with its text if given."""
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        element.text = text
    return element


def cap_pair(parent: etree._Element, name: str, value_name: str, value: str) -> None:
    """A CAP <parameter>, <geocode> or <eventCode>: a valueName and a value."""
    element = cap_sub(parent, name)
    cap_sub(element, "valueName", value_name)
    cap_sub(element, "value", value)


def _urgency(measure: Measure) -> str:
    if measure.status in (MeasureStatus.LIFTED, MeasureStatus.CANCELLED):
        return "Past"
    return "Future" if measure.path == NotificationPath.PLANNED else "Immediate"


def _description(measure: Measure) -> str:
    parts = [measure.description]
    if measure.reasons:
        parts.append(f"Reasons: {measure.reasons}")
    if measure.legal_basis:
        parts.append(f"Legal basis: {measure.legal_basis}")
    if measure.nationalities:
        parts.append(f"Nationalities concerned: {', '.join(measure.nationalities)}")
    if measure.categories_of_persons:
        parts.append(f"Categories of persons: {measure.categories_of_persons}")
    if measure.persons_affected_per_day is not None:
        parts.append(f"Estimated persons affected per day: {measure.persons_affected_per_day}")
    if measure.path == NotificationPath.IMMEDIATE:
        parts.append(f"Notified on the immediate path: {measure.immediate_justification}")
    return "\n\n".join(parts)


def _areas(
    info: etree._Element,
    measure: Measure,
    sections: Sequence[BorderSection],
    points: Sequence[CrossingPoint],
) -> None:
    for section in sections:
        area = cap_sub(info, "area")
        cap_sub(area, "areaDesc", f"{section.name} ({section.code})")
        polygon = border_polygon(section.geometry)
        if polygon:
            cap_sub(area, "polygon", polygon)
        for code in section.country_codes:
            cap_pair(area, "geocode", GEOCODE_NAME, code)
    for point in points:
        area = cap_sub(info, "area")
        cap_sub(area, "areaDesc", f"{point.name_latin} ({point.code})")
        cap_sub(area, "circle", f"{point.latitude:.5f},{point.longitude:.5f} {CROSSING_RADIUS_KM}")
        cap_pair(area, "geocode", GEOCODE_NAME, point.country_id)
    if not sections and not points:
        area = cap_sub(info, "area")
        cap_sub(area, "areaDesc", measure.issuer.name)
        if measure.issuer.is_state:
            cap_pair(area, "geocode", GEOCODE_NAME, measure.issuer.code)


def _info(
    alert: etree._Element,
    measure: Measure,
    notification: Notification,
    *,
    language: str,
    headline: str,
    description: str,
    sections: Sequence[BorderSection],
    points: Sequence[CrossingPoint],
) -> None:
    info = cap_sub(alert, "info")
    cap_sub(info, "language", language)
    cap_sub(info, "category", "Security" if measure.type in SECURITY_TYPES else "Other")
    cap_sub(info, "event", str(MeasureType(measure.type).label))
    cap_sub(info, "urgency", _urgency(measure))
    cap_sub(info, "severity", SEVERITY[MeasureType(measure.type)])
    cap_sub(info, "certainty", "Observed" if measure.in_force_at or measure.path == "immediate" else "Likely")
    cap_pair(info, "eventCode", "seemix:measureType", measure.type)
    cap_sub(info, "effective", cap_time(notification.sent_at))
    cap_sub(info, "onset", cap_time(measure.effective_start))
    expires = measure.ended_at or measure.planned_end
    if expires is not None:
        cap_sub(info, "expires", cap_time(expires))
    cap_sub(info, "senderName", measure.issuer.name)
    cap_sub(info, "headline", headline)
    cap_sub(info, "description", description)
    if measure.expected_of_others:
        cap_sub(info, "instruction", measure.expected_of_others)
    cap_sub(info, "web", measure_url(measure))
    cap_pair(info, "parameter", "seemix:path", measure.path)
    cap_pair(info, "parameter", "seemix:status", measure.status)
    if measure.nationalities:
        cap_pair(info, "parameter", "seemix:nationalities", " ".join(measure.nationalities))
    if measure.lead_time is not None:
        cap_pair(info, "parameter", "seemix:leadTimeHours", f"{measure.lead_time.total_seconds() / 3600:.1f}")
    _areas(info, measure, sections, points)


def build_alert(
    notification: Notification,
    *,
    addressees: Sequence[Participant],
    earlier: Sequence[Notification],
) -> str:
    """The CAP 1.2 XML of ``notification`` (not yet saved is fine) about its measure's current state."""
    measure = notification.measure
    sections = list(measure.border_sections.select_related("country_a", "country_b").order_by("code"))
    points = list(measure.crossing_points.order_by("code"))
    alert = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    cap_sub(alert, "identifier", notification.identifier)
    cap_sub(alert, "sender", notification.sender)
    cap_sub(alert, "sent", cap_time(notification.sent_at))
    cap_sub(alert, "status", "Actual")
    cap_sub(alert, "msgType", notification.msg_type)
    cap_sub(alert, "source", "seemix")
    if measure.classification == Classification.PUBLIC:
        cap_sub(alert, "scope", "Public")
    elif measure.classification == Classification.REGIONAL:
        cap_sub(alert, "scope", "Restricted")
        cap_sub(alert, "restriction", RESTRICTION_TEXT)
    else:
        cap_sub(alert, "scope", "Private")
        cap_sub(alert, "addresses", " ".join(sender_for(p) for p in addressees))
    cap_sub(alert, "code", f"seemix:{notification.kind}")
    if notification.note:
        cap_sub(alert, "note", notification.note)
    if earlier:
        cap_sub(alert, "references", " ".join(reference_of(n) for n in earlier))
    cap_sub(alert, "incidents", f"urn:seemix:{host()}:measure:{measure.pk}")
    _info(
        alert,
        measure,
        notification,
        language="en",
        headline=measure.title,
        description=_description(measure),
        sections=sections,
        points=points,
    )
    if measure.original_language and (measure.original_title or measure.original_description):
        _info(
            alert,
            measure,
            notification,
            language=measure.original_language,
            headline=measure.original_title or measure.title,
            description=measure.original_description or measure.description,
            sections=sections,
            points=points,
        )
    xml: bytes = etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml.decode("utf-8")
