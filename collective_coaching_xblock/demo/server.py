"""The real demo server, driven over HTTP: for tests, screenshots and anyone scripting the demo.

``demo_server(folder)`` runs ``migrate``, ``seed_demo`` and a threaded ``runserver`` as
``make demo`` does; ``Browserless`` is one person's HTTP session with the CSRF cookie and header.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

SETTINGS = "collective_coaching_xblock.demo.settings"

#: Headless Debian Chromium in a sandboxed, offline machine: no background network calls.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _create_mysql_database(socket_path: str, hint: str) -> str:
    """A fresh database on the MariaDB server for one demo server (each has its own data)."""
    import pymysql

    name = "cc_demo_" + "".join(c for c in hint if c.isalnum())[-40:]
    connection = pymysql.connect(unix_socket=socket_path, user="root", password="")
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        connection.close()
    return name


class ServerURL(str):
    """The demo server's base URL, knowing where the server writes its logs."""

    log_path: Path  # the server's own output
    var_dir: Path  # COLLECTIVE_COACHING_VAR: Django's log (settings.LOGGING) is workbench.log there

    def last_traceback(self) -> str:
        """The last traceback the server logged ("" if none): what a 500 hides from the browser.

        Django logs a request's exception to ``workbench.log`` (rotated at 50 kB, so the one
        before it is read too); an error outside a request goes to the server's own output.
        """
        for path in (self.var_dir / "workbench.log", self.var_dir / "workbench.log.1", self.log_path):
            text = path.read_text(errors="replace") if path.exists() else ""
            start = text.rfind("Traceback (most recent call last)")
            if start >= 0:
                line = text.rfind("\n", 0, start) + 1
                return text[line : line + 8000]
        return ""


@contextmanager
def demo_server(folder: Path):
    """``migrate``, ``seed_demo`` and a threaded ``runserver`` in ``folder``, as ``make demo`` does.

    Yields the server's base URL; the server stops when the context ends.
    """
    with serving(folder, lambda port: ["-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"]) as base:
        yield base


@contextmanager
def serving(folder: Path, command, *, name: str = "server", start_seconds: float = 30, stop_seconds: float = 10):
    """The demo's database in ``folder`` (migrated and seeded), served by ``command(port)``.

    ``command`` gives the arguments after the Python interpreter: ``runserver`` for
    ``demo_server``, gunicorn for the load test. Yields the base URL once the front page answers;
    the server stops when the context ends. Its output goes to ``folder/<name>.log``.
    """
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "COLLECTIVE_COACHING_VAR": str(folder / "var")}
    if env.get("COLLECTIVE_COACHING_MYSQL"):
        env["COLLECTIVE_COACHING_DB"] = _create_mysql_database(env["COLLECTIVE_COACHING_MYSQL"], name + folder.name)
    env.pop("PYTHONPATH", None)
    for step in (["migrate", "--run-syncdb", "-v0"], ["seed_demo"]):
        subprocess.run([sys.executable, "-m", "django", *step], cwd=folder, env=env, check=True, capture_output=True)
    port = _free_port()
    log_path = folder / f"{name}.log"
    log = open(log_path, "wb")  # noqa: SIM115 - open for the server's lifetime, read on failure
    server = subprocess.Popen(
        [sys.executable, *command(port)], cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = ServerURL(f"http://127.0.0.1:{port}")
    base.log_path, base.var_dir = log_path, folder / "var"
    deadline = time.monotonic() + start_seconds
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                log.close()
                raise RuntimeError(f"the demo's {name} did not start: " + log_path.read_text()[-2000:]) from None
            time.sleep(0.2)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=stop_seconds)
        log.close()


class Browserless:
    """One learner's HTTP session: opens the unit (getting the CSRF cookie) and calls handlers."""

    def __init__(self, base: str, student: str, scenario: str = "collective_coaching.0"):
        self.base, self.student, self.scenario = base, student, scenario
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.usage_id = None

    def open_unit(self) -> str:
        page = self.opener.open(f"{self.base}/scenario/{self.scenario}/?student={self.student}", timeout=30)
        html = page.read().decode("utf-8")
        marker = "data-usage='"
        start = html.index(marker) + len(marker)
        self.usage_id = html[start : html.index("'", start)]
        return html

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def post(self, handler: str, body, *, csrf: bool = True):
        url = f"{self.base}/handler/{self.usage_id}/{handler}/?student={self.student}"
        headers = {"Content-Type": "application/json", "Referer": self.base + "/"}
        if csrf:
            headers["X-CSRFToken"] = self.csrf()
        request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
        try:
            response = self.opener.open(request, timeout=30)
            return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, {"_raw": text}

    def ok_after_open(self, handler: str, body=None):
        """Open the unit (for the CSRF cookie), then call ``handler``."""
        self.open_unit()
        return self.ok(handler, body)

    def ok(self, handler: str, body=None):
        status, data = self.post(handler, body or {})
        assert status == 200, (self.student, handler, status, data)
        return data
