"""Validate CAP 1.2 against the OASIS schema, and read a received alert.

The schema is the OASIS CAP-v1.2.xsd shipped in ``data/`` (see its PROVENANCE.md). Parsing never
loads a DTD, resolves an entity or touches the network: a received message is untrusted input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from lxml import etree

from seemix.measures.cap import NS, SCHEMA_PATH

MAX_MESSAGE_BYTES = 1_000_000


@dataclass(frozen=True)
class SchemaProblem:
    line: int
    message: str


class InvalidCap(Exception):
    def __init__(self, problems: list[SchemaProblem]) -> None:
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in problems))
        self.problems = problems


@dataclass
class ParsedAlert:
    sender: str
    identifier: str
    sent: datetime
    sent_text: str
    status: str
    msg_type: str
    scope: str
    event: str = ""
    headline: str = ""
    areas: list[dict[str, Any]] = field(default_factory=list)


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_and_validate(xml: bytes | str) -> etree._ElementTree:
    """The parsed document if it is well-formed CAP 1.2; InvalidCap with each problem's line otherwise."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    if len(data) > MAX_MESSAGE_BYTES:
        raise InvalidCap([SchemaProblem(0, f"The message is larger than {MAX_MESSAGE_BYTES} bytes.")])
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as error:
        raise InvalidCap([SchemaProblem(error.lineno or 0, f"Not well-formed XML: {error.msg}")]) from None
    if tree.getroot().tag != f"{{{NS}}}alert":
        raise InvalidCap(
            [SchemaProblem(tree.getroot().sourceline or 0, f"The root element must be {{{NS}}}alert.")]
        )
    validator = schema()
    if not validator.validate(tree):
        problems = [SchemaProblem(e.line, e.message) for e in validator.error_log]
        raise InvalidCap(problems)
    return tree


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, {"cap": NS})
    return (found.text or "").strip() if found is not None else ""


def read_alert(xml: bytes | str) -> ParsedAlert:
    """Validate and read the fields seemix keeps of a received alert."""
    root = parse_and_validate(xml).getroot()
    sent_text = _text(root, "cap:sent")
    areas = []
    for area in root.iterfind("cap:info/cap:area", {"cap": NS}):
        areas.append(
            {
                "description": _text(area, "cap:areaDesc"),
                "geocodes": [
                    {"name": _text(g, "cap:valueName"), "value": _text(g, "cap:value")}
                    for g in area.iterfind("cap:geocode", {"cap": NS})
                ],
                "polygons": [(p.text or "").strip() for p in area.iterfind("cap:polygon", {"cap": NS})],
            }
        )
    return ParsedAlert(
        sender=_text(root, "cap:sender"),
        identifier=_text(root, "cap:identifier"),
        # The schema's pattern guarantees seconds and an explicit offset, which fromisoformat reads.
        sent=datetime.fromisoformat(sent_text),
        sent_text=sent_text,
        status=_text(root, "cap:status"),
        msg_type=_text(root, "cap:msgType"),
        scope=_text(root, "cap:scope"),
        event=_text(root, "cap:info/cap:event"),
        headline=_text(root, "cap:info/cap:headline"),
        areas=areas,
    )
