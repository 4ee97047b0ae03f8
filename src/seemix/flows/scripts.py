"""Text in several scripts: matching names written in Latin or Cyrillic, with or without accents,
and finding words that mix scripts (a Cyrillic "\u0435" inside a Latin word: a homoglyph from copied text).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Serbian and Macedonian Cyrillic to the Latin the region writes (Šid, Tabanovce, Gevgelija).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "ѓ": "gj", "е": "e", "ж": "ž", "з": "z",
    "ѕ": "dz", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "ќ": "kj", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "џ": "dž", "ш": "š", "й": "j", "ы": "y", "э": "e", "ю": "ju", "я": "ja", "щ": "št", "ъ": "a",
    "ь": "", "є": "je", "і": "i", "ї": "ji",
}  # fmt: skip
_TRANSLITERATE = str.maketrans(_CYRILLIC | {k.upper(): v.upper() for k, v in _CYRILLIC.items()})
_WORD = re.compile(r"\w+")
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
SCRIPT_NAMES = {
    "LATIN": gettext_lazy("Latin"),
    "CYRILLIC": gettext_lazy("Cyrillic"),
    "GREEK": gettext_lazy("Greek"),
}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The form names are matched in: transliterated to Latin, without accents, case-folded, with
    runs of spaces, hyphens and underscores made one space ("Табановце", "TABANOVCE" -> "tabanovce")."""
    latin = text.translate(_TRANSLITERATE).replace("đ", "dj").replace("Đ", "Dj")
    bare = "".join(c for c in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(c))
    return " ".join(re.split(r"[\s\-_]+", bare.casefold())).strip()


def script_of(char: str) -> str | None:
    """LATIN, CYRILLIC or GREEK for a letter of those scripts; None for anything else."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for script in _SCRIPTS:
        if name.startswith(script):
            return script
    return None


@dataclass(frozen=True, slots=True)
class MixedWord:
    word: str
    start: int  # 1-based position of the word's first character in the text
    majority: str  # the script most of the word's letters are in
    intruders: tuple[tuple[int, str], ...]  # (1-based position in the text, character)

    def describe(self) -> str:
        others = ", ".join(
            _("%(char)r (%(name)s, U+%(code)04X) at position %(position)d")
            % {"char": char, "name": unicodedata.name(char, "?"), "code": ord(char), "position": pos}
            for pos, char in self.intruders
        )
        return _("The word %(word)r is written in %(script)s letters but has %(others)s") % {
            "word": self.word, "script": SCRIPT_NAMES[self.majority], "others": others,
        }  # fmt: skip


@lru_cache(maxsize=65536)
def mixed_script_words(text: str) -> tuple[MixedWord, ...]:
    """Every word of ``text`` whose letters come from more than one script."""
    if text.isascii():
        return ()
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        scripts = [script_of(c) for c in word]
        present = {s for s in scripts if s}
        if len(present) < 2:
            continue
        majority = max(sorted(present), key=scripts.count)
        intruders = tuple(
            (match.start() + i + 1, c)
            for i, (c, s) in enumerate(zip(word, scripts, strict=True))
            if s and s != majority
        )
        found.append(MixedWord(word, match.start() + 1, majority, intruders))
    return tuple(found)
