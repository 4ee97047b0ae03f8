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
        untranslated = [entry.msgid for entry in po.untranslated_entries()]
        fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
        if untranslated or fuzzy:
            # A half-translated page mixes languages: refuse, and say which strings need work.
            problems = [f"untranslated: {m!r}" for m in untranslated] + [f"fuzzy: {m!r}" for m in fuzzy]
            raise SystemExit(f"{po_path}:\n  " + "\n  ".join(problems))
        mo_path = po_path.with_suffix(".mo")
        po.save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all(Path(sys.argv[1]) if len(sys.argv) > 1 else LOCALE_DIR):
        print(f"wrote {path}")
