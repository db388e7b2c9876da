"""tools/derive.py: geometry derived from reference data, by id, and nothing else."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import GEODATA, ROOT

sys.path.insert(0, str(ROOT / "tools"))
import derive  # noqa: E402

REFDATA = ROOT.parent / "shared" / "refdata"


def _write(path: Path, features: list[dict]) -> None:
    head = '{"type": "FeatureCollection", "features": [\n'
    path.write_text(head + ",\n".join(json.dumps(f, ensure_ascii=False) for f in features) + "\n]}\n",
                    encoding="utf-8")


def _station(osm_id, x, y, name="S"):
    return {"type": "Feature", "id": name.lower(), "properties": {"name": name, "status": "operational",
            **({"osm_id": osm_id} if osm_id else {})}, "geometry": {"type": "Point", "coordinates": [x, y]}}


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    ref, geo = tmp_path / "refdata", tmp_path / "geodata"
    ref.mkdir()
    geo.mkdir()
    (ref / "railway_stations_osm.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"osm_id": 11}, "geometry": {"type": "Point", "coordinates": [67.1234567, 24.7654321]}},
        {"type": "Feature", "properties": {"osm_id": 12}, "geometry": {"type": "Point", "coordinates": [68.0, 25.0]}},
    ]}), encoding="utf-8")
    _write(geo / "ml1_stations.geojson", [
        _station(11, 67.0, 24.0, "Moved"),       # derived: its node moved
        _station(12, 68.0, 25.0, "Same"),        # derived: unchanged
        _station(None, 69.0, 26.0, "Elsewhere"),  # no osm_id: located from another source
    ])
    return ref, geo


RULES = (derive.Rule("ml1_stations", "railway_stations_osm.geojson", "osm_id", "osm_id", derive.point()),)


def test_only_the_geometry_of_derived_features_is_rewritten(folders) -> None:
    ref, geo = folders
    before = (geo / "ml1_stations.geojson").read_text(encoding="utf-8").split("\n")
    derived = derive.derive(geo, ref, RULES)
    assert derive.differences(geo, derived) == ["ml1_stations.geojson: feature 0 ('Moved')"]
    assert derive.write(geo, derived) == 1
    after = (geo / "ml1_stations.geojson").read_text(encoding="utf-8").split("\n")
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [1]  # the one line of the moved station
    moved = json.loads(after[1].rstrip(","))
    assert moved["geometry"]["coordinates"] == [67.12346, 24.76543]
    assert moved["properties"] == json.loads(before[1].rstrip(","))["properties"]  # facts untouched
    assert derive.differences(geo, derive.derive(geo, ref, RULES)) == []


def test_a_key_missing_from_the_reference_names_the_feature(folders) -> None:
    ref, geo = folders
    _write(geo / "ml1_stations.geojson", [_station(99, 67.0, 24.0, "Ghost")])
    with pytest.raises(derive.DeriveError, match=r"feature 0 \('Ghost'\): osm_id 99 is not in railway_stations_osm"):
        derive.derive(geo, ref, RULES)


def test_without_reference_data_it_says_what_it_needs(tmp_path: Path, capsys) -> None:
    assert derive.main(["--refdata", str(tmp_path / "nowhere"), "--check"]) == 2
    err = capsys.readouterr().err
    assert "no reference data here" in err and "railway_stations_osm.geojson" in err


def _line(fid, kind="railway", **props):
    return {"type": "Feature", "id": fid, "properties": {"name": fid, "kind": kind, **props},
            "geometry": {"type": "LineString", "coordinates": [[0.0, 0.0], [1.0, 1.0]]}}


def _track(route, *coords):
    return {"type": "Feature", "properties": {"route": route},
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}}


ML1_TABLE = """
[main]
track_route = "Main"
station_role = "main"
[branch]
track_route = "Loop"
station_role = "loop"
bypass = "chord"
[[section]]
id = "west"
[[section]]
id = "east"
"""


@pytest.fixture
def ml1(tmp_path: Path) -> tuple[Path, Path, derive.NetworkRule]:
    """A line along 25 N: main pieces A and B meet (20 m apart), a 10 km gap holds a station
    5 km from the track, then piece C; a loop leaves C at 67.5 E and rejoins it at 67.58 E,
    its trace ending with a run back west through the yard. Sections end at station B."""
    ref, geo = tmp_path / "refdata", tmp_path / "geodata"
    ref.mkdir()
    geo.mkdir()
    (ref / "ml1_track_osm.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        _track("Main run", (67.0, 25.0), (67.1, 25.0), (67.2, 25.0)),
        _track("Main run", (67.2002, 25.0), (67.3, 25.0)),
        _track("Main run", (67.4, 25.0), (67.5, 25.0), (67.6, 25.0)),
        _track("Loop", (67.5, 25.0), (67.52, 25.05), (67.57, 25.05), (67.575, 25.0004), (67.58, 25.0004)),
        _track("Loop", (67.5799, 25.0004), (67.55, 25.0)),  # the run back west: dropped
    ], "summary": {"gaps": [
        {"from_lonlat": [67.2, 25.0], "approx_km_post": 20.0},
        {"from_lonlat": [67.3, 25.0], "approx_km_post": 35.0},
    ]}}), encoding="utf-8")
    (ref / "railway_stations_osm.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": n, "osm_id": i, "role": r, "km_post": k},
         "geometry": {"type": "Point", "coordinates": c}}
        for n, i, r, k, c in [("B", 1, "main", 10, [67.1, 25.0005]),        # on the track: a section end
                              ("Inside", 2, "main", 35, [67.35, 25.02]),    # 5 km from the track: in the gap
                              ("Elsewhere", 3, "other", 36, [67.35, 25.03]),  # another line: ignored
                              ("Unposted", 4, "main", None, [67.36, 25.03])]  # no km post: ignored
    ]}), encoding="utf-8")
    _write(geo / "ml1_stations.geojson", [{**_station(1, 67.1, 25.0005, "B"), "id": "st-b"}])
    _write(geo / "ml1_railway.geojson", [
        _line("west", ends_at="ml1_stations/st-b"), _line("east"), _line("chord"),
        _line("bridge", "railway_gap_bridge", approx_km_post=35.0),
        _line("drawn", precision="schematic"),  # not derived: no key in the table or its properties
    ])
    (tmp_path / "ml1.toml").write_text(ML1_TABLE, encoding="utf-8")
    rule = derive.NetworkRule("ml1_railway", ("ml1_track_osm.geojson", "railway_stations_osm.geojson"),
                              derive.ml1_railway(tmp_path / "ml1.toml"))
    return ref, geo, rule


def test_ml1_tracing_joins_bridges_takes_the_loop_and_cuts_sections(ml1) -> None:
    ref, geo, rule = ml1
    derived = derive.derive(geo, ref, (rule,))["ml1_railway"]
    assert sorted(derived) == [0, 1, 2, 3]
    west, east, chord, bridge = (derived[n] for n in range(4))
    # cut at the track point nearest station B (its OSM node); straight track simplified to its ends
    assert west["type"] == "LineString"
    assert west["coordinates"][0] == [67.0, 25.0]
    assert west["coordinates"][-1] == pytest.approx([67.1, 25.0], abs=2e-5)
    # pieces A and B (20 m apart) are one run; the 10 km gap ends it, and its bridge is a
    # feature of its own, drawn through the station inside the gap (by km post)
    assert east["type"] == "MultiLineString"
    joined, to_loop, loop, after_loop = east["coordinates"]
    assert joined == [west["coordinates"][-1], [67.3, 25.0]]
    assert bridge == {"type": "LineString", "coordinates": [[67.3, 25.0], [67.35, 25.02], [67.4, 25.0]]}
    # the section follows the loop (a run of its own between the junctions), not the main line
    # it bypasses; that is the chord, from where the loop leaves to the main-line point nearest
    # the loop's end (its last piece, heading back west through the yard, is dropped)
    assert to_loop == [[67.4, 25.0], [67.5, 25.0]]
    junction = chord["coordinates"][-1]
    assert chord["coordinates"][0] == [67.5, 25.0]
    assert junction == pytest.approx([67.58, 25.0], abs=2e-5)
    assert loop == [[67.5, 25.0], [67.52, 25.05], [67.57, 25.05], [67.575, 25.0004], [67.58, 25.0004], junction]
    assert after_loop == [junction, [67.6, 25.0]]


def test_ml1_rewrite_touches_only_derived_geometry(ml1) -> None:
    ref, geo, rule = ml1
    before = (geo / "ml1_railway.geojson").read_text(encoding="utf-8").split("\n")
    derived = derive.derive(geo, ref, (rule,))
    assert len(derive.differences(geo, derived)) == 4
    assert derive.write(geo, derived) == 4
    after = (geo / "ml1_railway.geojson").read_text(encoding="utf-8").split("\n")
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [1, 2, 3, 4]
    assert derive.differences(geo, derive.derive(geo, ref, (rule,))) == []


def test_an_ml1_bridge_without_its_gap_names_the_feature(ml1) -> None:
    ref, geo, rule = ml1
    _write(geo / "ml1_railway.geojson", [_line("west", ends_at="ml1_stations/st-b"), _line("east"),
                                         _line("chord"),
                                         _line("bridge", "railway_gap_bridge", approx_km_post=99.0)])
    with pytest.raises(derive.DeriveError, match=r"feature 3 \('bridge'\): 0 gaps in the track at approx_km_post 99.0"):
        derive.derive(geo, ref, (rule,))


@pytest.mark.parametrize(("ends_at", "reason"), [
    (None, r"feature 0 \('west'\): \"ends_at\" must name the station the section ends at, as \"layer/id\""),
    ("ml1_stations/st-x", r"feature 0 \('west'\): ends at 'ml1_stations/st-x', which is not in ml1_stations.geojson"),
])
def test_an_ml1_section_names_the_station_it_ends_at(ml1, ends_at, reason) -> None:
    """Where a section ends is a fact of the data (its ends_at), not of the tool's table."""
    ref, geo, rule = ml1
    west = _line("west") if ends_at is None else _line("west", ends_at=ends_at)
    _write(geo / "ml1_railway.geojson", [west, _line("east"), _line("chord")])
    with pytest.raises(derive.DeriveError, match=reason):
        derive.derive(geo, ref, (rule,))


@pytest.mark.skipif(not REFDATA.is_dir(), reason=f"the public reference data ({REFDATA}) is not beside this clone")
def test_rederiving_gives_the_committed_geometry() -> None:
    """In CI the reference data sits beside the clone: every derived geometry of the
    bundled data must be exactly what the reference data gives."""
    derived = derive.derive(GEODATA, REFDATA)
    assert sum(len(v) for v in derived.values()) >= 90
    railway = json.loads((GEODATA / "ml1_railway.geojson").read_text(encoding="utf-8"))["features"]
    assert len(derived["ml1_railway"]) == len(railway) >= 26  # every section, the chord, every bridge
    assert derive.differences(GEODATA, derived) == []
