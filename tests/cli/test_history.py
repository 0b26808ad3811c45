"""History belongs to the gateway account: what one profile or a command-line account stored, every name sees."""

import pytest
from support.cli import smstui


def config(store, sim, name):
    (store.parent / "config.toml").write_text(f"""
default_profile = "{name}"
[profiles.{name}]
base_url = "{sim.url}"
account = "demo"
userid = "1001"
""")


@pytest.mark.gateway(clock="real")
async def test_an_opt_out_pulled_for_the_account_on_the_command_line_holds_for_every_profile_of_it(gateway, tmp_path):
    """M3: `inbox --base-url … --account demo` stores a ＴＤ; the config's profile of the same account holds it."""
    db = tmp_path / "cli.db"
    (tmp_path / "config.toml").write_text("")
    gateway.inject_uplink("demo", "13700000001", "ＴＤ。")
    status, [inbox], _ = await smstui(gateway, db, "inbox", "--account", "demo", base_url=gateway.url,
                                      profile=None)
    assert status == 0 and inbox["uplinks"][0]["optout"]
    for name in ("sim", "renamed"):  # the profile, then the same profile renamed
        config(db, gateway, name)
        status, [sent], err = await smstui(gateway, db, "send", "--to", "13700000001,13900139000", "--content",
                                           "活动通知【星辰科技】", profile=name)
        assert status == 0 and sent["success_count"] == 1 and "13700000001" in err, (sent, err)  # held back, said
        status, [reports], _ = await smstui(gateway, db, "inbox", profile=name)
        assert [u["content"] for u in reports["uplinks"]] == ["ＴＤ。"]
    sent_to = {m for task in gateway.world.tasks.values() for m in task.recipients}
    assert sent_to == {"13900139000"}
