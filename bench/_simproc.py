"""Start the simulator as its own process (a real server, not sharing the benchmark's interpreter)."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

CONFIG = """
seed = 1
require_signature = true
daily_limit = 1000000000
verification_limit = 1000000000
reply_rate = 0.0
report_delay = [3600.0, 3600.0]
[[accounts]]
account = "bench"
password = "bench"
userid = "1"
balance = 1000000000
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def simulator(settings: str = CONFIG):
    """A simulator process on a free port (with these TOML settings); yields its base URL."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "sim.toml"
        config.write_text(settings)
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "smstui", "simulator", "--port", str(port), "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    httpx.get(url + "/_sim/hello", timeout=0.5)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(10)
