"""Browser tests: Playwright drives Debian's Chromium (Playwright's own browser download does not
work everywhere) against a live server. Without Chromium they skip, saying so. A failing test
leaves a screenshot of the page in $VAR_DIR/browser-failures/."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from heartmon.accounts.testing import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Per module: Playwright's synchronous API keeps an event loop running in this thread while
    it is started, so Django's database calls from the test need DJANGO_ALLOW_ASYNC_UNSAFE for
    that long, and no longer (the other tests keep the guard)."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server, settings):
    """The live server's address; cookies without Secure, as over plain http in DEBUG."""
    settings.AUTH_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    return live_server.url


@pytest.fixture
def page(browser, site, request) -> Iterator[Page]:
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        folder = Path(settings.VAR_DIR) / "browser-failures"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{request.node.name}.png", full_page=True)
    context.close()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/signin")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)


def emailed_link(name: str) -> str:
    """The path of the `name` link in the last e-mail."""
    found = re.search(rf"https?://[^/\s]+(/{name}\?\S+)", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    return found.group(1)


def canvas_ink(page: Page, selector: str) -> int:
    """How many pixels of the canvas differ from its top-left corner's colour (its background)."""
    return page.eval_on_selector(
        selector,
        """canvas => {
            const { width, height } = canvas;
            const { data } = canvas.getContext("2d").getImageData(0, 0, width, height);
            let ink = 0;
            for (let i = 0; i < data.length; i += 4) {
                if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1])
                    + Math.abs(data[i + 2] - data[2]) > 60) ink++;
            }
            return ink;
        }""",
    )
