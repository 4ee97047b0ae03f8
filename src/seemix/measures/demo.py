"""The demo's measures: the real measures of 2015-16 replayed as notifications.

- Hungary's closure of the border with Serbia (15 Sep 2015) and with Croatia (17 Oct 2015);
- the restriction of entry to Syrian, Afghan and Iraqi nationals along the route (18-19 Nov 2015:
  Slovenia, Croatia, Serbia, North Macedonia);
- Austria's daily caps (from 19 Feb 2016: 80 asylum claims and 3,200 transits a day);
- the closure of the route (8-9 Mar 2016: Slovenia, Croatia, Serbia, North Macedonia);
- the temporary reintroductions of internal border control notified under the Schengen Borders
  Code in 2015-16 by Germany, Austria, Slovenia and Hungary (``data/schengen_border_controls_2015-2016.csv``,
  the European Commission's list as published by Deutsche Welle; see data/PROVENANCE.md).

The dates when measures took effect are the real ones. When each neighbour was told is, for most,
not on record: no regional notification channel existed, and neighbours mostly learnt of a measure
from its public announcement or the news. The replay therefore assumes, and says so in each
measure's description: a measure is "notified" at its public announcement where that is known, at
the moment it took effect (lead time zero) for measures taken without warning, and 48 hours ahead
for the prolongations of Schengen border controls (the Commission's list gives no notification
date). Where the time of day is unknown, 12:00 local time is used. Acknowledgements are not
invented: nobody acknowledges, and the platform's own rule escalates every addressee at its
deadline. Nothing is sent (``deliver=False``): the replay writes history, not email.

``load_demo_measures()`` is idempotent: a measure already loaded (same issuer, title and start) is
left alone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from seemix.directory.models import Participant
from seemix.measures import services
from seemix.measures.inputs import MeasureData
from seemix.measures.models import Measure, MeasureType, NotificationPath
from seemix.measures.services.notifications import acknowledgement_deadline

DATA = Path(__file__).resolve().parent / "data"
SCHENGEN_FILE = DATA / "schengen_border_controls_2015-2016.csv"
CET = ZoneInfo("Europe/Budapest")  # every issuer here keeps Central European time
PROLONGATION_NOTICE = timedelta(hours=48)

ASSUMED_ANNOUNCEMENT = (
    "Notification time assumed: the public announcement the day before stands for the notification; "
    "no notification to the neighbours is on record."
)
ASSUMED_NO_WARNING = (
    "Notification time assumed: taken without warning, neighbours learnt of it when it took effect "
    "(lead time zero); the time of day is not on record (12:00 local assumed)."
)
ASSUMED_PROLONGATION = (
    "Notification time assumed: 48 hours before the start. The European Commission's list gives the "
    "dates of the control, not of its notification."
)


def local(text: str) -> datetime:
    """'2015-09-15 00:00' in Central European (summer) time."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CET)


@dataclass
class DemoMeasure:
    issuer: str
    type: str
    title: str
    description: str
    start: datetime
    notified: datetime
    path: str
    assumption: str
    sections: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    end: datetime | None = None
    lifted: datetime | None = None
    lift_note: str = ""
    justification: str = ""
    legal_basis: str = ""
    reasons: str = ""
    expected_of_others: str = ""
    persons_per_day: int | None = None
    original: tuple[str, str] = ("", "")  # (language, title)
    categories: str = ""


SIA = ("SY", "AF", "IQ")
ROUTE_CLOSED = local("2016-03-09 00:00")


def route_measures() -> list[DemoMeasure]:
    """The measures the issue names, with what is on record about them."""
    sia_text = (
        "Only nationals of Syria, Afghanistan and Iraq are admitted for transit; others are refused "
        "entry and returned to the country they came from."
    )
    sia = [
        ("SI", "HR-SI", "Slovenia", "Croatia", "2015-11-18 12:00"),
        ("HR", "HR-RS", "Croatia", "Serbia", "2015-11-18 12:00"),
        ("RS", "MK-RS", "Serbia", "North Macedonia", "2015-11-18 12:00"),
        ("MK", "GR-MK", "North Macedonia", "Greece", "2015-11-19 12:00"),
    ]
    closure = [
        ("SI", "HR-SI", "Croatia", "2016-03-09 00:00", "2016-03-08 12:00", ASSUMED_ANNOUNCEMENT),
        ("HR", "HR-RS", "Serbia", "2016-03-09 12:00", "2016-03-09 12:00", ASSUMED_NO_WARNING),
        ("RS", "MK-RS", "North Macedonia", "2016-03-09 12:00", "2016-03-09 12:00", ASSUMED_NO_WARNING),
        ("MK", "GR-MK", "Greece", "2016-03-09 12:00", "2016-03-09 12:00", ASSUMED_NO_WARNING),
    ]
    measures = [
        DemoMeasure(
            issuer="HU",
            type=MeasureType.CLOSURE,
            title="Closure of the green border with Serbia; entry only at the transit zones",
            description=(
                "From 00:00 on 15 September 2015 the border fence along the border with Serbia is closed. "
                "Crossing it irregularly is a criminal offence; applications for asylum are received only "
                "in the transit zones at Röszke and Tompa, and Serbia is held to be a safe third country."
            ),
            original=("hu", "A magyar–szerb zöldhatár lezárása"),
            legal_basis="Act CXL of 2015 on the management of mass migration (adopted on 4 September 2015)",
            reasons="Crisis situation due to mass migration, declared for Bács-Kiskun and Csongrád counties.",
            expected_of_others=(
                "Serbia: direct persons who wish to enter Hungary to the Röszke and Tompa transit zones."
            ),
            sections=("HU-RS",),
            points=("HU-ROSZKE",),
            start=local("2015-09-15 00:00"),
            notified=local("2015-09-14 20:00"),
            path=NotificationPath.PLANNED,
            assumption=ASSUMED_ANNOUNCEMENT + " The time of the announcement (20:00) is assumed.",
        ),
        DemoMeasure(
            issuer="HU",
            type=MeasureType.CLOSURE,
            title="Closure of the green border with Croatia",
            description=(
                "From 00:00 on 17 October 2015 the border with Croatia is closed to irregular crossing; the "
                "transit of persons through Hungary towards Austria ends."
            ),
            original=("hu", "A magyar–horvát zöldhatár lezárása"),
            legal_basis="Act CXL of 2015 on the management of mass migration",
            reasons="Crisis situation due to mass migration.",
            expected_of_others="Croatia: stop bringing persons to the Hungarian border.",
            sections=("HR-HU",),
            points=("HU-ZAKANY",),
            start=local("2015-10-17 00:00"),
            notified=local("2015-10-16 18:00"),
            path=NotificationPath.PLANNED,
            assumption=ASSUMED_ANNOUNCEMENT + " The time of the announcement (18:00) is assumed.",
        ),
        DemoMeasure(
            issuer="AT",
            type=MeasureType.PROCEDURE,
            title="Daily caps at the southern border: 80 asylum claims and 3,200 transits a day",
            description=(
                "From 19 February 2016 at most 80 applications for asylum a day are accepted at the southern "
                "border (Spielfeld), and at most 3,200 persons a day are let through in transit to "
                "neighbouring states where they intend to apply for protection."
            ),
            original=("de", "Tageskontingente an der Südgrenze"),
            legal_basis=(
                "Decision of the Austrian government of 20 January 2016 "
                "(ceiling of 37,500 asylum applications in 2016)"
            ),
            reasons="Reception capacity exhausted; about 90,000 applications for asylum in Austria in 2015.",
            expected_of_others="Slovenia and the other states on the route: send on at most 3,200 a day.",
            sections=("AT-SI",),
            points=("AT-SPIELFELD",),
            persons_per_day=3200,
            start=local("2016-02-19 08:00"),
            notified=local("2016-02-17 12:00"),
            path=NotificationPath.PLANNED,
            assumption=(
                "Notification time assumed: announced by the Interior Minister on 17 February 2016 (time of "
                "day assumed 12:00); the hour the caps began (08:00) is assumed too."
            ),
        ),
    ]
    for code, section, name, previous, when in sia:
        measures.append(
            DemoMeasure(
                issuer=code,
                type=MeasureType.ENTRY_RESTRICTION,
                title=f"{name}: transit only for nationals of Syria, Afghanistan and Iraq",
                description=sia_text,
                nationalities=SIA,
                categories="Persons without a Syrian, Afghan or Iraqi document",
                sections=(section,),
                start=local(when),
                notified=local(when),
                path=NotificationPath.IMMEDIATE,
                justification=(
                    "Follows the same restriction further along the route; "
                    f"persons refused there would be stranded in {name}."
                ),
                expected_of_others=f"{previous}: send on only nationals of Syria, Afghanistan and Iraq.",
                assumption=ASSUMED_NO_WARNING,
                lifted=ROUTE_CLOSED,
                lift_note="Superseded by the closure of the route on 8-9 March 2016.",
            )
        )
    for code, section, previous, start, notified, assumption in closure:
        name = Participant.objects.get(code=code).name
        measures.append(
            DemoMeasure(
                issuer=code,
                type=MeasureType.CLOSURE,
                title=f"{name}: transit closed; entry only with valid documents or to apply for asylum here",
                description=(
                    "Only persons who fulfil the entry conditions, or who apply for international protection "
                    f"in {name}, are admitted; the organised transit along the route ends."
                ),
                sections=(section,),
                start=local(start),
                notified=local(notified),
                path=NotificationPath.IMMEDIATE
                if assumption == ASSUMED_NO_WARNING
                else NotificationPath.PLANNED,
                justification="The neighbour further along the route closed its border to transit.",
                expected_of_others=f"{previous}: stop sending persons on in transit.",
                assumption=assumption,
            )
        )
    return measures


SCHENGEN_SECTIONS = {
    "all borders with focus on Austrian land borders": ("AT-DE",),
    "All borders, with focus on the German-Austrian land border": ("AT-DE",),
    "land border with Austria": ("AT-DE",),
    "all borders, focus on land borders with Italy, Hungary, Slovenia and Slovakia": (
        "AT-HU",
        "AT-IT",
        "AT-SI",
        "AT-SK",
    ),
    "land border with Slovenia and with Hungary": ("AT-HU", "AT-SI"),
    "land borders with Hungary": ("HU-SI",),
    "land borders with Slovenia": ("HU-SI",),
}
ISSUERS = {"Germany": "DE", "Austria": "AT", "Slovenia": "SI", "Hungary": "HU"}


def _sections_for(scope: str) -> tuple[str, ...]:
    if scope.startswith(
        "All borders, with special focus on the land border with Slovenia, Hungary and Italy"
    ):
        return ("AT-HU", "AT-IT", "AT-SI")
    return SCHENGEN_SECTIONS[scope]


def schengen_measures() -> list[DemoMeasure]:
    """One border-control measure per row of the shipped extract, oldest first."""
    with SCHENGEN_FILE.open(encoding="utf-8", newline="") as f:
        rows = [{k.strip(): v.strip() for k, v in row.items()} for row in csv.DictReader(f, delimiter=";")]
    rows.sort(key=lambda r: datetime.strptime(r["start date"], "%d.%m.%y"))
    measures, series = [], set()
    for row in rows:
        code = ISSUERS[row["Member State"]]
        start = datetime.strptime(f"{row['start date']} {row['start time']}", "%d.%m.%y %H:%M").replace(
            tzinfo=CET
        )
        end = datetime.strptime(f"{row['end date']} {row['end time']}", "%d.%m.%y %H:%M").replace(tzinfo=CET)
        first = code not in series
        series.add(code)
        reasons = row["reasons_original"]
        if "Recommendation of the Council" in reasons:
            recommendation = reasons.removeprefix("In line with ")
            legal_basis = f"Schengen Borders Code (Regulation (EU) 2016/399), Article 29; {recommendation}"
        else:
            legal_basis = "Schengen Borders Code (Regulation (EC) No 562/2006 as amended), Articles 23 to 25"
        measures.append(
            DemoMeasure(
                issuer=code,
                type=MeasureType.BORDER_CONTROL,
                title=f"{row['Member State']}: temporary border control at internal borders, "
                f"{start:%d %b %Y} to {end:%d %b %Y}",
                description=(
                    "Temporary reintroduction of border control at internal borders: "
                    f"{row['scope_original']}. "
                    f"Notification no. {row['NB']} of the European Commission's list."
                ),
                legal_basis=legal_basis,
                reasons=reasons,
                sections=_sections_for(row["scope_original"]),
                start=start,
                end=end,
                lifted=end,
                lift_note="The period notified ended.",
                notified=start if first else start - PROLONGATION_NOTICE,
                path=NotificationPath.IMMEDIATE if first else NotificationPath.PLANNED,
                justification="Sudden influx of persons seeking international protection (immediate action)."
                if first
                else "",
                assumption=ASSUMED_NO_WARNING.replace(
                    " the time of day is not on record (12:00 local assumed).",
                    " the time is that of the Commission's list.",
                )
                if first
                else ASSUMED_PROLONGATION,
            )
        )
    return measures


def _data(m: DemoMeasure) -> MeasureData:
    return MeasureData(
        type=m.type,
        title=m.title,
        description=f"{m.description}\n\n{m.assumption}",
        planned_start=m.start,
        planned_end=m.end,
        path=m.path,
        immediate_justification=m.justification,
        original_language=m.original[0],
        original_title=m.original[1],
        legal_basis=m.legal_basis,
        reasons=m.reasons,
        border_sections=m.sections,
        crossing_points=m.points,
        nationalities=m.nationalities,
        categories_of_persons=m.categories,
        persons_affected_per_day=m.persons_per_day,
        expected_of_others=m.expected_of_others,
    )


def load_demo_measures() -> list[Measure]:
    """Replay the demo measures in the order things happened; returns the measures loaded now."""
    demo = route_measures() + schengen_measures()
    participants = {p.code: p for p in Participant.objects.filter(code__in={m.issuer for m in demo})}
    events: list[tuple[datetime, int, object]] = []
    loaded: list[Measure] = []
    with transaction.atomic():
        for m in demo:
            issuer = participants[m.issuer]
            if Measure.objects.filter(issuer=issuer, title=m.title, planned_start=m.start).exists():
                continue
            measure = services.create_measure(actor=None, issuer=issuer, data=_data(m))
            loaded.append(measure)
            events.append(
                (
                    m.notified,
                    0,
                    lambda measure=measure, m=m: services.notify_measure(
                        measure, actor=None, now=m.notified, deliver=False
                    ),
                )
            )
            events.append(
                (
                    m.start,
                    1,
                    lambda measure=measure, m=m: services.bring_into_force(
                        measure, actor=None, at=m.start, now=m.start
                    ),
                )
            )
            deadline = acknowledgement_deadline(m.path, m.notified.replace(microsecond=0))
            events.append(
                (
                    deadline + timedelta(seconds=1),
                    2,
                    lambda deadline=deadline: services.escalate_overdue(
                        now=deadline + timedelta(seconds=1), deliver=False
                    ),
                )
            )
            if m.lifted is not None:
                events.append(
                    (
                        m.lifted,
                        3,
                        lambda measure=measure, m=m: services.lift_measure(
                            measure, actor=None, at=m.lifted, now=m.lifted, note=m.lift_note, deliver=False
                        ),
                    )
                )
        for _, _, action in sorted(events, key=lambda e: (e[0], e[1])):
            action()  # type: ignore[operator]
    return loaded
