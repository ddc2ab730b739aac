"""Start the app with `streamlit run` on a free loopback port and wait until it answers.

Environment: SPL_APP_PATH runs this script instead of <repo>/app.py (cwd = its folder); handy for rig work.
The server runs with the app's own .streamlit/config.toml (usage statistics are switched off there, not
here), so the offline test checks the shipped configuration.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT_S = 60


def app_path() -> Path:
    """The app script to serve: $SPL_APP_PATH if set (relative to the repository), else app.py."""
    override = os.environ.get("SPL_APP_PATH")
    path = Path(override).expanduser() if override else REPO_ROOT / "app.py"
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path.resolve()


class ServerError(RuntimeError):
    """The app server did not start (the message holds its output)."""


@dataclass
class StreamlitServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, n_chars: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n_chars:]
        except OSError as exc:
            return f"<could not read {self.log_path}: {exc}>"

    def wait_for_log(self, text: str, timeout_s: float) -> bool:
        """Wait until the server's output contains ``text``; False if it does not within timeout_s."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if text in self.log_tail(1_000_000) or self.process.poll() is not None:
                return text in self.log_tail(1_000_000)
            time.sleep(0.25)
        return False

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    app: Path | None = None,
    log_path: Path | None = None,
    extra_env: dict[str, str] | None = None,
    timeout_s: float = SERVER_START_TIMEOUT_S,
) -> StreamlitServer:
    """`streamlit run` the app on a free loopback port and wait for its health endpoint.

    Raises ServerError (with the server's output) if it exits or does not answer in time.
    """
    app = app or app_path()
    if not app.is_file():
        raise ServerError(f"app script not found: {app}")
    port = free_port()
    if log_path is None:
        log_path = Path(tempfile.mkdtemp(prefix="spl-server-")) / "server.log"
    cmd = _streamlit_command(app, port)
    # Usage statistics stay as the app's config sets them (the offline test checks that they are off).
    env = {k: v for k, v in os.environ.items() if k != "STREAMLIT_BROWSER_GATHER_USAGE_STATS"}
    env.update(PYTHONUNBUFFERED="1", **(extra_env or {}))
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=app.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = StreamlitServer(url=f"http://127.0.0.1:{port}", process=proc, log_path=log_path)
    _wait_until_healthy(server, timeout_s, cmd)
    return server


def _streamlit_command(app: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",  # loopback only; also keeps Streamlit from looking up an external IP
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
    ]


def _wait_until_healthy(server: StreamlitServer, timeout_s: float, cmd: list[str]) -> None:
    """Poll the health endpoint; stop the server and raise ServerError if it exits or stays silent."""
    deadline = time.monotonic() + timeout_s
    while not health_ok(server.url):
        problem = None
        if server.process.poll() is not None:
            problem = f"streamlit exited with code {server.process.returncode} before answering health."
        elif time.monotonic() > deadline:
            problem = f"streamlit did not answer {server.url}/_stcore/health within {timeout_s:.0f} s."
        if problem:
            server.stop()
            raise ServerError(f"{problem}\ncommand: {' '.join(cmd)}\n--- server output ---\n{server.log_tail()}")
        time.sleep(0.25)
