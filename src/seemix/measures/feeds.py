"""Atom (RFC 4287) feeds of CAP alerts and iCalendar (RFC 5545) feeds of the measures' dates.

Atom: one entry per notification, newest first; its ``content`` has type application/cap+xml and
holds the CAP ``<alert>`` element itself (an XML media type is carried inline, RFC 4287 4.1.3.3).

iCalendar: one VEVENT per measure, from its effective start to its end (lifted/cancelled time,
else planned end; none when open-ended). Lines end in CRLF and are folded at 75 octets without
splitting a UTF-8 character; TEXT values escape backslash, semicolon, comma and newline.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from lxml import etree

from seemix.measures.cap import host, measure_url
from seemix.measures.models import Measure, MeasureStatus, Notification

ATOM = "http://www.w3.org/2005/Atom"
ATOM_CONTENT_TYPE = "application/atom+xml"
ICAL_CONTENT_TYPE = "text/calendar"
FOLD_OCTETS = 75


def _atom(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def atom_feed(*, feed_id: str, title: str, self_url: str, notifications: Iterable[Notification]) -> bytes:
    notifications = list(notifications)
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _atom(feed, "id", feed_id)
    _atom(feed, "title", title)
    updated = max((n.sent_at for n in notifications), default=None) or timezone.now()
    _atom(feed, "updated", _rfc3339(updated))
    _atom(feed, "link", rel="self", href=self_url, type=ATOM_CONTENT_TYPE)
    author = _atom(feed, "author")
    _atom(author, "name", f"seemix ({host()})")
    _atom(feed, "generator", "seemix")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for notification in notifications:
        measure = notification.measure
        entry = _atom(feed, "entry")
        _atom(entry, "id", notification.identifier)
        _atom(entry, "title", f"{notification.msg_type}: {measure.title}")
        _atom(entry, "updated", _rfc3339(notification.sent_at))
        _atom(entry, "published", _rfc3339(notification.sent_at))
        entry_author = _atom(entry, "author")
        _atom(entry_author, "name", measure.issuer.name)
        _atom(entry, "link", rel="alternate", href=measure_url(measure), type="text/html")
        _atom(
            entry,
            "link",
            rel="related",
            href=f"{settings.SEEMIX_BASE_URL}/api/v1/notifications/{notification.pk}/cap.xml",
            type="application/cap+xml",
        )
        _atom(entry, "category", term=measure.type)
        _atom(entry, "summary", notification.note or measure.title)
        content = _atom(entry, "content", type="application/cap+xml")
        content.append(etree.fromstring(notification.cap_xml.encode("utf-8"), parser))
    xml: bytes = etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml


# --- iCalendar ------------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: escape backslash, semicolon, comma; newlines as \\n."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued with CRLF + one space."""
    out: list[str] = []
    current = ""
    limit = FOLD_OCTETS
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
            limit = FOLD_OCTETS - 1  # the continuation's leading space counts
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def _ical_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(measure: Measure, stamp: datetime) -> list[str]:
    end = measure.ended_at or measure.planned_end
    status = "CANCELLED" if measure.status == MeasureStatus.CANCELLED else "CONFIRMED"
    description = [measure.description]
    if measure.lead_time is not None:
        description.append(f"Lead time: {measure.lead_time.total_seconds() / 3600:.1f} hours")
    lines = [
        "BEGIN:VEVENT",
        f"UID:measure-{measure.pk}@{host()}",
        f"DTSTAMP:{_ical_time(stamp)}",
        f"DTSTART:{_ical_time(measure.effective_start)}",
    ]
    if end is not None and end > measure.effective_start:
        lines.append(f"DTEND:{_ical_time(end)}")
    lines += [
        f"SUMMARY:{escape_text(f'[{measure.issuer.code}] {measure.title}')}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"CATEGORIES:{escape_text(str(measure.get_type_display()))}",
        f"STATUS:{status}",
        f"SEQUENCE:{measure.notifications.count()}",
        f"LAST-MODIFIED:{_ical_time(measure.updated_at)}",
        f"URL:{measure_url(measure)}",
        "END:VEVENT",
    ]
    return lines


def ical_feed(*, name: str, measures: Iterable[Measure], now: datetime | None = None) -> bytes:
    stamp = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//seemix//measures//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for measure in measures:
        lines += _event(measure, stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
