"""Static figures: sizes, formats, determinism, captions from the data, scripts."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import GEODATA, SVG, GeodataFolder, collection, feature

from cpec_map.cli import main
from cpec_map.errors import UsageError
from cpec_map.figure import SIZES, describe, parse_size, render_figures, resolve_view
from cpec_map.load import load_dir
from cpec_map.model import FigureOptions

SHIPPED, _ = load_dir(GEODATA)


@pytest.mark.parametrize("preset", sorted(SIZES))
def test_presets_give_their_size_in_every_format(sites_and_route, preset: str) -> None:
    out = render_figures(sites_and_route, FigureOptions(size=preset, dpi=100), ["png", "svg", "pdf"]).images
    w_mm, h_mm = SIZES[preset]
    w_pt, h_pt = w_mm / 25.4 * 72, h_mm / 25.4 * 72
    # PNG: pixels = inches * dpi
    width, height = _png_size(out["png"])
    assert width == pytest.approx(w_mm / 25.4 * 100, abs=1)  # matplotlib truncates
    assert height == pytest.approx(h_mm / 25.4 * 100, abs=1)
    # SVG: parses, size in points, text stays text
    root = ET.fromstring(out["svg"])
    assert float(root.get("width").removesuffix("pt")) == pytest.approx(w_pt, abs=0.5)
    assert float(root.get("height").removesuffix("pt")) == pytest.approx(h_pt, abs=0.5)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert any("Gwadar Port" in t for t in texts) and any("Legend" in t for t in texts)
    # PDF: one page of the right media box
    pdf = out["pdf"]
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]+)\]", pdf).group(1).split()]
    assert box[2] == pytest.approx(w_pt, abs=0.5) and box[3] == pytest.approx(h_pt, abs=0.5)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_repeat_renders_are_byte_identical(sites_and_route) -> None:
    options = FigureOptions(size="column", dpi=120)
    first = render_figures(sites_and_route, options, ["png", "svg", "pdf"]).images
    second = render_figures(sites_and_route, options, ["png", "svg", "pdf"]).images
    assert first == second


@pytest.mark.parametrize(
    ("text", "inches"),
    [("180x120mm", (180 / 25.4, 120 / 25.4)), ("7x5in", (7, 5)), ("200x100", (200 / 25.4, 100 / 25.4))],
)
def test_custom_sizes(text: str, inches) -> None:
    assert parse_size(text) == pytest.approx(inches)


@pytest.mark.parametrize("bad", ["huge", "0x5in", "100x", "99999x10mm"])
def test_bad_sizes_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError, match="--size"):
        parse_size(bad)


def test_views_named_layer_and_bbox(sites_and_route) -> None:
    assert resolve_view(sites_and_route, "south") == (62.0, 24.5, 68.5, 25.6)
    assert resolve_view(sites_and_route, "route") == (67.0, 24.85, 71.5, 34.0)
    assert resolve_view(sites_and_route, "60,20,70,30") == (60, 20, 70, 30)
    with pytest.raises(UsageError, match="unknown view"):
        resolve_view(sites_and_route, "atlantis")
    with pytest.raises(UsageError, match="west < east"):
        resolve_view(sites_and_route, "70,20,60,30")


def test_shipped_manifest_names_the_report_views() -> None:
    for view in ("gwadar", "karachi", "islamabad", "khunjerab", "ml1"):
        west, south, east, north = resolve_view(SHIPPED, view)
        assert 60 < west < east < 80 and 23 < south < north < 38, view


def test_alt_text_names_layers_and_counts_from_the_data(sites_and_route) -> None:
    text = describe(sites_and_route, FigureOptions()).to_text()
    alt = text.split("Alt text:\n", 1)[1].split("\n", 1)[0]
    assert "Sites: 2 features (1 operational, 1 planned)" in alt
    assert "Route: 1 feature (1 planned)" in alt
    assert "Sources (1):" in text and "Test source, https://example.org/source (2026-05-01)" in text


def test_urdu_and_chinese_labels_are_kept_in_logical_order(sites_and_route) -> None:
    for lang, name in (("ur", "گوادر بندرگاہ"), ("zh", "瓜达尔港")):
        svg = render_figures(sites_and_route, FigureOptions(lang=lang, dpi=72), ["svg"]).images["svg"].decode()
        assert name in svg, lang            # the text layer holds the name as written...
        assert name[::-1] not in svg, lang  # ...not reversed (a reshaper on top would do that)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_urdu_label_in_the_pdf_text_layer_is_shaped_text_not_reversed(sites_and_route, tmp_path: Path) -> None:
    pdf = tmp_path / "ur.pdf"
    pdf.write_bytes(render_figures(sites_and_route, FigureOptions(lang="ur", dpi=72), ["pdf"]).images["pdf"])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "حیثیت" in text and "Legend" not in text  # the legend speaks Urdu too (its "Status")
    plain = re.sub("[\u200e\u200f\u202a-\u202e]", "", text)  # bidi marks pdftotext adds
    assert "گوادر بندرگاہ" in plain  # extracted in reading order: shaped, not reversed


def test_legend_and_title_follow_the_figure_language(sites_and_route) -> None:
    """The legend's title, headings, status keys and layer names are the page's strings."""
    def texts(lang: str) -> list[str]:
        svg = render_figures(sites_and_route, FigureOptions(lang=lang, dpi=72), ["svg"]).images["svg"]
        return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]

    en, zh = texts("en"), texts("zh")
    assert {"Legend", "Status", "Operational", "Planned", "Location"} <= set(en)
    assert {"图例", "状态", "已运营", "已规划", "位置"} <= set(zh), zh
    assert not {"Legend", "Status", "Planned"} & set(zh)
    assert any(t.startswith("Built from geodata of") for t in en)


def test_cli_writes_all_formats_with_sidecars_and_embed(tmp_path: Path, capsys) -> None:
    outs = [tmp_path / f"cpec_map.{ext}" for ext in ("html", "png", "svg", "pdf")]
    args = ["--geodata", str(GEODATA), "--size", "column", "--dpi", "100"]
    for out in outs:
        args += ["--out", str(out)]
    assert main(args) == 0
    for out in outs[1:]:
        assert out.stat().st_size > 10_000
        sidecar = Path(str(out) + ".txt").read_text(encoding="utf-8")
        assert sidecar.startswith("Caption:") and "ML-1 railway" in sidecar
    embed = (tmp_path / "cpec_map.embed.html").read_text(encoding="utf-8")
    assert 'src="cpec_map.html#embed"' in embed and 'title="Interactive map: ' in embed
    assert '<a href="cpec_map.html">Open the interactive map</a>' in embed
    assert '<img src="cpec_map.png" alt="Map of the whole corridor' in embed
    assert main(args + ["--view", "nowhere"]) == 2
    assert "--view nowhere: unknown view" in capsys.readouterr().err


def test_whatever_check_accepts_builds_in_every_format(geodata: GeodataFolder, tmp_path: Path) -> None:
    """Odd but valid data must not pass --check and then crash one of the outputs."""
    mixed = {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [67.1, 24.9]},
        {"type": "LineString", "coordinates": [[67.0, 24.8], [67.3, 25.0]]},
        {"type": "Polygon", "coordinates": [[[67.5, 24.5], [67.8, 24.5], [67.8, 24.8], [67.5, 24.5]]]},
    ]}
    geodata.layer("odd", collection(
        feature("Mixed", mixed, precision="approximate", uncertainty_m=3000,
                extra={"nested": [1, {"a": None}]}, flag=True, big=10**30, name_ur="مخلوط"),
        feature("Many", {"type": "MultiPoint", "coordinates": [[68, 25], [68.2, 25.1]]}, status="proposed"),
        feature("Loc", {"type": "MultiLineString", "coordinates": [[[74, 34], [74.5, 34.5]]]},
                status="operational", boundary_type="line_of_control", disputed=True),
        {**feature("No place"), "geometry": None},
    ))
    assert main(["--geodata", str(geodata), "--check"]) == 0
    outs = [tmp_path / f"m.{ext}" for ext in ("html", "png", "svg", "pdf")]
    args = ["--geodata", str(geodata), "--quiet", "--lang", "ur", "--dpi", "60"]
    assert main([*args, *(a for o in outs for a in ("--out", str(o)))]) == 0
    assert all(o.stat().st_size > 1000 for o in outs)


def test_figures_show_the_data_date_the_page_shows(sites_and_route) -> None:
    svg = render_figures(sites_and_route, FigureOptions(dpi=72), ["svg"]).images["svg"].decode()
    assert "Built from geodata of 2026-05-01" in svg  # the newest source date: no manifest date
    assert "from geodata of 2026-05-01" in describe(sites_and_route, FigureOptions()).caption


def test_outputs_are_byte_identical_across_processes(tmp_path: Path) -> None:
    import os
    import sys

    from conftest import ROOT

    runs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        cmd = [sys.executable, "make_map.py", "--quiet", "--dpi", "60", "--size", "column",
               "--out", str(out / "m.html"), "--out", str(out / "m.png"), "--out", str(out / "m.svg"),
               "--out", str(out / "m.pdf")]
        subprocess.run(cmd, cwd=ROOT, check=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": seed})
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert runs[0] == runs[1]
