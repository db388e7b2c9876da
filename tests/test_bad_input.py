"""One tiny fixture per failure mode: each must give exit 1 and a message naming the
file, the feature and the reason, with no traceback and nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import GeodataFolder, collection, feature

from cpec_map.cli import main

POINT = {"type": "Point", "coordinates": [67.0, 24.85]}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[67.0, 24.0], [68.0, 25.0], [68.0, 24.0], [67.0, 25.0], [67.0, 24.0]]],
}

# id, file content, expected fragments of the error line
CASES: list[tuple[str, Any, list[str]]] = [
    ("malformed-json", '{"type": "FeatureCollection", "features": [\n  {"type": }\n]}',
     ["layer.geojson: invalid JSON at line 2, column 12"]),
    ("truncated-json", '{"type": "FeatureCollection", "features": [',
     ["layer.geojson: invalid JSON at line 1"]),
    ("nan-coordinate", '{"type":"FeatureCollection","features":[{"type":"Feature",'
     '"properties":{"name":"x","status":"planned"},"geometry":{"type":"Point","coordinates":[NaN,1]}}]}',
     ["invalid JSON", "NaN is not a JSON number"]),
    ("not-utf8", b'{"type":"FeatureCollection","features":[]}\xff\xfe',
     ["not UTF-8 text: byte 42"]),
    ("top-level-array", [1, 2], ["top level is a JSON array"]),
    ("bare-geometry", POINT, ["top-level type is 'Point'; expected 'FeatureCollection'"]),
    ("features-not-array", {"type": "FeatureCollection", "features": {}},
     ['FeatureCollection has no "features" array']),
    ("projected-crs", {**collection(feature("Port", {"type": "Point", "coordinates": [312000.0, 2780000.0]})),
                       "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32642"}}},
     ['legacy "crs" member declares urn:ogc:def:crs:EPSG::32642', "ogr2ogr -t_srs EPSG:4326"]),
    ("projected-metres", collection(feature("Port", {"type": "Point", "coordinates": [312000.0, 2780000.0]})),
     ['feature 0 ("Port"): longitude 312000 is outside -180..180', "projected metres"]),
    ("latitude-out-of-range", collection(feature("Rohri Junction", {"type": "Point", "coordinates": [68.9, 127.3]})),
     ['feature 0 ("Rohri Junction"): latitude 127.3 is outside -90..90']),
    ("latitude-below-range", collection(feature("Pole", {"type": "Point", "coordinates": [67.0, -91.0]})),
     ["latitude -91 is outside -90..90"]),
    ("invalid-polygon", collection(feature("Zone", BOWTIE)),
     ['feature 0 ("Zone"): invalid geometry: Self-intersection[67.5 24.5]']),
    ("unclosed-ring", collection(feature("Zone", {"type": "Polygon", "coordinates": [[[67, 24], [68, 24], [68, 25], [67, 25]]]})),
     ["polygon ring is not closed"]),
    ("short-line", collection(feature("Link", {"type": "LineString", "coordinates": [[67, 24]]})),
     ["LineString needs at least 2 positions, has 1"]),
    ("string-coordinate", collection(feature("Site", {"type": "Point", "coordinates": ["67.0", 24.8]})),
     ["bad geometry: position", "non-number"]),
    ("unknown-geometry-type", collection(feature("Site", {"type": "Circle", "coordinates": [67, 24]})),
     ["unknown geometry type 'Circle'"]),
    ("missing-geometry-member", collection({"type": "Feature", "properties": {"name": "x", "status": "planned"}}),
     ['no "geometry" member']),
    ("empty-geometry", collection(feature("Link", {"type": "MultiLineString", "coordinates": []})),
     ["empty MultiLineString geometry"]),
    ("missing-name", collection(feature(...)), ['feature 0: missing "name" property']),
    ("empty-name", collection(feature("  ")), ['"name" is empty']),
    ("name-not-text", collection(feature(12)), ['"name" must be a string']),
    ("unknown-status", collection(feature("Port", status="finished")),
     ["unknown status 'finished' (expected one of operational, under_construction, planned, proposed, suspended)"]),
    ("missing-status", collection(feature("Port", status=...)), ['missing "status"']),
    ("duplicate-id", collection({**feature("A"), "id": "x"}, {**feature("B"), "id": "x"}),
     ["feature 1 (\"B\"): duplicate id 'x' (first used by feature 0)"]),
    ("bad-source-date", collection(feature("Port", sources=[{"title": "T", "url": "https://a.b", "date": "May 2026"}])),
     ["source 1 date 'May 2026' is not an ISO date"]),
    ("sources-not-list", collection(feature("Port", sources="Dawn")), ['"sources" must be a non-empty list']),
    ("bad-precision", collection(feature("Port", precision="roughly")), ["unknown precision 'roughly'"]),
    ("feature-not-object", collection("oops"), ["feature 0: is a JSON string, not a Feature"]),
]


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_nothing_written(
    geodata: GeodataFolder, tmp_path, capsys, content: Any, expected: list[str]
) -> None:
    geodata.layer("layer", content)
    out = tmp_path / "out" / "map.html"
    out.parent.mkdir()
    out.write_text("previous map")

    code = main(["--geodata", str(geodata), "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith(str(geodata.path / "layer.geojson"))]
    assert lines, err
    for fragment in expected:
        assert any(fragment in line for line in lines), f"{fragment!r} not in:\n{err}"
    assert "nothing written" in err.splitlines()[-1]
    assert out.read_text() == "previous map"
    assert sorted(p.name for p in out.parent.iterdir()) == ["map.html"]  # no temp file left


def test_all_problems_reported_in_one_run(geodata: GeodataFolder, capsys) -> None:
    geodata.layer("a", "{not json")
    geodata.layer("b", collection(feature(...), feature("X", status="done")))
    assert main(["--geodata", str(geodata), "--check"]) == 1
    err = capsys.readouterr().err
    assert "a.geojson: invalid JSON" in err
    assert 'b.geojson: feature 0: missing "name"' in err
    assert "b.geojson: feature 1 (\"X\"): unknown status 'done'" in err
    assert err.splitlines()[-1].endswith("3 errors in 2 files")


def test_warnings_pass_but_strict_fails(geodata: GeodataFolder, capsys) -> None:
    swapped = feature("Gwadar Port", {"type": "Point", "coordinates": [25.12, 62.33]})
    geodata.layer("layer", collection(swapped))
    assert main(["--geodata", str(geodata), "--check"]) == 0
    err = capsys.readouterr().err
    assert "warning: lies at lon 25.12, lat 62.33, far outside the corridor region" in err
    assert "longitude and latitude look swapped" in err
    assert main(["--geodata", str(geodata), "--check", "--strict"]) == 1


def test_wgs84_crs_member_is_only_a_warning(geodata: GeodataFolder, capsys) -> None:
    doc = collection(feature())
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    geodata.layer("layer", doc)
    assert main(["--geodata", str(geodata), "--check"]) == 0
    assert 'warning: legacy "crs" member' in capsys.readouterr().err


def test_html_in_properties_is_accepted_as_data(geodata: GeodataFolder, tmp_path) -> None:
    """Markup in properties is not a data error: the map shows it as text (browser test)."""
    geodata.layer("layer", collection(feature('<img src=x onerror="alert(1)">')))
    assert main(["--geodata", str(geodata), "--out", str(tmp_path / "m.html"), "--quiet"]) == 0


def test_huge_file_is_refused_with_the_limit_named(geodata: GeodataFolder, capsys) -> None:
    big = collection(*[feature(f"Site {i}") for i in range(3000)])
    geodata.layer("layer", big)
    assert main(["--geodata", str(geodata), "--check", "--max-file-mb", "0.1"]) == 1
    err = capsys.readouterr().err
    assert "layer.geojson: file is" in err and "over the 0.1 MB limit" in err


def test_deeply_nested_json_is_an_error_not_a_crash(geodata: GeodataFolder, capsys) -> None:
    geodata.layer("layer", "[" * 100_000 + "]" * 100_000)
    assert main(["--geodata", str(geodata), "--check"]) == 1
    err = capsys.readouterr().err
    assert "layer.geojson: invalid JSON" in err and "Traceback" not in err


def test_many_problems_are_summarised_per_file(geodata: GeodataFolder, capsys) -> None:
    geodata.layer("layer", collection(*[feature(f"S{i}", status="x") for i in range(50)]))
    assert main(["--geodata", str(geodata), "--check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len([line for line in err if "unknown status" in line]) == 20
    assert any("... and 30 more problems" in line for line in err)
    assert main(["--geodata", str(geodata), "--check", "--debug"]) == 1


def test_bom_and_3d_coordinates_are_accepted(geodata: GeodataFolder) -> None:
    doc = collection(feature("Site", {"type": "LineString", "coordinates": [[67, 24, 10], [68, 25, 12.5]]}))
    geodata.layer("layer", b"\xef\xbb\xbf" + json.dumps(doc).encode())
    assert main(["--geodata", str(geodata), "--check"]) == 0


def test_two_files_with_the_same_layer_name_are_an_error(geodata: GeodataFolder, capsys) -> None:
    geodata.layer("sites", collection(feature()))
    (geodata.path / "sites.GeoJSON").write_text('{"type": "FeatureCollection", "features": []}')
    assert main(["--geodata", str(geodata), "--check"]) == 1
    assert "same layer name as" in capsys.readouterr().err


def test_odd_file_names_and_folders_named_like_layers(geodata: GeodataFolder, tmp_path) -> None:
    geodata.layer("dry port (Sost) – ٹیسٹ", collection(feature("Sost")))
    (geodata.path / "folder.geojson").mkdir()
    out = tmp_path / "m.html"
    assert main(["--geodata", str(geodata), "--out", str(out), "--quiet"]) == 0
    assert "Sost" in out.read_text(encoding="utf-8")


# --- found by a hostile-input review; each once crashed or misled -------------------------

SHELL = [[60, 20], [70, 20], [70, 30], [60, 30], [60, 20]]
REVIEW_CASES: list[tuple[str, Any, list[str]]] = [
    ("status-is-a-list", collection(feature("Port", status=["operational"])), ["unknown status ['operational']"]),
    ("precision-is-an-object", collection(feature("Port", precision={"x": 1})), ["unknown precision"]),
    ("geometry-type-is-a-list", collection(feature("Port", {"type": ["Point"], "coordinates": [67, 24]})),
     ["geometry type must be text"]),
    ("integer-too-big-for-a-float", '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
     '{"name":"x","status":"planned"},"geometry":{"type":"LineString","coordinates":[[' + "9" * 400 + ',30],[68,31]]}}]}',
     ["bad geometry: position", "holds a number out of range"]),
    ("infinite-number", '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
     '{"name":"x","status":"planned","cost":1e999},"geometry":{"type":"Point","coordinates":[67,24]}}]}',
     ["invalid JSON", "number 1e999 is out of range"]),
    ("lone-surrogate", '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
     '{"name":"x\\ud800y","status":"planned"},"geometry":{"type":"Point","coordinates":[67,24]}}]}',
     ["unpaired surrogate \\ud800 at line 1"]),
    ("booleans-in-line-coordinates", collection(feature("Link", {"type": "LineString", "coordinates": [[True, 30], [68, 31]]})),
     ["holds a non-number"]),
    ("integer-with-5000-digits", '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
     '{"name":"x","status":"planned","n":' + "9" * 5000 + '},"geometry":{"type":"Point","coordinates":[67,24]}}]}',
     ["invalid JSON: an integer has more than 4,300 digits"]),
    ("zero-width-name", collection(feature("\u200b")), ['"name" is empty']),
    ("impossible-as-of", collection(feature("Port", as_of="2024-01-01T99:99")), ['"as_of"']),
    ("empty-file", "", ["file is empty"]),
]


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in REVIEW_CASES], ids=[c[0] for c in REVIEW_CASES])
def test_review_cases_are_problems_not_crashes(geodata: GeodataFolder, capsys, content, expected) -> None:
    geodata.layer("layer", content)
    geodata.layer("other", collection(feature("Other", status="done")))  # must still be reported
    assert main(["--geodata", str(geodata), "--out", str(geodata.path.parent / "m.html")]) == 1
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err
    for fragment in expected:
        assert fragment in err, err
    assert "other.geojson: feature 0 (\"Other\"): unknown status 'done'" in err


def test_polygon_with_holes_of_different_sizes_builds(geodata: GeodataFolder, tmp_path) -> None:
    holes = [[[61, 21], [62, 21], [62, 22], [61, 22], [61, 21]], [[65, 25], [66, 25], [66, 26], [65, 25]]]
    geodata.layer("zone", collection(feature("Zone", {"type": "Polygon", "coordinates": [SHELL, *holes]})))
    assert main(["--geodata", str(geodata), "--out", str(tmp_path / "m.html"), "--quiet"]) == 0


def test_float_ids_are_numbers_too(geodata: GeodataFolder) -> None:
    geodata.layer("layer", collection({**feature("A"), "id": 1.5}, {**feature("B"), "id": 2.0}))
    assert main(["--geodata", str(geodata), "--check"]) == 0


def test_hidden_files_are_ignored_and_broken_links_reported(geodata: GeodataFolder, capsys) -> None:
    geodata.layer("layer", collection(feature()))
    (geodata.path / "._layer.geojson").write_bytes(b"\x00\x05\x16\x07 AppleDouble junk")
    (geodata.path / "gone.geojson").symlink_to(geodata.path / "nowhere.geojson")
    assert main(["--geodata", str(geodata), "--check"]) == 1
    err = capsys.readouterr().err
    assert "gone.geojson: broken symbolic link" in err and "._layer" not in err


def test_manifest_values_are_checked(geodata: GeodataFolder, capsys) -> None:
    geodata.layer("layer", collection(feature()))
    geodata.manifest('[map]\ndata_date = "2024-13-45"\n[layers.layer]\ncolor = "#fff\\n"\ntitle = ""\n')
    assert main(["--geodata", str(geodata), "--check"]) == 1
    err = capsys.readouterr().err
    assert "data_date '2024-13-45' is not an ISO date" in err
    assert "color '#fff\\n' is not a hex colour" in err
    assert "[layers.layer] title is empty" in err


def test_control_characters_in_data_do_not_reach_the_terminal(geodata: GeodataFolder, capsys) -> None:
    geodata.layer("layer", collection(feature("evil\x1b]0;pwned\x07\nname", status="x")))
    assert main(["--geodata", str(geodata), "--check"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert len([line for line in err.splitlines() if "unknown status" in line]) == 1


def test_several_outputs_are_written_all_or_nothing(geodata: GeodataFolder, tmp_path) -> None:
    geodata.layer("layer", collection(feature()))
    first = tmp_path / "first.html"
    first.write_text("previous")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--geodata", str(geodata), "--out", str(first), "--out", str(blocker / "x.html")]) == 2
    assert first.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "first.html", "geodata"]


def test_failed_build_creates_no_output_folder(geodata: GeodataFolder, tmp_path) -> None:
    geodata.layer("layer", collection(feature(status="x")))
    assert main(["--geodata", str(geodata), "--out", str(tmp_path / "new" / "deep" / "m.html")]) == 1
    assert not (tmp_path / "new").exists()


def test_output_through_a_symlink_updates_the_target(geodata: GeodataFolder, tmp_path) -> None:
    geodata.layer("layer", collection(feature("Linked")))
    target = tmp_path / "target.html"
    target.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    assert main(["--geodata", str(geodata), "--out", str(link), "--quiet"]) == 0
    assert link.is_symlink() and "Linked" in target.read_text(encoding="utf-8")


def test_non_utf8_console_does_not_crash_the_report(geodata: GeodataFolder, tmp_path) -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    geodata.layer("layer", collection(feature()))
    run = subprocess.run(
        [sys.executable, "make_map.py", "--geodata", str(geodata), "--out", str(tmp_path / "地图.html")],
        cwd=ROOT, capture_output=True, env={**os.environ, "PYTHONIOENCODING": "cp1252"}, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert b"Traceback" not in run.stderr and (tmp_path / "地图.html").is_file()


def test_a_failure_while_staging_leaves_every_file_as_it_was(geodata: GeodataFolder, tmp_path, monkeypatch) -> None:
    import tempfile

    geodata.layer("layer", collection(feature()))
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    first.write_text("old a")
    calls = []
    real = tempfile.mkstemp

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # a.html and its embed are staged; b.html fails
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", flaky)
    assert main(["--geodata", str(geodata), "--out", str(first), "--out", str(second)]) == 2
    assert first.read_text() == "old a" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "geodata"]
