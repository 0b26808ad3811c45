"""The gateway client against the simulator over real HTTP: every operation, transport and outcome."""

import pytest
from support.service import DEMO

import smstui.protocol as p
from smstui.service import (
    ConfigError,
    GatewayClient,
    GatewayRefused,
    InvalidInput,
    UnknownOutcome,
    Unreachable,
)

SIGNED = "您的订单已发货【星辰科技】"


def client_for(gateway, password=DEMO["password"], **options):
    creds = p.Credentials(DEMO["account"], password, DEMO["userid"])
    return GatewayClient(gateway.url, creds, clock=gateway.now, **options)


@pytest.mark.parametrize("transport", ["xml", "json", "gbk", "encrypted", "soap"])
async def test_send_in_every_transport(gateway, transport):
    async with client_for(gateway, transport=transport) as client:
        receipt = await client.send(["13900139000", "13700137000"], SIGNED)
    assert receipt.success_count == 2 and receipt.task_id and receipt.balance == 10_000 - 2
    assert receipt.transport == transport
    assert gateway.world.tasks[receipt.task_id].transport == transport


@pytest.mark.parametrize("transport", ["xml", "json", "gbk", "encrypted", "soap"])
async def test_refusal_in_every_transport_carries_code_and_remedy(gateway, transport):
    async with client_for(gateway, transport=transport) as client:
        with pytest.raises(GatewayRefused) as caught:
            await client.send(["13900139000"], "没有签名的内容")
    assert caught.value.code == 2113 and "【" in caught.value.remedy


async def test_balance_too_low_says_top_up(gateway):
    gateway.patch_account("demo", balance=1)
    async with client_for(gateway) as client:
        with pytest.raises(GatewayRefused) as caught:
            await client.send(["13900139000", "13700137000"], SIGNED)
    assert caught.value.code == 1111 and "top up" in caught.value.message.lower()


async def test_wrong_password_is_a_refusal(gateway):
    async with client_for(gateway, password="wrong") as client:
        with pytest.raises(GatewayRefused) as caught:
            await client.balance()
    assert caught.value.code == 1005


async def test_batch_mms_balance_password_templates(gateway):
    async with client_for(gateway) as client:
        receipt = await client.send_batch(
            [p.BatchRow("13900139000", "甲" * 71 + "【星辰科技】"), p.BatchRow("13700137000", SIGNED)]
        )
        assert receipt.success_count == 2 and receipt.balance == 10_000 - 3
        mms = await client.send_mms(["13900139000"], "新品", p.pack_mms([p.Slide("你好")]))
        assert mms.balance == 99
        assert (await client.balance(mms=True)).balance == 99
        sms = await client.balance()
        assert (sms.balance, sms.pay_type) == (9_997, "prepaid")
        template_id = await client.add_template("您的验证码：@【星辰科技】")
        [template] = await client.query_templates(template_id)
        assert template.status == p.TemplateStatus.REVIEW
        await client.update_template(template_id, "您的验证码：@，请勿泄露【星辰科技】")
        await client.delete_template(template_id)
        assert await client.query_templates() == []
        await client.change_password("n3w-pass")
        assert (await client.balance()).ok  # the client now uses the new password
    async with client_for(gateway) as old:
        with pytest.raises(GatewayRefused):
            await old.balance()


async def test_reports_and_uplinks_queries(gateway):
    async with client_for(gateway) as client:
        receipt = await client.send(["13900139000"], SIGNED)
        gateway.advance(60)
        body = await client.query("reports")
        assert [r.task_id for r in p.parse_reports(body).items] == [receipt.task_id] and b"statusbox" in body
        gateway.inject_uplink("demo", "13900139000", "TD")
        uplinks = p.parse_uplinks_json(await client.query("uplinks", fmt="json"))
        assert [u.content for u in uplinks.items] == ["TD"]


async def test_unreachable_when_nothing_listens():
    creds = p.Credentials("demo", "demo123")
    async with GatewayClient("http://127.0.0.1:9", creds, connect_timeout=1) as client:
        with pytest.raises(Unreachable):
            await client.balance()


async def test_dropped_reply_is_unknown_outcome_and_the_task_exists(gateway):
    gateway.set_faults(drop_ratio=1.0)
    async with client_for(gateway) as client:
        with pytest.raises(UnknownOutcome):
            await client.send(["13900139000"], SIGNED)
    assert len(gateway.world.tasks) == 1


async def test_timeout_is_unknown_outcome(gateway):
    gateway.set_faults(drop_ratio=1.0, drop_mode="timeout", drop_delay=1.0)
    async with client_for(gateway, read_timeout=0.2) as client:
        with pytest.raises(UnknownOutcome, match="may have been processed"):
            await client.send(["13900139000"], SIGNED)


@pytest.mark.parametrize("fault", [{"html_ratio": 1.0}, {"truncate_ratio": 1.0}, {"error_ratio": 1.0}])
async def test_unreadable_replies_are_unknown_outcomes_with_the_raw_body(gateway, fault):
    gateway.set_faults(**fault)
    async with client_for(gateway) as client:
        with pytest.raises(UnknownOutcome) as caught:
            await client.send(["13900139000"], SIGNED)
    assert caught.value.raw


async def test_encrypted_needs_numeric_userid(gateway):
    creds = p.Credentials("demo", "demo123", "")
    async with GatewayClient(gateway.url, creds, transport="encrypted", clock=gateway.now) as client:
        with pytest.raises(InvalidInput, match="userid"):
            await client.send(["13900139000"], SIGNED)


async def test_tls_is_verified_unless_turned_off_and_then_warned(gateway, tmp_path):
    """The simulator behind real TLS with a certificate of a private CA: refused by default, accepted with the
    CA as ca_bundle, accepted with verify_tls = false (and a warning)."""
    import trustme

    from smstui.runtime.server import InLoopServer
    from smstui.service import AppConfig, Profile, Secret, SmsService

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    key_and_chain, ca_file = tmp_path / "server.pem", tmp_path / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(key_and_chain))
    ca.cert_pem.write_to_path(str(ca_file))
    server = InLoopServer(gateway.app, lifespan="off", ssl_certfile=str(key_and_chain))
    port = await server.start("127.0.0.1", 0)
    url = f"https://127.0.0.1:{port}"
    try:

        async def balance(**settings):
            profile = Profile(name="tls", base_url=url, account="demo", **settings)
            config = AppConfig(default_profile="tls", profiles={"tls": profile})
            async with await SmsService.open(
                config, store_path=tmp_path / "t.db", password=Secret("demo123")
            ) as service:
                return (await service.balance()).balance, service.warnings

        with pytest.raises(Unreachable, match="CERTIFICATE_VERIFY_FAILED"):
            await balance()
        assert await balance(ca_bundle=str(ca_file)) == (10_000, [])
        amount, warnings = await balance(verify_tls=False)
        assert amount == 10_000 and any("verification is OFF" in w for w in warnings)
        with pytest.raises(ConfigError, match="ca_bundle"):
            await balance(ca_bundle=str(tmp_path / "missing.pem"))
    finally:
        await server.stop()


@pytest.mark.parametrize(("fault", "kind", "says"), [
    ({"error_ratio": 1.0}, "http_error", "HTTP 503 from"),
    ({"html_ratio": 1.0}, "html_page", "an HTML page answered, not the gateway (502 Bad Gateway)"),
    ({"drop_ratio": 1.0}, "broken", "broke"),
])
async def test_what_a_failed_request_may_have_done_is_said_by_whether_it_changes_anything(gateway, fault, kind, says):
    gateway.set_faults(**fault)
    async with client_for(gateway) as client:
        with pytest.raises(UnknownOutcome) as balance:
            await client.balance()
        with pytest.raises(UnknownOutcome) as send:
            await client.send(["13900139000"], SIGNED)
    assert balance.value.kind == kind + "_query" and says in balance.value.message
    assert "it changes nothing: try again" in balance.value.message and "processed" not in balance.value.message
    assert send.value.kind == kind and says in send.value.message and "may have been processed" in send.value.message
    assert "DTD" not in balance.value.message + send.value.message and "kept" not in send.value.message
