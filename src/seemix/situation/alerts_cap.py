"""Alerts of the picture as CAP 1.2 messages and as an Atom feed of them.

Beside the measures' feeds, not inside them: the measures' Atom feed is one participant's issued
notifications, each with its stored CAP message; an alert of the picture is raised by the platform's
rules, not issued by a participant, and its CAP message is built when read (it carries the state
the reader sees). Same conventions: each Atom entry's ``content`` is the CAP ``<alert>`` element
(application/cap+xml inline, RFC 4287 4.1.3.3); a RESTRICTED alert is CAP scope "Private",
addressed to the participants that may read it; a REGIONAL one is scope "Restricted".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from lxml import etree

from seemix.core.classification import Classification
from seemix.measures.cap import GEOCODE_NAME, NS, RESTRICTION_TEXT, cap_pair, cap_sub, cap_time, host
from seemix.situation.alerts_delivery import alert_countries, alert_url
from seemix.situation.alerts_queries import state_of
from seemix.situation.models import AlertKind, AlertState, SituationAlert

ATOM = "http://www.w3.org/2005/Atom"
ATOM_CONTENT_TYPE = "application/atom+xml"
CAP_CONTENT_TYPE = "application/cap+xml"
SEVERITY = {
    AlertKind.SURGE: "Severe",
    AlertKind.SITE_CAPACITY: "Severe",
    AlertKind.FORECAST_CAPACITY: "Moderate",
    AlertKind.COUNT_DISAGREEMENT: "Minor",
    AlertKind.RECONCILIATION: "Minor",
    AlertKind.SHORT_LEAD_TIME: "Moderate",
    AlertKind.UNACKNOWLEDGED: "Moderate",
    AlertKind.REPORT_MISSING: "Minor",
}


def identifier_for(alert: SituationAlert) -> str:
    return f"urn:seemix:{host()}:situation-alert:{alert.pk}"


def cap_element(alert: SituationAlert, readers: Iterable[str] = ()) -> etree._Element:
    """The CAP 1.2 <alert> of a situation alert; ``readers``: participant codes of a RESTRICTED one."""
    state = state_of(alert)
    root = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    cap_sub(root, "identifier", identifier_for(alert))
    cap_sub(root, "sender", f"situation@{host()}")
    cap_sub(root, "sent", cap_time(alert.raised_at))
    cap_sub(root, "status", "Actual")
    # A resolved alert is cancelled for CAP consumers; acknowledged ones stay current.
    cap_sub(root, "msgType", "Cancel" if state == AlertState.RESOLVED else "Alert")
    cap_sub(root, "source", "seemix situation rules")
    if alert.classification == Classification.PUBLIC:
        cap_sub(root, "scope", "Public")
    elif alert.classification == Classification.REGIONAL:
        cap_sub(root, "scope", "Restricted")
        cap_sub(root, "restriction", RESTRICTION_TEXT)
    else:
        cap_sub(root, "scope", "Private")
        cap_sub(root, "addresses", " ".join(f"{code}@{host()}" for code in sorted(readers)) or "none")
    cap_sub(root, "code", f"seemix:situation:{alert.kind}")
    cap_sub(root, "note", f"state: {state}")
    info = cap_sub(root, "info")
    cap_sub(info, "language", "en")
    cap_sub(info, "category", "Security" if alert.kind != AlertKind.SITE_CAPACITY else "Infra")
    cap_sub(info, "event", str(AlertKind(alert.kind).label))
    cap_sub(info, "urgency", "Immediate" if alert.kind == AlertKind.SURGE else "Expected")
    cap_sub(info, "severity", SEVERITY[AlertKind(alert.kind)])
    cap_sub(info, "certainty", "Observed")
    cap_pair(info, "eventCode", "seemix:alertKind", alert.kind)
    cap_sub(info, "effective", cap_time(alert.raised_at))
    cap_sub(info, "senderName", "seemix")
    cap_sub(info, "headline", alert.title[:160])
    cap_sub(info, "description", alert.detail or alert.title)
    cap_sub(info, "web", alert_url(alert))
    cap_pair(info, "parameter", "seemix:day", alert.day.isoformat())
    area = cap_sub(info, "area")
    countries = sorted(alert_countries(alert))
    site = alert.site
    cap_sub(area, "areaDesc", site.name_latin if site else (", ".join(countries) or "South-East Europe"))
    if site:
        cap_sub(area, "circle", f"{site.latitude:.5f},{site.longitude:.5f} 1.0")
    for code in countries:
        cap_pair(area, "geocode", GEOCODE_NAME, code)
    return root


def cap_xml(alert: SituationAlert, readers: Iterable[str] = ()) -> str:
    xml: bytes = etree.tostring(cap_element(alert, readers), xml_declaration=True, encoding="UTF-8")
    return xml.decode("utf-8")


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def atom_feed(alerts: Iterable[SituationAlert], readers: dict[int, list[str]], self_url: str) -> bytes:
    alerts = list(alerts)
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    cap_sub(feed, "id", f"urn:seemix:{host()}:situation-alerts", ATOM)
    cap_sub(feed, "title", "seemix: alerts of the regional picture", ATOM)
    updated = max((a.updated_at for a in alerts), default=None) or timezone.now()
    cap_sub(feed, "updated", _rfc3339(updated), ATOM)
    link = cap_sub(feed, "link", None, ATOM)
    link.attrib.update({"rel": "self", "href": self_url, "type": ATOM_CONTENT_TYPE})
    cap_sub(cap_sub(feed, "author", None, ATOM), "name", f"seemix ({host()})", ATOM)
    for alert in alerts:
        entry = cap_sub(feed, "entry", None, ATOM)
        cap_sub(entry, "id", identifier_for(alert), ATOM)
        cap_sub(entry, "title", f"{state_of(alert)}: {alert.title}", ATOM)
        cap_sub(entry, "updated", _rfc3339(alert.updated_at), ATOM)
        cap_sub(entry, "published", _rfc3339(alert.raised_at), ATOM)
        alternate = cap_sub(entry, "link", None, ATOM)
        alternate.attrib.update({"rel": "alternate", "href": alert_url(alert), "type": "text/html"})
        related = cap_sub(entry, "link", None, ATOM)
        related.attrib.update(
            {
                "rel": "related",
                "href": f"{settings.SEEMIX_BASE_URL}/api/v1/situation/alerts/{alert.pk}/cap.xml",
                "type": CAP_CONTENT_TYPE,
            }
        )
        category = cap_sub(entry, "category", None, ATOM)
        category.attrib["term"] = alert.kind
        cap_sub(entry, "summary", alert.detail or alert.title, ATOM)
        content = cap_sub(entry, "content", None, ATOM)
        content.attrib["type"] = CAP_CONTENT_TYPE
        content.append(cap_element(alert, readers.get(alert.pk, ())))
    xml: bytes = etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml
