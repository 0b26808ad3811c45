"""Helpers for the CLI tests: `python -m smstui … --json` as a real process on a profile of the simulator."""

import asyncio
import json
import os
import sys
from collections import Counter

SIGNED = "您的订单已发货【星辰科技】"


async def smstui(sim, store, *args, env=None, wait=True, base_url=None, json_output=True, profile="t",
                 location=None):
    """Run `python -m smstui ARGS --json` on profile `t` of a config beside the store; (status, JSON lines, stderr)."""
    config = store.parent / "config.toml"
    if not config.exists():
        config.write_text(f"""
[profiles.t]
base_url = "{sim.url}"
account = "demo"
userid = "1001"
chunk_size = 10
concurrency = 1
reconcile_wait = 0
""")
    environment = {**os.environ, "SMSTUI_PASSWORD": "demo123", **(env or {})}
    environment = {name: value for name, value in environment.items() if value is not None}  # None: unset it
    command = [sys.executable, "-m", "smstui", *args, *(["--profile", profile] if profile else []), "--store",
               str(location or store), "--config", str(config), *(["--json"] if json_output else [])]
    if base_url:
        command += ["--base-url", base_url]
    process = await asyncio.create_subprocess_exec(*command, env=environment, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    if not wait:
        return process
    out, err = await process.communicate()
    if not json_output:
        return process.returncode, out.decode(), err.decode()
    return process.returncode, [json.loads(line) for line in out.decode().splitlines() if line.strip()], err.decode()


def accepted_per_mobile(sim):
    counts = Counter()
    for task in sim.world.tasks.values():
        counts.update(m for m, r in task.recipients.items() if r.state != "refused")
    return counts
