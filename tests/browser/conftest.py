"""Browser tests: Playwright driving the system's Chromium against pytest-django's live server.

Skipped, with the reason, where /usr/bin/chromium is absent (Debian/Ubuntu: `apt-get install chromium`).
Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("SEEMIX_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A name that is not "localhost": Swagger UI and others treat localhost specially (no online
# validator badge, for one), so the test must look like a real deployment to catch such requests.
HOST_NAME = "seemix.test"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    f"--host-resolver-rules=MAP {HOST_NAME} 127.0.0.1",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
                    )
                )


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the tests' ORM calls are
    # synchronous, which Django refuses inside a running loop unless told it is deliberate. Only
    # while the browser lives: the loop and the exemption end with the module.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def vega_bundle(django_db_blocker: Any) -> Path:
    """The locally generated Vega bundle the map page loads (what `make test` builds first)."""
    from django.conf import settings

    from seemix.core.management.commands.build_assets import build_bundle

    path, _ = build_bundle(Path(settings.GENERATED_ASSETS_DIR))
    return path


@dataclass
class Recorder:
    """Every request a page made, and every Content Security Policy violation and console error."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def console_error(self, text: str) -> None:
        # Browsers honour Cross-Origin-Opener-Policy only over HTTPS (or on localhost); the live
        # server speaks plain HTTP under HOST_NAME, so Chromium says it ignored the header.
        if "Cross-Origin-Opener-Policy header has been ignored" not in text:
            self.console_errors.append(text)

    def foreign_requests(self, origin: str) -> list[str]:
        allowed = urlsplit(origin).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob", "about"} and urlsplit(url).netloc != allowed
        ]


CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


@pytest.fixture
def site(live_server: Any, settings: Any, vega_bundle: Path) -> str:
    """The live server's address under HOST_NAME, with cookies that plain HTTP can carry."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST_NAME]
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    port = urlsplit(live_server.url).port
    return f"http://{HOST_NAME}:{port}"


@pytest.fixture
def gazetteer(db: Any) -> Any:
    from seemix.gazetteer.services import load_gazetteer

    return load_gazetteer()


@pytest.fixture
def page(chromium: Any) -> Iterator[tuple[Any, Recorder]]:
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    recorder = Recorder()
    tab.on("request", lambda request: recorder.requests.append(request.url))
    tab.on("console", lambda message: message.type == "error" and recorder.console_error(message.text))
    tab.add_init_script(CSP_PROBE)
    yield tab, recorder
    context.close()


def csp_violations(tab: Any) -> list[str]:
    return list(tab.evaluate("window.__cspViolations || []"))
