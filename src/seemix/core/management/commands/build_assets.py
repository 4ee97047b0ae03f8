"""`seemix build_assets`: generate the Vega JavaScript bundle locally, with vl-convert.

The charts and maps of the pages need Vega, Vega-Lite and vega-embed in the browser. They are not
checked in (third-party code reaches the project only as a dependency) and never fetched from a CDN
(the UI must work on a closed network): vl-convert-python, a declared dependency, carries them and
bundles them here. The bundle lands in GENERATED_ASSETS_DIR, which the static files finders serve.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import vl_convert
from django.conf import settings
from django.core.management.base import BaseCommand

BUNDLE_PATH = Path("seemix") / "vendor" / "vega-bundle.js"
STAMP_PATH = Path("seemix") / "vendor" / "vega-bundle.version"
# What the bundle exposes to static/seemix/js/charts.js: globals, as its <script> tag is not a module.
SNIPPET = "window.vegaEmbed = vegaEmbed;\nwindow.vega = vega;\nwindow.vegaLite = vegaLite;\n"


def bundle_version() -> str:
    """What the bundle is made from: a new vl-convert, Vega-Lite or snippet rebuilds it."""
    snippet = hashlib.sha256(SNIPPET.encode()).hexdigest()[:12]
    vl_convert_version = version("vl-convert-python")
    return f"vl-convert {vl_convert_version}; vega-lite {settings_vega_lite_version()}; snippet {snippet}"


def settings_vega_lite_version() -> str:
    # Altair writes specs for one Vega-Lite schema ("v6.4.1"); the browser compiles them with the
    # matching minor version that vl-convert carries.
    import altair

    major, minor = altair.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def build_bundle(target_dir: Path, *, force: bool = False) -> tuple[Path, bool]:
    """Write the bundle under ``target_dir``; returns (path, whether it was written)."""
    bundle = target_dir / BUNDLE_PATH
    stamp = target_dir / STAMP_PATH
    version = bundle_version()
    if not force and bundle.is_file() and stamp.is_file() and stamp.read_text() == version:
        return bundle, False
    code = vl_convert.javascript_bundle(SNIPPET, vl_version=settings_vega_lite_version())
    bundle.parent.mkdir(parents=True, exist_ok=True)
    # Write-then-rename, so a server reading the folder never serves half a file.
    partial = bundle.with_suffix(".js.partial")
    partial.write_text(code, encoding="utf-8")
    partial.replace(bundle)
    stamp.write_text(version)
    return bundle, True


class Command(BaseCommand):
    help = "Generate the Vega/Vega-Lite/vega-embed bundle for the pages' charts and maps (no CDN)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Rebuild even if the bundle is current.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        # STATIC_ROOT exists even before collectstatic, so WhiteNoise does not warn at start-up.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        path, written = build_bundle(Path(settings.GENERATED_ASSETS_DIR), force=force)
        verb = "Wrote" if written else "Up to date:"
        self.stdout.write(f"{verb} {path} ({bundle_version()})")
