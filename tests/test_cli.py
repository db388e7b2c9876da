"""The command line contract: options, exit codes, messages, and nothing lost."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, GeodataFolder, collection, feature

from cpec_map.cli import main, parser


@pytest.fixture
def good(geodata: GeodataFolder) -> GeodataFolder:
    geodata.layer("sites", collection(feature("Gwadar Port"), feature("Sost dry port")))
    return geodata


def test_build_writes_the_map_and_says_so(good: GeodataFolder, tmp_path: Path, capsys) -> None:
    out = tmp_path / "deep" / "folder" / "map.html"
    assert main(["--geodata", str(good), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Gwadar Port" in text
    assert f"wrote {out}" in capsys.readouterr().out
    assert oct(out.stat().st_mode & 0o777) != "0o600"  # readable like any other file


def test_default_output_path(good: GeodataFolder, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--geodata", str(good), "--quiet"]) == 0
    assert (tmp_path / "output" / "cpec_map.html").is_file()


def test_several_outputs_and_title(good: GeodataFolder, tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.htm"
    assert main(["--geodata", str(good), "--out", str(a), "--out", str(b), "--title", "T<1>"]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert "<title>T&lt;1&gt;</title>" in a.read_text()


def test_repeat_builds_are_byte_identical(good: GeodataFolder, tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    assert main(["--geodata", str(good), "--out", str(a), "--quiet"]) == 0
    assert main(["--geodata", str(good), "--out", str(b), "--quiet"]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_check_writes_nothing(good: GeodataFolder, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--geodata", str(good), "--check"]) == 0
    assert not (tmp_path / "output").exists()
    assert "1 layers, 2 features, no problems" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--no-such-flag"], "unrecognized arguments"),
        (["--geodata", "/nonexistent/geodata"], "/nonexistent/geodata: no such folder"),
        (["--out", "{tmp}/map.docx"], "unknown output format '.docx'"),
        (["--out", "{tmp}"], "is a folder"),
        (["--out", "{tmp}/file.txt/map.html"], "cannot create folder"),
        (["--basemap", "NoSuchTiles"], "--basemap NoSuchTiles: unknown basemap"),
        (["--basemap", "CartoDB.Positron"], "needs an API key"),
        (["--precision", "40"], "--precision 40"),
    ],
    ids=["bad-flag", "missing-folder", "unknown-format", "out-is-folder", "unwritable",
         "bad-basemap", "token-basemap", "bad-precision"],
)
def test_usage_errors_exit_2(good: GeodataFolder, tmp_path: Path, capsys, args, message) -> None:
    (tmp_path / "file.txt").write_text("x")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--geodata" not in args:
        args = ["--geodata", str(good), *args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_empty_folder_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["--geodata", str(tmp_path), "--check"]) == 2
    assert "no *.geojson files" in capsys.readouterr().err


def test_failed_build_keeps_the_previous_map(good: GeodataFolder, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    assert main(["--geodata", str(good), "--out", str(out), "--quiet"]) == 0
    before = out.read_bytes()
    good.layer("broken", '{"type": "FeatureCollection", "features": [}')
    assert main(["--geodata", str(good), "--out", str(out)]) == 1
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unexpected_error_has_no_traceback_unless_debug(
    good: GeodataFolder, tmp_path: Path, monkeypatch, capsys
) -> None:
    import cpec_map.render

    def boom(*_args, **_kwargs):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(cpec_map.render, "render_html", boom)
    out = tmp_path / "m.html"
    assert main(["--geodata", str(good), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: renderer exploded" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["--geodata", str(good), "--out", str(out), "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_readme_help_block_matches_the_real_help() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(usage: make_map\.py.*?)```", readme, re.S)
    assert block, "README has no --help block"
    # compare word by word: argparse wraps differently on other terminal widths
    assert block.group(1).split() == parser().format_help().split()


def test_readme_quick_start_matches_ci() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = 'pip install -e ".[test]" && python -m pytest'
    assert test_command in readme and test_command in ci
    assert "pip install . && python make_map.py" in readme


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "make_map.py"], [sys.executable, "-m", "cpec_map"]],
    ids=["make_map.py", "python -m cpec_map"],
)
def test_entry_points(command: list[str], good: GeodataFolder, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [*command, "--geodata", str(good), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert out.is_file()
    bad = subprocess.run(
        [*command, "--geodata", str(tmp_path / "missing")],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=120,
    )
    assert bad.returncode == 2 and "no such folder" in bad.stderr and "Traceback" not in bad.stderr


def test_console_script_is_installed() -> None:
    from importlib.metadata import entry_points

    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts.get("cpec-map") == "cpec_map.cli:main"
