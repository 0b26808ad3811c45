"""`smstui --demo` in a real terminal (tmux): type a message, read the live counter off the screen."""

import shutil
import subprocess
import sys
import time
import uuid

import pytest


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for(session: str, text: str, seconds: float = 20.0) -> str:
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def test_demo_in_tmux_shows_the_counter(tmp_path):
    assert shutil.which("tmux"), "tmux is needed (.ci/run installs it)"
    session = f"smstui-{uuid.uuid4().hex[:8]}"
    command = f"cd {tmp_path} && LANG=C.UTF-8 SMSTUI_CONFIG={tmp_path}/none.toml {sys.executable} -m smstui --demo --config {tmp_path}/c.toml --language en"
    (tmp_path / "c.toml").write_text("")
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        wait_for(session, "balance 10,000")
        time.sleep(0.5)
        tmux("send-keys", "-t", session, "-l", "13900139000")
        wait_for(session, "1 valid")
        tmux("send-keys", "-t", session, "Tab")
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "-l", "hello from tmux")
        screen = wait_for(session, "15/500")
        assert "Segments" in screen and "DEMO" in screen and "1 valid" in screen
        tmux("send-keys", "-t", session, "C-q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
