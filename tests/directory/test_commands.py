"""`seemix load_participants` and `seemix createuser`, and the services behind them."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from seemix.core.models import AuditEntry
from seemix.directory.models import Membership, Participant, ParticipantKind
from seemix.directory.services import load_participants
from tests.directory.conftest import snapshot

pytestmark = pytest.mark.django_db
User = get_user_model()

SEECP = ["AL", "BA", "BG", "GR", "HR", "MD", "ME", "MK", "RO", "RS", "SI", "TR", "XK"]
PASSWORD = "a long and uncommon passphrase 42"


# --- load_participants ------------------------------------------------------------------------------


def test_load_participants_seeds_the_seecp_participants_and_partners():
    # when
    out = io.StringIO()
    call_command("load_participants", stdout=out)
    # then
    kinds = dict(Participant.objects.values_list("code", "kind"))
    assert sorted(c for c, k in kinds.items() if k == ParticipantKind.SEECP) == SEECP
    assert sorted(c for c, k in kinds.items() if k == ParticipantKind.EU_MEMBER_STATE) == [
        "AT",
        "CY",
        "DE",
        "HU",
        "IT",
    ]
    assert sorted(c for c, k in kinds.items() if k == ParticipantKind.EU_AGENCY) == [
        "EUAA",
        "EUROPOL",
        "FRONTEX",
    ]
    assert sorted(c for c, k in kinds.items() if k == ParticipantKind.INTERNATIONAL_ORGANISATION) == [
        "IOM",
        "UNHCR",
    ]
    assert [c for c, k in kinds.items() if k == ParticipantKind.SECRETARIAT] == ["RCC"]
    assert Participant.objects.get(code="XK").name == "Kosovo"
    assert out.getvalue() == "Participants: 24 created, 0 updated, 0 unchanged.\n"
    assert (
        AuditEntry.objects.filter(action="participant.created", actor=None, actor_label="system").count()
        == 24
    )


def test_load_participants_twice_changes_nothing():
    # given
    load_participants()
    before = snapshot()
    # when
    result = load_participants()
    # then
    assert (result.created, result.updated, len(result.unchanged)) == ([], [], 24)
    assert snapshot() == before


def test_load_participants_brings_a_renamed_participant_back_to_the_seed_and_leaves_others(participants):
    # given: the test participants exist already; one has an outdated name
    Participant.objects.filter(code="MK").update(name="Macedonia")
    # when
    result = load_participants()
    # then
    assert result.updated == ["MK"]
    assert Participant.objects.get(code="MK").name == "North Macedonia"
    assert Participant.objects.get(code="RCC").name == "Regional Cooperation Council Secretariat"
    assert AuditEntry.objects.get(action="participant.updated").changes == {
        "name": ["Macedonia", "North Macedonia"]
    }


def test_a_bad_seed_file_loads_nothing(tmp_path):
    # given: the second row is wrong
    seed = tmp_path / "participants.json"
    seed.write_text(
        json.dumps(
            {
                "participants": [
                    {"code": "AL", "name": "Albania", "kind": "seecp"},
                    {"code": "ALB", "name": "Albania again", "kind": "seecp"},
                ]
            }
        )
    )
    # when
    with pytest.raises(CommandError) as raised:
        call_command("load_participants", file=seed)
    # then
    assert (
        str(raised.value) == "code: 'ALB' is not an ISO 3166-1 alpha-2 country code (e.g. RS; XK for Kosovo)."
    )
    assert Participant.objects.count() == 0
    assert AuditEntry.objects.count() == 0


# --- createuser ------------------------------------------------------------------------------------


def createuser(*args, password=PASSWORD):
    out = io.StringIO()
    call_command("createuser", *args, "--password-stdin", stdin=io.StringIO(password + "\n"), stdout=out)
    return out.getvalue()


def test_createuser_makes_a_coordinator(participants):
    # when
    out = createuser("ana", "--email", "ana@example.org", "--participant", "rs", "--role", "Coordinator")
    # then
    assert out == "Created user ana (coordinator of RS).\n"
    user = User.objects.get(username="ana")
    assert user.check_password(PASSWORD)
    assert (user.is_superuser, user.is_staff) == (False, False)
    assert list(Membership.objects.filter(user=user).values_list("participant__code", "role")) == [
        ("RS", "coordinator")
    ]
    entry = AuditEntry.objects.get(action="user.created")
    assert (entry.actor_label, entry.participant_code) == ("system", "RS")
    assert PASSWORD not in json.dumps(entry.changes)


def test_createuser_makes_a_platform_administrator(db):
    # when
    out = createuser("root", "--email", "root@example.org", "--admin")
    # then
    assert out == "Created user root (platform administrator).\n"
    user = User.objects.get(username="root")
    assert (user.is_superuser, user.is_staff) == (True, True)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["bob", "--email", "bob@example.org", "--participant", "SRB", "--role", "reporter"],
            PASSWORD,
            "participant: No participant has the code 'SRB'. Did you mean 'RS'?",
        ),
        (
            ["bob", "--email", "bob@example.org", "--participant", "RS", "--role", "boss"],
            PASSWORD,
            "role: 'boss' is not a role: one of reporter, coordinator, analyst, observer.",
        ),
        (
            ["bob", "--email", "bob@example.org", "--participant", "RS"],
            PASSWORD,
            "role: Give both a participant and a role.",
        ),
        (
            ["bob", "--email", "not-an-email"],
            PASSWORD,
            "email: 'not-an-email' is not a valid email address.",
        ),
        (
            ["bob", "--email", "bob@example.org"],
            "short",
            "password: This password is too short. It must contain at least 12 characters.",
        ),
        (
            ["rs-reporter", "--email", "x@example.org"],
            PASSWORD,
            "username: The user name 'rs-reporter' is taken.",
        ),
    ],
)
def test_createuser_explains_what_is_wrong_and_creates_nothing(args, password, message, make_user):
    # given
    make_user("RS", "reporter")
    before = snapshot()
    users = User.objects.count()
    # when
    with pytest.raises(CommandError) as raised:
        createuser(*args, password=password)
    # then
    assert str(raised.value) == message
    assert User.objects.count() == users
    assert snapshot() == before


def test_createuser_rejects_a_common_password_naming_the_field(db):
    # when
    with pytest.raises(CommandError) as raised:
        createuser("bob", "--email", "bob@example.org", password="password1234")
    # then
    assert str(raised.value) == "password: This password is too common."
    assert not User.objects.filter(username="bob").exists()


def test_createuser_without_a_terminal_or_password_stdin_refuses(db):
    # when
    with pytest.raises(CommandError) as raised:
        call_command("createuser", "bob", "--email", "bob@example.org", stdin=io.StringIO(""))
    # then
    assert str(raised.value) == "No terminal to ask the password at: pipe it in with --password-stdin."
    assert not User.objects.exists()


def test_createuser_prompts_without_echo_when_on_a_terminal(db, monkeypatch):
    # given: a terminal, and getpass (which does not echo) answering twice
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    answers = iter([PASSWORD, PASSWORD])
    prompts = []
    monkeypatch.setattr(
        "seemix.directory.management.commands.createuser.getpass.getpass",
        lambda prompt: prompts.append(prompt) or next(answers),
    )
    # when
    call_command("createuser", "bob", "--email", "bob@example.org", stdin=Terminal(), stdout=io.StringIO())
    # then
    assert prompts == ["Password: ", "Password (again): "]
    assert User.objects.get(username="bob").check_password(PASSWORD)
