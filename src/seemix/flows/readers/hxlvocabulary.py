"""The HXL vocabulary seemix reads: which hashtag attributes name an indicator or a breakdown.

See ``hxltags.py`` for how a file's columns are mapped with it.
"""

from __future__ import annotations

import re

INDICATOR_ATTRIBUTES = {
    "arrivals": "ARRIVALS",
    "entries": "ARRIVALS",
    "exits": "EXITS",
    "departures": "EXITS",
    "present": "PRESENT",
    "stranded": "STRANDED",
    "registrations": "REGISTRATIONS",
    "registered": "REGISTRATIONS",
}
BREAKDOWN_ATTRIBUTES = {
    "f": ("sex", "female"),
    "female": ("sex", "female"),
    "m": ("sex", "male"),
    "male": ("sex", "male"),
    "age0_13": ("age_group", "0-13"),
    "age14_17": ("age_group", "14-17"),
    "age18_34": ("age_group", "18-34"),
    "age35_64": ("age_group", "35-64"),
    "age65plus": ("age_group", "65+"),
    "unaccompanied": ("unaccompanied_minors", "yes"),
}
NEUTRAL_ATTRIBUTES = {"num", "total", "code", "name", "value"}
FIGURE_TAGS = {"#affected", "#inneed", "#targeted", "#reached", "#population", "#indicator"}
LANGUAGE = re.compile(r"^i_[a-z]{2,3}$")
HASHTAG_ROWS = 25
EXITS = "EXITS"
# Which column gives the place when several name it: the code, else the bare tag, else the name.
PLACE_PREFERENCE = ("#loc+code", "#loc", "#loc+name", "#country+code", "#country", "#country+name")
