"""Every shipped layer: loads clean under --strict, every feature cited, dated, honest
about its precision, and the corridor facts hold (ML-1 continuity, lengths, stations)."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pytest
import shapely
from conftest import GEODATA
from pyproj import Geod

from cpec_map import validate_dir
from cpec_map.load import load_dir
from cpec_map.model import Precision, Role, Status

DATA, LOAD_PROBLEMS = load_dir(GEODATA)
LAYERS = {layer.stem: layer for layer in DATA.layers}
CORRIDOR = [la for la in DATA.layers if la.spec.role is Role.CORRIDOR]
FEATURES = [(la, f) for la in DATA.layers for f in la.features]
GEOD = Geod(ellps="WGS84")

EXPECTED_LAYERS = {
    "gwadar", "ml1_railway", "ml1_stations", "sez", "mining_corridor", "border_markets",
    "pakistan_boundary", "provinces", "disputed_areas", "boundary_lines", "neighbours",
    "cities", "karakoram_highway",
}


def _ids(items):
    return [f"{la.stem}:{f.index}:{f.name}" for la, f in items]


def test_shipped_geodata_is_clean_even_under_strict() -> None:
    report = validate_dir(GEODATA, strict=True)
    assert report.problems == (), "\n".join(map(str, report.problems))


def test_every_layer_the_product_promises_is_there() -> None:
    assert set(LAYERS) >= EXPECTED_LAYERS
    for stem in EXPECTED_LAYERS:
        assert LAYERS[stem].features, stem
    assert not [la.stem for la in DATA.layers if la.spec.title == la.stem]  # all titled


@pytest.mark.parametrize(("layer", "feature"), FEATURES, ids=_ids(FEATURES))
def test_every_feature_is_cited_dated_and_valid(layer, feature) -> None:
    props = feature.properties
    assert isinstance(props.get("name"), str) and props["name"].strip()
    unplaced = feature.geometry is None
    if unplaced:  # listed under "Not on the map", with the reason it cannot be located
        assert props.get("unmapped_reason", "").strip()
    else:
        assert shapely.is_valid(feature.geometry)
    sources = props.get("sources")
    assert isinstance(sources, list) and sources, "no sources"
    for source in sources:
        assert source.get("title", "").strip()
        assert source.get("url") or source.get("publication")
        if source.get("url"):
            assert re.match(r"^https?://\S+$", source["url"]), source["url"]
        when = source.get("date") or source.get("accessed")
        assert when, f"source {source['title']!r} has no date"
        _parse_date(when)
    if layer.spec.role is Role.CORRIDOR:
        assert Status(props["status"])
    if layer.spec.role is Role.CORRIDOR and not unplaced:
        assert Precision(props["precision"])
        assert props.get("name_ur") and props.get("name_zh"), "corridor names in Urdu and Chinese"
        assert props.get("description")
    if props.get("precision") == Precision.APPROXIMATE and feature.geometry.geom_type == "Point":
        assert props.get("uncertainty_m", 0) > 0, "approximate points say how approximate"
    if "as_of" in props:
        _parse_date(props["as_of"])


def _parse_date(text: str) -> dt.date:
    parts = text.split("-")
    return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)


def test_disputed_areas_are_marked_disputed() -> None:
    names = {f.name: f.properties for f in LAYERS["disputed_areas"].features}
    for fragment in ("Gilgit", "Azad", "Jammu", "Aksai", "Shaksgam", "Siachen"):
        match = [p for n, p in names.items() if fragment.lower() in n.lower()]
        assert match, f"no disputed area named like {fragment}"
        assert all(p["disputed"] is True and p.get("note") for p in match)
    loc = [f for f in LAYERS["boundary_lines"].features if f.properties.get("boundary_type") == "line_of_control"]
    assert loc and all(f.properties["disputed"] is True for f in loc)
    assert DATA.settings.note, "the map carries a neutral note on disputed boundaries"


# --- ML-1 ---------------------------------------------------------------------------------


def _ml1(kind: str | None = None):
    return [f for f in LAYERS["ml1_railway"].features if kind is None or f.properties.get("kind") == kind]


def _km(geom) -> float:
    return GEOD.geometry_length(geom) / 1000


def _upgrade_route():
    """The five upgrade sections and their schematic gap links, merged."""
    parts = [f.geometry for f in LAYERS["ml1_railway"].features if "chord" not in (f.id or "")]
    return shapely.line_merge(shapely.union_all(parts))


def test_ml1_is_one_continuous_line_from_karachi_city_to_peshawar_cantonment() -> None:
    merged = _upgrade_route()
    assert merged.geom_type == "LineString", f"{len(merged.geoms)} pieces"
    stations = {f.name: f.geometry for f in LAYERS["ml1_stations"].features}
    ends = [shapely.Point(merged.coords[0]), shapely.Point(merged.coords[-1])]
    for name in ("Karachi City", "Peshawar Cantonment"):
        station = next(g for n, g in stations.items() if n.startswith(name))
        near = min(GEOD.inv(station.x, station.y, e.x, e.y)[2] for e in ends)
        assert near < 300, f"{name} is {near:.0f} m from the line's end"


def test_ml1_length_is_within_3_percent_of_the_official_figure() -> None:
    length = _km(_upgrade_route())
    assert abs(length - 1726) / 1726 < 0.03, length  # May 2026 plan: 1,726 km via Multan


def test_ml1_sections_state_lengths_that_match_their_geometry() -> None:
    sections = [f for f in LAYERS["ml1_railway"].features if f.properties.get("length_km") and "gap" not in (f.id or "")]
    assert len(sections) >= 6  # five upgrade sections and the chord
    links = [f for f in LAYERS["ml1_railway"].features if f.properties.get("precision") == "schematic"]
    for section in sections:
        own = _km(section.geometry) + sum(
            _km(g.geometry) for g in links if g.properties.get("part_of") == section.id
        )
        assert abs(own - section.properties["length_km"]) < 0.5, section.name


def test_every_station_lies_within_300_m_of_the_line() -> None:
    line = shapely.union_all([f.geometry for f in LAYERS["ml1_railway"].features])
    for station in LAYERS["ml1_stations"].features:
        p = station.geometry
        nearest = shapely.shortest_line(line, p).coords[0]
        dist = GEOD.inv(p.x, p.y, nearest[0], nearest[1])[2]
        assert dist < 300, f"{station.name}: {dist:.0f} m"


def test_bridged_gaps_are_marked_schematic_and_the_rest_exact() -> None:
    for f in LAYERS["ml1_railway"].features:
        expected = "schematic" if "gap" in (f.id or "") else "exact"
        assert f.properties["precision"] == expected, f.name


# --- places -------------------------------------------------------------------------------


def test_corridor_features_lie_in_pakistan_except_at_its_borders() -> None:
    pakistan = LAYERS["pakistan_boundary"].features[0].geometry.buffer(0.05)  # ~5 km: NE 1:10m
    for layer in CORRIDOR:
        for f in layer.features:
            if f.geometry is None:
                continue
            outside = f.geometry.difference(pakistan)
            if outside.is_empty:
                continue
            # only border crossings and lines ending at them may reach beyond
            assert re.search(r"Khunjerab|Taftan|Torkham|Gwadar", f.name), f"{layer.stem}: {f.name}"
            assert _km(outside) < 10 if outside.length else True, f.name


def test_no_link_crosses_into_a_neighbouring_country() -> None:
    pakistan = LAYERS["pakistan_boundary"].features[0].geometry
    neighbours = shapely.union_all([f.geometry for f in LAYERS["neighbours"].features]).difference(
        pakistan.buffer(0.03)
    )
    for layer in CORRIDOR:
        for f in layer.features:
            if f.geometry is not None and f.geometry.geom_type.endswith("LineString") and f.properties.get("kind") != "border_crossing":
                inside = f.geometry.intersection(neighbours)
                assert inside.is_empty or _km(inside) < 4, f"{f.name} runs {_km(inside):.1f} km abroad"


REFDATA = GEODATA.parent.parent / "shared" / "refdata"


def _utm(geom, lon: float):
    from pyproj import Transformer

    epsg = 32642 if lon < 72 else 32643
    to = Transformer.from_crs(4326, epsg, always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(to.transform(xy[:, 0], xy[:, 1])))


@pytest.mark.skipif(
    not (REFDATA / "ml1_track_osm.geojson").is_file(),
    reason=f"the OSM ML-1 track reference ({REFDATA}) is not on this machine",
)
def test_ml1_sits_within_50_m_of_the_osm_track_wherever_the_track_exists() -> None:
    track = shapely.union_all([
        shapely.geometry.shape(f["geometry"])
        for f in json.loads((REFDATA / "ml1_track_osm.geojson").read_text(encoding="utf-8"))["features"]
    ])
    drawn = shapely.union_all([f.geometry for f in LAYERS["ml1_railway"].features if f.properties["precision"] == "exact"])
    for west, east in ((60, 72), (72, 80)):  # each UTM zone on its own
        box = shapely.box(west, 20, east, 40)
        d_local, t_local = _utm(drawn.intersection(box), west + 1), _utm(track.intersection(box), west + 1)
        vertices = shapely.points(shapely.get_coordinates(d_local))
        worst = shapely.distance(vertices, t_local).max()
        assert worst <= 50, f"a drawn vertex lies {worst:.0f} m from the OSM track"
        # and the other way round: every OSM vertex is near the drawn line
        osm = shapely.points(shapely.get_coordinates(t_local))
        assert shapely.distance(osm, d_local).max() <= 50
