"""The rules of the house that code review alone would let slip (DESIGN.md, 'Rules of the house')."""

import ast
from pathlib import Path

import seemix

SRC = Path(seemix.__file__).resolve().parent
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def python_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.py") if "migrations" not in p.parts]


def test_the_scan_sees_the_apps():
    assert {"core", "directory", "gazetteer"} <= set(APPS)


def test_analysis_imports_neither_django_nor_any_app():
    analysis = SRC / "analysis"
    offending = []
    for path in python_files(analysis) if analysis.exists() else []:
        for name in imports_of(path):
            if name.split(".")[0] == "django" or (
                name.startswith("seemix.") and not name.startswith("seemix.analysis")
            ):
                offending.append(f"{path.relative_to(SRC)}: {name}")
    assert offending == []


def test_no_app_imports_another_apps_api_or_views():
    offending = []
    for app in APPS:
        for path in python_files(SRC / app):
            for name in imports_of(path):
                parts = name.split(".")
                foreign = len(parts) >= 3 and parts[0] == "seemix" and parts[1] in APPS and parts[1] != app
                if foreign and parts[2] in {"api", "views"}:
                    offending.append(f"{app}/{path.name}: {name}")
    assert offending == []


def test_core_depends_on_no_domain_app():
    offending = []
    for path in python_files(SRC / "core"):
        for name in imports_of(path):
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "seemix" and parts[1] in set(APPS) - {"core"}:
                offending.append(f"core/{path.name}: {name}")
    assert offending == []


def test_models_and_services_do_not_import_the_web_layer():
    # Layering goes one way: api/views -> services/queries -> models -> core.
    offending = []
    for app in APPS:
        for layer in ("models.py", "services.py", "queries.py"):
            path = SRC / app / layer
            if not path.exists():
                continue
            for name in imports_of(path):
                parts = name.split(".")
                if (
                    len(parts) >= 3
                    and parts[0] == "seemix"
                    and parts[2] in {"api", "views", "forms", "schemas"}
                ):
                    offending.append(f"{app}/{layer}: {name}")
                if name.startswith("ninja"):
                    offending.append(f"{app}/{layer}: {name}")
    assert offending == []


def test_no_django_signals_for_business_behaviour():
    offending = []
    for app in APPS:
        for path in python_files(SRC / app):
            for name in imports_of(path):
                if name.startswith("django.db.models.signals") or name == "django.dispatch.receiver":
                    offending.append(f"{app}/{path.name}: {name}")
    assert offending == []


def test_modules_stay_small():
    too_long = [
        f"{p.relative_to(SRC)}: {n} lines"
        for p in python_files(SRC)
        if (n := len(p.read_text().splitlines())) > 500
    ]
    assert too_long == []
