"""English is complete; Serbian (Latin script) works end to end: every marked string is translated,
the committed catalogue (.mo) matches its source (.po), and the pages switch language."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.utils.translation.template import templatize

import seemix

SRC = Path(seemix.__file__).resolve().parent
PO = SRC / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# What must be complete in Serbian: the foundation's apps, the project's templates and modules. An
# app joins when its strings are translated; until then its pages show in English in every language.
TRANSLATED = {
    "core",
    "directory",
    "gazetteer",
    "demo",
    "templates",
    "flows",
    "measures",
    "outbox",
    "situation",
}


def must_be_translated(path: Path) -> bool:
    parts = path.relative_to(SRC).parts
    return len(parts) == 1 or parts[0] in TRANSLATED


GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
# What templatize() turns {% translate %} and {% blocktranslate %} into: gettext(u'...') calls.
TEMPLATE_CALL = re.compile(r"\b(n?p?gettext)\(((?:u'(?:[^'\\]|\\.)*'(?:, )?)+)")


def catalogue(entries) -> dict[tuple[str | None, str, str | None], tuple[str, ...]]:
    result = {}
    for e in entries:
        if not e.msgid:
            continue
        forms = tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural)) if e.msgid_plural else (e.msgstr,)
        result[(e.msgctxt, e.msgid, e.msgid_plural or None)] = forms
    return result


def marked_in_python(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in GETTEXT_FUNCTIONS
            and node.args
        ):
            first = node.args[1] if node.func.id.startswith("pgettext") else node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def marked_in_template(path: Path) -> set[str]:
    found = set()
    for name, arguments in TEMPLATE_CALL.findall(templatize(path.read_text(), origin=str(path))):
        strings = ast.literal_eval(f"({arguments.rstrip(', ')},)")
        found.add(strings[1] if name.startswith("p") or name.startswith("np") else strings[0])
    return found


def marked_strings() -> dict[str, str]:
    """{msgid: where} for every string seemix marks for translation."""
    marked: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" not in path.parts and must_be_translated(path):
            marked.update(dict.fromkeys(marked_in_python(path), str(path.relative_to(SRC))))
    for path in SRC.rglob("templates/**/*.html"):
        if must_be_translated(path):
            marked.update(dict.fromkeys(marked_in_template(path), str(path.relative_to(SRC))))
    return marked


def test_the_scan_finds_strings_of_templates_and_code():
    # given
    marked = marked_strings()
    # then
    assert marked["Sign in"] == "templates/registration/login.html"
    assert "There was %(limit)s failed attempt to sign in with this user name from your address." in marked
    assert "Neighbour" in marked_in_python(SRC / "gazetteer" / "maps.py")
    assert "SEECP participant" in marked


def test_every_marked_string_has_a_serbian_translation():
    # given
    translated = {
        key[1] for key, forms in catalogue(polib.pofile(str(PO))).items() if all(f.strip() for f in forms)
    }
    # when
    missing = {msgid: where for msgid, where in marked_strings().items() if msgid not in translated}
    # then: run `seemix makemessages -l sr_Latn --no-location` in src/seemix, translate, then
    # `python scripts/compile_translations.py`.
    assert missing == {}


def test_no_translation_is_fuzzy():
    assert [e.msgid for e in polib.pofile(str(PO)).fuzzy_entries()] == []


def test_committed_mo_matches_the_po(tmp_path):
    # given: the .po compiled afresh, as scripts/compile_translations.py does
    fresh = tmp_path / "django.mo"
    polib.pofile(str(PO)).save_as_mofile(str(fresh))
    # then
    assert catalogue(polib.mofile(str(MO))) == catalogue(polib.mofile(str(fresh)))
    assert polib.mofile(str(MO)).metadata["Plural-Forms"] == polib.pofile(str(PO)).metadata["Plural-Forms"]


def test_placeholders_survive_translation():
    # A translation that drops or renames %(name)s breaks the page at run time.
    placeholder = re.compile(r"%\(\w+\)s")
    broken = []
    for entry in polib.pofile(str(PO)):
        singular = set(placeholder.findall(entry.msgid))
        plural = set(placeholder.findall(entry.msgid_plural)) if entry.msgid_plural else singular
        # Every form keeps the placeholders both English forms share, and invents none; a form may
        # drop the count the singular leaves out (Serbian has three plural forms to English's two).
        required, allowed = singular & plural, singular | plural
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        broken += [
            (entry.msgid, form)
            for form in forms
            if form and not required <= set(placeholder.findall(form)) <= allowed
        ]
    assert broken == []


@pytest.fixture
def serbian(settings):
    settings.LANGUAGE_CODE = "en"
    return {"HTTP_ACCEPT_LANGUAGE": "sr-Latn"}


def test_home_page_in_serbian_latin(browser, participants, contact_points, serbian):
    # when
    response = browser("RS coordinator").get("/", **serbian)
    # then
    html = response.content.decode()
    assert '<html lang="sr-latn">' in html
    assert "Dobro došli, rs-coordinator" in html
    assert '<h2 id="memberships-heading">Vaša članstva</h2>' in html
    assert '<span class="badge badge-role">Koordinator</span>' in html
    assert "Kontakt tačke: Serbia" in html
    assert "Tokovi: Border Police Operations Centre" in html
    assert '<span class="badge badge-restricted">Ograničeno</span>' in html
    assert ">Odjava</button>" in html
    assert "Welcome" not in html


def test_plural_forms_follow_serbian_grammar(browser, participants, serbian):
    # when: 7 participants take the third form ("učesnika"), as 5 to 20 do
    html = browser("GR reporter").get("/directory/", **serbian).content.decode()
    # then
    assert "<caption>7 učesnika</caption>" in html
    assert "<td>Država članica EU</td>" in html


def test_language_switcher_remembers_the_choice(browser, participants):
    # given
    client = browser("RS coordinator")
    # when
    response = client.post("/i18n/setlang/", {"language": "sr-latn", "next": "/directory/"})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/directory/"
    html = client.get("/directory/").content.decode()
    assert "<h1>Imenik</h1>" in html
    assert 'aria-pressed="true">Srpski (latinica)</button>' in html
    # and back
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "<h1>Directory</h1>" in client.get("/directory/").content.decode()


def test_login_page_in_serbian(client, db, serbian):
    # when
    html = client.get("/accounts/login/", **serbian).content.decode()
    # then
    assert "<h1>Prijava</h1>" in html
    assert "Korisničko ime" in html
    assert "Lozinka" in html
