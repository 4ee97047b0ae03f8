"""Merge translated entries from .po fragments into the Serbian (Latin) catalogue, then compile it.

    .venv/bin/python scripts/merge_translations.py fragment.po [more.po ...]

An entry of a fragment replaces the catalogue's entry with the same msgid (and context), or is
added. Fuzzy and empty entries of a fragment are skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib
from compile_translations import LOCALE_DIR, compile_all

CATALOGUE = LOCALE_DIR / "sr_Latn" / "LC_MESSAGES" / "django.po"


def merge(fragments: list[Path], catalogue_path: Path = CATALOGUE) -> int:
    catalogue = polib.pofile(str(catalogue_path))
    merged = 0
    for fragment in fragments:
        for entry in polib.pofile(str(fragment)):
            if not entry.msgid or entry.fuzzy or not (entry.msgstr or any(entry.msgstr_plural.values())):
                continue
            existing = (
                catalogue.find(entry.msgid, msgctxt=entry.msgctxt)
                if entry.msgctxt
                else catalogue.find(entry.msgid)
            )
            if existing is None:
                catalogue.append(
                    polib.POEntry(
                        msgid=entry.msgid,
                        msgid_plural=entry.msgid_plural,
                        msgstr=entry.msgstr,
                        msgstr_plural=dict(entry.msgstr_plural),
                        msgctxt=entry.msgctxt,
                        flags=list(entry.flags),
                    )
                )
            else:
                existing.msgstr = entry.msgstr
                existing.msgstr_plural = dict(entry.msgstr_plural)
                existing.flags = [f for f in existing.flags if f != "fuzzy"]
            merged += 1
    catalogue.save(str(catalogue_path))
    return merged


if __name__ == "__main__":
    count = merge([Path(p) for p in sys.argv[1:]])
    print(f"merged {count} entries into {CATALOGUE}")
    for path in compile_all():
        print(f"wrote {path}")
