"""`smstui mms` makes pictures fit the way the TUI does (--fit, the default), or sends them untouched (--no-fit)."""

import io

from PIL import Image
from support.cli import smstui
from support.mms import accepted_packages, big_gif, logo_png, photo_jpeg, write


async def test_pictures_are_made_to_fit_and_the_gateway_gets_the_parts(gateway, tmp_path):
    seen = accepted_packages(gateway)
    photo = write(tmp_path, "photo.jpg", photo_jpeg(orientation=6))
    logo = write(tmp_path, "logo.png", logo_png())
    status, [sent], err = await smstui(gateway, tmp_path / "cli.db", "mms", "--to", "13900139000", "--subject", "新品",
                                       "--slide", f"春季新品:{photo}", "--slide", f":{logo}", "--slide", "欢迎光临",
                                       "--duration", "7")
    assert status == 0 and sent["success_count"] == 1, err
    [(subject, parts)] = seen
    assert subject == "新品"
    assert [x.name for x in parts] == ["1.jpg", "2.txt", "3.png", "4.txt", "mms.smil"]
    assert Image.open(io.BytesIO(parts[0].data)).size == (480, 640)  # upright, scaled
    assert parts[1].data == "春季新品".encode("gbk") and parts[3].data == "欢迎光临".encode("gbk")
    assert parts[2].data == logo_png()  # a PNG that fits goes as it is
    smil = parts[4].data.decode()
    assert smil.count('<par dur="7000ms">') == 3 and 'src="1.jpg"' in smil and 'src="4.txt"' in smil
    assert photo.read_bytes() == photo_jpeg(orientation=6)


async def test_a_gif_that_does_not_fit_goes_as_a_jpeg_of_its_first_frame_and_says_so(gateway, tmp_path):
    seen = accepted_packages(gateway)
    sale = write(tmp_path, "sale.gif", big_gif())
    status, _, err = await smstui(gateway, tmp_path / "cli.db", "mms", "--to", "13900139000", "--subject", "促销",
                                  "--slide", f"限时促销:{sale}", "--language", "zh")
    assert status == 0 and "第 1 页：sale.gif 原样放不下" in err
    [(_, parts)] = seen
    assert parts[0].name == "1.jpg"


async def test_no_fit_sends_the_files_untouched_or_says_why_not(gateway, tmp_path):
    seen = accepted_packages(gateway)
    logo = write(tmp_path, "logo.png", logo_png())
    status, _, _ = await smstui(gateway, tmp_path / "cli.db", "mms", "--to", "13900139000", "--subject", "新品",
                                "--slide", f"新品:{logo}", "--no-fit")
    assert status == 0 and seen[0][1][0].data == logo_png()
    photo = write(tmp_path, "photo.jpg", photo_jpeg())
    status, [error], _ = await smstui(gateway, tmp_path / "cli.db", "mms", "--to", "13900139000", "--subject", "新品",
                                      "--slide", f"新品:{photo}", "--no-fit")
    assert status == 2 and "the limit is 307,200" in error["message"] and len(seen) == 1


async def test_bad_pictures_are_named_by_slide_and_file_in_both_languages(gateway, tmp_path):
    notes = write(tmp_path, "notes.jpg", b"not a picture at all")
    args = ("mms", "--to", "13900139000", "--subject", "新品", "--slide", "第一页", "--slide", f"第二页:{notes}")
    status, [error], _ = await smstui(gateway, tmp_path / "cli.db", *args)
    assert status == 2 and error["message"].startswith("slide 2, notes.jpg: this is not a picture")
    status, _, err = await smstui(gateway, tmp_path / "cli.db", *args, "--language", "zh", json_output=False)
    assert status == 2 and "第 2 页 notes.jpg：这不是可读取的图片" in err and "Traceback" not in err
    status, _, err = await smstui(gateway, tmp_path / "cli.db", "mms", "--to", "13900139000", "--subject", "新品",
                                  "--slide", "表情😀", json_output=False)
    assert status == 2 and "slide 1" in err and "GBK" in err and "Traceback" not in err
    assert len(gateway.world.tasks) == 0


async def test_the_profiles_max_mms_bytes_is_the_limit_pictures_are_fitted_to_and_checked_against(gateway, tmp_path):
    seen = accepted_packages(gateway)
    (tmp_path / "config.toml").write_text(f'[profiles.t]\nbase_url = "{gateway.url}"\naccount = "demo"\n'
                                          'userid = "1001"\nmax_mms_bytes = 61440\n')
    photo = write(tmp_path, "photo.jpg", photo_jpeg())
    assert len(photo_jpeg()) > 61440  # too big for this gateway as it is
    status, [sent], err = await smstui(gateway, tmp_path / "cli.db", "mms", "--to", "13900139000", "--subject", "新品",
                                       "--slide", f"新品:{photo}")
    assert status == 0 and sent["success_count"] == 1, err
    [(_, parts)] = seen
    assert 40_000 < sum(len(x.data) + len(x.name) + 5 for x in parts) <= 61440  # fitted to the room it has, no more
    status, [error], _ = await smstui(gateway, tmp_path / "cli.db", "mms", "--to", "13900139000", "--subject", "新品",
                                      "--slide", f"新品:{photo}", "--no-fit")
    assert status == 2 and "the limit is 61,440" in error["message"] and len(seen) == 1
    (tmp_path / "config.toml").write_text(f'[profiles.t]\nbase_url = "{gateway.url}"\nmax_mms_bytes = 100\n')
    status, [bad], _ = await smstui(gateway, tmp_path / "cli.db", "balance")
    assert status == 2 and "max_mms_bytes" in bad["message"] and "1024" in bad["message"].replace(",", "")
