"""Compile every django.po under src/seemix/locale/ to its django.mo, with polib (no GNU gettext needed).

The .mo files are committed, so an installed seemix needs no compiler; tests/pages/test_i18n.py fails
when a .mo no longer matches its .po. Run after editing a translation:

    .venv/bin/python scripts/compile_translations.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "seemix" / "locale"


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
        if fuzzy:
            # A fuzzy entry is msgmerge's guess, often wrong: a person must confirm or fix it.
            raise SystemExit(f"{po_path}: fuzzy entries to review:\n  " + "\n  ".join(map(repr, fuzzy)))
        untranslated = len(po.untranslated_entries())
        mo_path = po_path.with_suffix(".mo")
        po.save_as_mofile(str(mo_path))
        written.append(mo_path)
        if untranslated:
            # They show in English; tests/pages/test_i18n.py says which apps must be complete.
            print(f"{po_path}: {untranslated} entries not translated yet")
    return written


if __name__ == "__main__":
    for path in compile_all(Path(sys.argv[1]) if len(sys.argv) > 1 else LOCALE_DIR):
        print(f"wrote {path}")
