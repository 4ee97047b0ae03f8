"""Every environment variable seemix reads is documented in .env.example."""

import re
from pathlib import Path

import seemix
from seemix import env

ROOT = Path(__file__).resolve().parents[2]
SRC = Path(seemix.__file__).resolve().parent
READ_CALL = re.compile(r"""\benv\.(?:str|bool|int|list)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
ENVIRON_READ = re.compile(r"""os\.environ(?:\.get)?[\[(]\s*["']([A-Z][A-Z0-9_]*)["']""")


def documented() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=", line)
        if match:
            names.add(match.group(1))
    return names


def test_every_variable_read_while_loading_settings_is_documented(settings):
    # given: settings were imported by pytest-django, recording each name read through Env
    assert "DATABASE_URL" in env.READ
    # then
    assert env.READ - documented() == set()


def test_every_variable_named_in_the_source_is_documented():
    # given
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "testing" in path.parts:
            continue
        text = path.read_text()
        names |= set(READ_CALL.findall(text)) | set(ENVIRON_READ.findall(text))
    # Django's own variable, set by the `seemix` command itself rather than by the operator.
    names.discard("DJANGO_SETTINGS_MODULE")
    # then
    assert names, "the scan found no variables: the pattern is broken"
    assert names - documented() == set()


def test_a_missing_secret_key_outside_debug_is_a_clear_error():
    # given
    reader = env.Env({"DEBUG": "0"})
    # when / then
    try:
        reader.str("SECRET_KEY")
    except env.ImproperlyConfiguredEnv as error:
        assert "SECRET_KEY" in str(error)
    else:
        raise AssertionError("a missing required variable was accepted")


def test_typed_readers_reject_malformed_values():
    reader = env.Env({"N": "twelve", "B": "maybe", "L": " a, b ,,c "})
    for read, name in ((reader.int, "N"), (reader.bool, "B")):
        try:
            read(name)
        except env.ImproperlyConfiguredEnv as error:
            assert name in str(error)
        else:
            raise AssertionError(f"{name} was accepted")
    assert reader.list("L") == ["a", "b", "c"]
