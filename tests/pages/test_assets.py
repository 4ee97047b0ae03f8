"""The pages' own static files and the Vega bundle generated locally by `seemix build_assets`."""

from __future__ import annotations

from importlib.metadata import version
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from seemix.core.management.commands.build_assets import BUNDLE_PATH, STAMP_PATH

VL_CONVERT = version("vl-convert-python")


@pytest.mark.parametrize("path", ["seemix/css/seemix.css", "seemix/js/charts.js", "seemix/img/favicon.svg"])
def test_the_pages_own_static_files_are_found(path):
    # A template that links a file the finders cannot see gets a 404 in production (WhiteNoise).
    assert finders.find(path) is not None


def test_build_assets_writes_the_bundle_once(tmp_path, settings):
    # given
    settings.GENERATED_ASSETS_DIR = tmp_path / "assets"
    settings.STATIC_ROOT = tmp_path / "static"
    first, second = StringIO(), StringIO()
    # when
    call_command("build_assets", stdout=first)
    bundle = tmp_path / "assets" / BUNDLE_PATH
    written_at = bundle.stat().st_mtime_ns
    call_command("build_assets", stdout=second)
    # then
    assert first.getvalue().startswith(f"Wrote {bundle} (vl-convert {VL_CONVERT}; vega-lite ")
    assert second.getvalue().startswith(f"Up to date: {bundle}")
    assert bundle.stat().st_mtime_ns == written_at
    assert (tmp_path / "static").is_dir()
    code = bundle.read_text()
    # The snippet's globals, which charts.js uses (the bundler minifies the assignments).
    assert "window.vegaEmbed=" in code
    assert "window.vega=" in code
    # vega-embed's CSP-safe expression interpreter, which charts.js turns on with `ast: true`.
    assert "expressionInterpreter" in code
    assert (tmp_path / "assets" / STAMP_PATH).read_text().startswith(f"vl-convert {VL_CONVERT};")


def test_build_assets_rebuilds_when_vl_convert_changes(tmp_path, settings):
    # given
    settings.GENERATED_ASSETS_DIR = tmp_path
    call_command("build_assets", stdout=StringIO())
    (tmp_path / STAMP_PATH).write_text("vl-convert 0.0.1; vega-lite 5.0")
    out = StringIO()
    # when
    call_command("build_assets", stdout=out)
    # then
    assert out.getvalue().startswith("Wrote ")
    assert (tmp_path / STAMP_PATH).read_text().startswith(f"vl-convert {VL_CONVERT};")


def test_the_bundle_is_served_from_this_host(client, db, settings):
    # given: the bundle as `make test` builds it before the suite
    call_command("build_assets", stdout=StringIO())
    # when
    response = client.get("/static/seemix/vendor/vega-bundle.js")
    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(
        Path(settings.GENERATED_ASSETS_DIR, BUNDLE_PATH).read_bytes()[:200]
    )
