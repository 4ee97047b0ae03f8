"""The `seemix` console command: fronts every management command (`seemix migrate`, `seemix demo`...)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seemix.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "demo":
        # The demo must start on a machine with no configuration: it makes its own secret key.
        from seemix.demo.environment import prepare_demo_environment

        prepare_demo_environment()
    from django.core.management import execute_from_command_line

    args[0] = "seemix"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
