"""Browser tests: Playwright drives Debian's Chromium (Playwright's own browser download does not
work everywhere) against a live server: a WSGI one that runs one request at a time (`site`), or,
for the tests of the live stream, an ASGI one (`live_site`). Without Chromium they skip, saying
so. A failing test leaves a screenshot of each of its pages in $VAR_DIR/browser-failures/."""

import base64
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from importlib import import_module
from itertools import count
from pathlib import Path

import pytest
from channels.layers import channel_layers
from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler, StaticFilesHandler
from django.core import mail
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test.testcases import LiveServerThread

from heartmon.accounts.testing import PASSWORD
from heartmon.outbox.delivery import deliver_due
from heartmon.web.tests.browser.live_server import database_open_to_threads, serving

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)",
        allow_module_level=True,
    )

from playwright.sync_api import (  # noqa: E402
    Browser,
    Locator,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

# Generous: a loaded CI machine can take seconds to serve a page; a passing check waits no longer
# than it needs.
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


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


class OneAtATime(StaticFilesHandler):
    """Connections are served by threads, but one request at a time runs the application: the
    test database is an in-memory SQLite database shared with the server's threads, and two
    requests writing to it at once (pages fetch in parallel, and every read is audited) would
    find its tables locked. (A server with one thread would stall on the idle connections a
    browser opens ahead of need.)"""

    lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return super().__call__(environ, start_response)


@pytest.fixture
def site(transactional_db, settings) -> Iterator[str]:
    """A live WSGI server's address: the pages, no WebSockets (`live_site` has them)."""
    shared: dict[str, BaseDatabaseWrapper] = {
        connection.alias: connection
        for connection in connections.all()
        if isinstance(connection, SQLiteWrapper) and connection.is_in_memory_db()
    }
    server = LiveServerThread("localhost", static_handler=OneAtATime, connections_override=shared)
    for connection in shared.values():
        connection.inc_thread_sharing()
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    url = f"http://localhost:{server.port}"
    serve_cookies_over_http(settings, url, "localhost")
    yield url
    server.terminate()
    # Request threads still closing a browser's connection close the shared database connection
    # too, which only a thread it is shared with may do.
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)
    for connection in shared.values():
        connection.dec_thread_sharing()


DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}


@contextmanager
def open_page(
    browser: Browser,
    base_url: str,
    request: pytest.FixtureRequest,
    name: str,
    viewport: ViewportSize = DESKTOP,
) -> Iterator[Page]:
    """A page in a browser context (a profile: cookies, storage) of its own, on a screen of
    `viewport`; if the test failed, its screenshot is left in
    $VAR_DIR/browser-failures/`name`.png."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
        failed = getattr(request.node, "report_call", None)
        if failed is not None and failed.failed:
            folder = Path(settings.VAR_DIR) / "browser-failures"
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=folder / f"{name}.png", full_page=True)
    finally:
        context.close()


@pytest.fixture
def page(browser, site, request) -> Iterator[Page]:
    with open_page(browser, site, request, request.node.name) as page:
        yield page


@pytest.fixture
def live_site(transactional_db, settings, tmp_path) -> Iterator[str]:
    """The address of a live ASGI server (live_server.py): the pages and the live WebSockets, on
    the in-memory channel layer or on Redis as the settings say."""
    with ExitStack() as stack:
        stack.enter_context(database_open_to_threads(tmp_path))
        # A fresh in-memory layer, its queues made on the server's loop.
        channel_layers.backends.clear()
        stack.callback(channel_layers.backends.clear)
        settings.SECRET_KEY_FROM_ENV = True  # heartmon.asgi refuses the tests' embedded key
        application = ASGIStaticFilesHandler(import_module("heartmon.asgi").application)
        url = stack.enter_context(serving(application, "127.0.0.1"))
        serve_cookies_over_http(settings, url, "127.0.0.1")
        yield url


@pytest.fixture
def live_pages(browser, live_site, request) -> Iterator[Callable[[], Page]]:
    """Opens pages on the live site, each in a browser context of its own (another person at
    another computer); they are closed before the server stops."""
    with ExitStack() as stack:
        opened = count(1)
        yield lambda: stack.enter_context(
            open_page(browser, live_site, request, f"{request.node.name}-{next(opened)}")
        )


def serve_cookies_over_http(settings, url: str, host: str) -> None:
    """The server's host allowed, and cookies without Secure, as over plain http in DEBUG."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
    settings.AUTH_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.CSRF_TRUSTED_ORIGINS = [url]


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/signin")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)


def last_email() -> str:
    """The body of the last e-mail, once the outbox's worker has delivered what is due."""
    deliver_due()
    return str(mail.outbox[-1].body)


def emailed_link(name: str) -> str:
    """The path of the `name` link in the last e-mail."""
    body = last_email()
    found = re.search(rf"https?://[^/\s]+(/{name}\?\S+)", body)
    assert found, body
    return found.group(1)


# The pixels of RGBA `data` near [r, g, b]: within 60 of it, the channels' differences summed;
# put in the scripts below in place of the word PIXELS_NEAR.
PIXELS_NEAR = """function pixelsNear(data, [r, g, b]) {
    let near = 0;
    for (let i = 0; i < data.length; i += 4) {
        const distance = Math.abs(data[i] - r) + Math.abs(data[i + 1] - g)
            + Math.abs(data[i + 2] - b);
        if (distance <= 60) near++;
    }
    return near;
}"""


def canvas_ink(page: Page, selector: str, color: tuple[int, int, int] | None = None) -> int:
    """How many pixels of the canvas are near `color`, or, without one, differ from its top-left
    corner's colour (its background)."""
    script = """(canvas, color) => {
        PIXELS_NEAR
        const { width, height } = canvas;
        const { data } = canvas.getContext("2d").getImageData(0, 0, width, height);
        const near = pixelsNear(data, color || [data[0], data[1], data[2]]);
        return color ? near : width * height - near;
    }"""
    return page.eval_on_selector(selector, script.replace("PIXELS_NEAR", PIXELS_NEAR), color)


def screen_ink(element: Locator, color: tuple[int, int, int]) -> float:
    """The share of the element's pixels on the screen near `color` (its screenshot, decoded by
    the browser)."""
    png = base64.b64encode(element.screenshot(animations="disabled")).decode()
    script = """async ([png, color]) => {
        PIXELS_NEAR
        const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext("2d");
        context.drawImage(bitmap, 0, 0);
        const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
        return pixelsNear(data, color) / (bitmap.width * bitmap.height);
    }"""
    return element.page.evaluate(script.replace("PIXELS_NEAR", PIXELS_NEAR), [png, color])
