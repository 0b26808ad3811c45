"""Fixtures of the whole suite: no test ever reads or writes the user's own config, data or state."""

from __future__ import annotations

import pytest
import pytest_asyncio
from support.simulators import make_sim_config

from smstui.simulator import Simulator


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sim(**settings): SimConfig fields for the `sim` fixture of this test")
    config.addinivalue_line("markers", "gateway(**settings): SimConfig fields for a test's own simulator")


@pytest.fixture(autouse=True)
def no_user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Config, data and state directories of the test's own; no config or password from the environment."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    for name in ("SMSTUI_CONFIG", "SMSTUI_PASSWORD", "SMSTUI_NEW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    yield home


@pytest_asyncio.fixture
async def gateway(request: pytest.FixtureRequest):
    """A simulator of its own for one test (settings from a `gateway` marker), in the test's loop."""
    marker = request.node.get_closest_marker("gateway")
    async with Simulator(make_sim_config(seed=3, **(marker.kwargs if marker else {}))) as simulator:
        yield simulator


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for the run (skipped without one, unless SMSTUI_REQUIRE_POSTGRES=1)."""
    from support.postgres import REQUIRED, Postgres

    why = Postgres.available()
    if why:
        if REQUIRED:
            pytest.fail(f"PostgreSQL is required (SMSTUI_REQUIRE_POSTGRES=1) but {why}")
        pytest.skip(f"PostgreSQL tests not run: {why}")
    server = Postgres()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def store_location(request: pytest.FixtureRequest, tmp_path):
    """Where a test's store lives: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "store.db"
    return request.getfixturevalue("postgres_server").database()
