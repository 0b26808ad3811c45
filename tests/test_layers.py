"""The arrows point one way: protocol imports no I/O frameworks; service, the shared words and the --json CLI import
no Textual."""

import os
import subprocess
import sys

import pytest


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sys.modules))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


@pytest.mark.parametrize(
    ("statement", "forbidden"),
    [
        ("import smstui.protocol", {"httpx", "asyncio", "textual", "smstui.service", "Crypto", "starlette"}),
        ("import smstui.service", {"textual", "smstui.tui", "psycopg"}),  # psycopg: only for a postgresql:// store
        ("import smstui.simulator", {"textual", "smstui.tui", "smstui.service"}),
        ("import smstui.words", {"textual", "smstui.tui", "smstui.service", "httpx", "asyncio"}),
        (
            "from smstui.cli import main; import smstui.cli.session, smstui.cli.send, smstui.cli.recovery, "
            "smstui.cli.strings, smstui.cli.parser",
            {"textual", "smstui.tui"},
        ),
    ],
)
def test_module_does_not_load(statement, forbidden):
    assert loaded_after(statement) & forbidden == set()


def test_json_cli_never_loads_textual_nor_psycopg_for_a_sqlite_store(tmp_path):
    code = (
        "import sys; from smstui.cli import main; "
        "main(['balance', '--json', '--base-url', 'http://127.0.0.1:9', '--account', 'x',"
        f" '--store', r'{tmp_path / 'db'}', '--config', r'{tmp_path / 'c.toml'}']);"
        " print('textual' in sys.modules, 'psycopg' in sys.modules)"
    )
    (tmp_path / "c.toml").write_text("")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "SMSTUI_PASSWORD": "x"})
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_import_linter_contracts_hold():
    """The contracts in pyproject.toml ([tool.importlinter]): static, so a lazy import inside a function counts too."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_every_module_sits_in_a_layer_of_the_contracts():
    """Nothing at the top of the package but its face and `python -m`: a new module must land in a layer."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    contracts = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [layers] = [c["layers"] for c in contracts if c["type"] == "layers"]
    packages = {name.strip() for layer in layers for name in layer.split("|")}
    package = root / "smstui"
    loose = sorted(p.name for p in package.glob("*.py")) + sorted(
        f"smstui.{p.name}" for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()
        and f"smstui.{p.name}" not in packages)
    assert loose == ["__init__.py", "__main__.py"]
