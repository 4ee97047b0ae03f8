"""seemix createuser: make a user account for a real deployment, with its first membership."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seemix.core.errors import InvalidInput
from seemix.directory.models import Role
from seemix.directory.services import create_user


class Command(BaseCommand):
    help = (
        "Create a user: seemix createuser USERNAME --email E [--participant RS --role coordinator] [--admin] "
        "[--password-stdin]. Without --password-stdin the password is asked for at the terminal (not echoed)."
    )
    # Tests hand the command their own stdin; it is no option a user gives.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--participant", help="Participant code, e.g. RS, GR, FRONTEX.")
        parser.add_argument("--role", help=f"One of: {', '.join(Role.values)}.")
        parser.add_argument("--admin", action="store_true", help="Make a platform administrator.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = self._password(options)
        participant = options["participant"].strip().upper() if options["participant"] else None
        role = options["role"].strip().lower() if options["role"] else ""
        try:
            user = create_user(
                actor=None,
                username=options["username"],
                email=options["email"],
                password=password,
                participant=participant,
                role=role,
                is_platform_admin=options["admin"],
            )
        except InvalidInput as exc:
            raise CommandError("\n".join(f"{e.field}: {e.message}" for e in exc.errors)) from None
        what = [f"{role} of {participant}"] if participant else []
        what += ["platform administrator"] if options["admin"] else []
        self.stdout.write(f"Created user {user.get_username()}" + (f" ({', '.join(what)})." if what else "."))

    def _password(self, options: dict[str, Any]) -> str:
        stdin = options.get("stdin") or sys.stdin
        if options["password_stdin"]:
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin: standard input holds no password.")
            return password
        if not stdin.isatty():
            raise CommandError("No terminal to ask the password at: pipe it in with --password-stdin.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
