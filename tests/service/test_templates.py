"""The shared template list against the simulator over HTTP: changes on the bus, reviews watched until decided, edits
back to review, 1119 told by its code, CSV export and import."""

import asyncio
import codecs

import pytest
from support.service import open_service

import smstui.protocol as p
from smstui.service import GatewayRefused, InvalidInput, TemplatesChanged, read_template_file
from smstui.service.batch_records import BatchFileError
from smstui.simulator import AccountConfig

CODE = "您的验证码是@，@分钟内有效【星辰科技】"
ORDER = "尊敬的@，您的订单@已发货【星辰科技】"


def heard(service):
    """Every TemplatesChanged the service's bus tells, as it tells them."""
    events = []
    service.bus.subscribe(lambda event: events.append(event) if isinstance(event, TemplatesChanged) else None)
    return events


async def until(condition, rounds=200):
    for _ in range(rounds):
        if condition():
            return True
        await asyncio.sleep(0.02)
    return False


@pytest.mark.gateway(template_review_delay=30)
async def test_a_new_template_is_watched_until_the_gateway_enables_it(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        book = service.template_book
        book.review_first = 0.05
        events = heard(service)
        template_id = await service.add_template(CODE)
        assert book.get(template_id).status == p.TemplateStatus.REVIEW and [t.text for t in book.reviewing] == [CODE]
        assert events[-1].reviewing == 1 and book.match("您的验证码是1234，5分钟内有效【星辰科技】") is None
        watch = asyncio.create_task(book.watch_reviews())
        await asyncio.sleep(0.3)
        assert book.get(template_id).status == p.TemplateStatus.REVIEW  # asked, and still under review
        gateway.advance(31)
        assert await until(lambda: any(e.decided for e in events))
        [decided] = next(e.decided for e in events if e.decided)
        assert (decided.template.template_id, decided.before, decided.template.status) == (template_id, 3, 1)
        assert book.match("您的验证码是1234，5分钟内有效【星辰科技】").template_id == template_id  # counts at once
        assert not book.reviewing
        watch.cancel()
    async with open_service(gateway, tmp_path / "s.db") as service:  # another run: the store's list, no request
        gateway.set_faults(error_ratio=1.0)
        kept = await service.templates(refresh=False)
        assert [(t.template_id, t.status) for t in kept] == [(template_id, 1)]


@pytest.mark.gateway(template_review_delay=5, template_reject_words=["返利"])
async def test_a_returned_template_shows_its_state_and_an_edit_goes_back_to_review(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        book = service.template_book
        template_id = await service.add_template("返利活动@开始了【星辰科技】")
        gateway.advance(6)
        decided = await book.refresh()
        assert [(d.template.template_id, d.before, d.template.status) for d in decided] == [(template_id, 3, 4)]
        events = heard(service)
        with pytest.raises(InvalidInput) as same:
            await service.update_template(template_id, "返利活动@开始了【星辰科技】")
        assert same.value.kind == "template_unchanged" and not events  # nothing sent
        await service.update_template(template_id, "会员活动@开始了【星辰科技】")
        assert book.get(template_id) == p.Template(template_id, 3, "会员活动@开始了【星辰科技】")
        assert gateway.world.templates["demo"][template_id].status == p.TemplateStatus.REVIEW
        gateway.advance(6)
        await book.refresh()
        assert book.get(template_id).status == p.TemplateStatus.ENABLED
        await service.update_template(template_id, "会员日活动@开始了【星辰科技】")  # an enabled one too
        assert book.get(template_id).status == p.TemplateStatus.REVIEW
        assert book.match("会员日活动周末开始了【星辰科技】") is None
        await service.delete_template(template_id)
        assert book.get(template_id) is None and template_id not in gateway.world.templates["demo"]
        assert await service.store.templates(service.key) == []


async def test_the_rules_are_checked_before_anything_is_sent(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        with pytest.raises(InvalidInput) as caught:
            await service.add_template("编号@@@@@@")
        assert {f.kind for f in caught.value.findings} == {"template_variable_run", "signature_missing"}
        assert gateway.world.templates["demo"] == {}


async def test_an_account_without_the_feature_is_refused_with_1119(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", account="notemplate", userid="1003",
                            password="note123") as service:
        with pytest.raises(GatewayRefused) as caught:
            await service.templates()
        assert caught.value.code == 1119 and "enable interface templates" in caught.value.remedy
        assert service.template_book.failure is caught.value and not service.template_book.loaded


@pytest.mark.gateway(accounts=[AccountConfig("demo", "demo123", "1001", templates=[CODE, "@先生您好，@【星辰科技】"])])
async def test_an_export_opens_in_excel_and_imports_as_nothing_new(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        book = service.template_book
        await book.refresh()
        path = tmp_path / "templates.csv"
        assert await book.export(path) == 2
        data = path.read_bytes()
        assert data.startswith(codecs.BOM_UTF8)
        text = data.decode("utf-8-sig")
        assert text.splitlines()[0] == "template_id,status,state,text"
        assert ",1,enabled,'@先生您好，@【星辰科技】" in text  # a cell starting with @ is defused for Excel
        plan = book.plan(read_template_file(path))
        assert plan.new == () and plan.refused == ()
        assert [there.text for _, there in plan.present] == [CODE, "@先生您好，@【星辰科技】"]  # the ' is undone


async def test_an_import_submits_the_new_texts_and_names_every_refused_line(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db") as service:
        book = service.template_book
        existing = await service.add_template(CODE)
        path = tmp_path / "mine.csv"
        path.write_bytes("编号,模板内容\n1,尊敬的@，您的订单@已发货【星辰科技】\n2,编号@@@@@@【星辰科技】\n3,\n"
                         f"4,{CODE}\n5,尊敬的@，您的订单@已发货【星辰科技】\n6,会员@，积分@已到账,请查收【星辰科技】\n"
                         .encode("gbk"))
        file = read_template_file(path)
        assert file.source.encoding == "gb18030"
        plan = book.plan(file)
        assert [(r.line, r.text) for r in plan.new] == [(2, ORDER), (7, "会员@，积分@已到账,请查收【星辰科技】")]
        assert [r.line for r, _ in plan.present] == [5] and plan.present[0][1].template_id == existing
        assert [(f.line, f.kind) for f in plan.refused] == [(3, "template_invalid"), (4, "template_empty"),
                                                             (6, "template_repeated")]
        assert plan.refused[0].params["problems"][0].kind == "template_variable_run"
        steps = []
        result = await book.submit(plan, lambda done, total: steps.append((done, total)))
        assert steps == [(1, 2), (2, 2)] and not result.refused and result.stopped is None
        assert {gateway.world.templates["demo"][i].text for _, i in result.added} == {ORDER, plan.new[1].text}
        assert len(book.templates) == 3


async def test_a_file_without_a_header_is_one_template_a_row_commas_and_all(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text('您好,@先生，您的快递已到【星辰科技】\r\n"第二行\r\n也是它@【星辰科技】"\r\n\r\n"不完整@"【星辰科技】\r\n',
                    encoding="utf-8")
    file = read_template_file(path)
    assert [(r.line, r.text) for r in file.rows] == [(1, "您好,@先生，您的快递已到【星辰科技】"),
                                                    (2, "第二行\n也是它@【星辰科技】")]
    assert [(f.line, f.kind) for f in file.findings] == [(5, "quote_stray")]
    empty = tmp_path / "empty.csv"
    empty.write_text("text\n")
    with pytest.raises(BatchFileError):
        read_template_file(empty)


async def test_an_import_on_an_account_without_the_feature_stops_at_the_first_refusal(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "s.db", account="notemplate", userid="1003",
                            password="note123") as service:
        path = tmp_path / "two.csv"
        path.write_text(f"text\n{CODE}\n{ORDER}\n", encoding="utf-8")
        result = await service.template_book.submit(service.template_book.plan(read_template_file(path)))
        assert result.added == () and result.stopped.code == 1119 and result.left == 2


@pytest.mark.gateway(template_review_delay=5)
async def test_the_pollers_watch_a_template_another_process_submitted_once_the_list_shows_it(gateway, tmp_path):
    async with open_service(gateway, tmp_path / "other.db") as other:
        template_id = await other.add_template(ORDER)  # a colleague, or `smstui templates add`
    async with open_service(gateway, tmp_path / "s.db") as service:  # a profile not marked uses_templates too
        book = service.template_book
        book.review_first = 0.05
        events = heard(service)
        service.start_pollers(interval=3600)
        await asyncio.sleep(0.2)
        assert not book.loaded  # the watch asks nothing while it knows of no template under review
        await book.refresh()
        assert [t.template_id for t in book.reviewing] == [template_id]
        gateway.advance(6)
        assert await until(lambda: book.get(template_id).status == p.TemplateStatus.ENABLED)
        assert [d.template.template_id for e in events for d in e.decided] == [template_id]
