"""The Python API: objects that report problems and display inline in Jupyter."""

from __future__ import annotations

import html

import pytest
from conftest import GeodataFolder, collection, feature

import cpec_map


def test_validate_dir_reports_without_raising(geodata: GeodataFolder) -> None:
    geodata.layer("layer", collection(feature("<b>A</b>", status="done"), feature("B", sources=...)))
    report = cpec_map.validate_dir(geodata.path)
    assert not report.ok
    assert [p.reason for p in report.errors] == [
        "unknown status 'done' (expected one of operational, under_construction, planned, proposed, suspended)"
    ]
    assert len(report.warnings) == 1 and report.warnings[0].feature == 1
    table = report._repr_html_()
    assert "<b>A</b>" not in table and html.escape("<b>A</b>") in table
    assert cpec_map.validate_dir(geodata.path, strict=True).errors[-1].feature == 1


def test_build_map_raises_with_every_problem(geodata: GeodataFolder) -> None:
    geodata.layer("layer", collection(feature(...), feature("B", status="x")))
    with pytest.raises(cpec_map.CpecMapError) as caught:
        cpec_map.build_map(geodata.path)
    assert [p.feature for p in caught.value.problems] == [0, 1]
    assert str(caught.value) == "2 errors in 1 file"


def test_build_map_displays_inline_and_gives_dataframes(geodata: GeodataFolder) -> None:
    geodata.layer("layer", collection(feature("Gwadar Port", name_ur="گوادر")))
    result = cpec_map.build_map(geodata.path, title="T")
    frame = result._repr_html_()
    assert frame.startswith("<iframe") and 'sandbox="allow-scripts' in frame
    assert html.escape(result.html, quote=True) in frame
    gdf = result.geodata.layers[0].to_geodataframe()
    assert gdf.crs.to_epsg() == 4326 and list(gdf["name"]) == ["Gwadar Port"]
    assert result.written == ()


@pytest.mark.parametrize(("basemap", "message"), [("NoSuch", "unknown basemap"), ("CartoDB.Positron", "API key")])
def test_api_refuses_basemaps_it_cannot_show(geodata: GeodataFolder, basemap: str, message: str) -> None:
    geodata.layer("layer", collection(feature()))
    with pytest.raises(cpec_map.UsageError, match=message):
        cpec_map.build_map(geodata.path, basemap=basemap)
