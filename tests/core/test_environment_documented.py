"""Every environment variable seemix reads is documented in .env.example."""

import re
from pathlib import Path

import pytest

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
    reader = env.Env({"DEBUG": "0"})
    with pytest.raises(env.ImproperlyConfiguredEnv, match="SECRET_KEY"):
        reader.str("SECRET_KEY")


@pytest.mark.parametrize("name", ["N", "B"])
def test_typed_readers_reject_malformed_values(name):
    reader = env.Env({"N": "twelve", "B": "maybe"})
    read = {"N": reader.int, "B": reader.bool}[name]
    with pytest.raises(env.ImproperlyConfiguredEnv, match=f"^environment variable {name}="):
        read(name)


def test_a_list_is_split_on_commas_and_trimmed():
    assert env.Env({"L": " a, b ,,c "}).list("L") == ["a", "b", "c"]
