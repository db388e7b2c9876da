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


@pytest.mark.skipif(not REFDATA.is_dir(), reason=f"the public reference data ({REFDATA}) is not beside this clone")
def test_rederiving_gives_the_committed_geometry() -> None:
    """In CI the reference data sits beside the clone: every derived geometry of the
    bundled data must be exactly what the reference data gives."""
    derived = derive.derive(GEODATA, REFDATA)
    assert sum(len(v) for v in derived.values()) >= 60
    assert derive.differences(GEODATA, derived) == []
