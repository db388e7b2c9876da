"""The map document: one resolved, versioned description that the page and the figures read."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from conftest import GEODATA, GeodataFolder, collection, feature

from cpec_map import validate_dir
from cpec_map.document import build_document, ui_strings
from cpec_map.load import load_dir
from cpec_map.model import LayerStyle, MapOptions, Precision, Status
from cpec_map.style import CORRIDOR_PALETTE, STYLE_KEYS, feature_style, legend_key

GOLDEN = Path(__file__).parent / "golden" / "style_table.json"
LINE = {"type": "LineString", "coordinates": [[67.0, 24.8], [68.3, 25.4]]}
SQUARE = {"type": "Polygon", "coordinates": [[[67, 24], [68, 24], [68, 25], [67, 25], [67, 24]]]}


def _document(path, **options) -> dict:
    data, problems = load_dir(path)
    assert not [p for p in problems if p.is_error], problems
    return build_document(data, MapOptions(**options))


def _style_table() -> dict[str, dict]:
    """feature_style over every status, precision, kind and boundary case."""
    base = LayerStyle(color="#0072b2", fill_color="#56b4e9", fill_opacity=0.25, weight=3.0,
                      radius=6.0)
    table = {}
    for kind in ("point", "line", "polygon", "uncertainty"):
        for status in [None, *(s.value for s in Status)]:
            for precision in [None, *(p.value for p in Precision)]:
                props = {k: v for k, v in (("status", status), ("precision", precision)) if v}
                table[f"{kind}|{status}|{precision}"] = feature_style(base, props, kind)
        for extra in ({"disputed": True}, {"boundary_type": "line_of_control"},
                      {"boundary_type": "claim"}, {"disputed": True, "status": "planned"}):
            key = ",".join(f"{k}={v}" for k, v in sorted(extra.items()))
            table[f"{kind}|{key}"] = feature_style(base, extra, kind)
    return table


def test_style_rules_match_the_golden_table() -> None:
    """Every style rule, pinned. A changed rule fails here; if the change is meant,
    regenerate with CPEC_UPDATE_GOLDEN=1 and review the diff of the golden file."""
    table = _style_table()
    if os.environ.get("CPEC_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert table == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_feature_style_reads_only_the_style_keys() -> None:
    """The build resolves one style per combination of STYLE_KEYS: a rule that reads
    another property would be silently shared between features that differ in it."""
    read: set[str] = set()

    class Props(dict):
        def get(self, key, default=None):
            read.add(key)
            return super().get(key, default)

        def __getitem__(self, key):
            read.add(key)
            return super().__getitem__(key)

    base = LayerStyle(color="#000000", fill_color="#000000", fill_opacity=0.2, weight=2.0,
                      radius=5.0)
    for kind in ("point", "line", "polygon", "uncertainty"):
        feature_style(base, Props(status="planned", precision="schematic", disputed=True,
                                  boundary_type="claim", kind="x", name="y"), kind)
    assert read <= set(STYLE_KEYS)


def test_style_rules_say_what_the_data_says() -> None:
    """The meaning behind the golden numbers, in words."""
    t = _style_table()
    assert t["line|operational|exact"]["dash"] is None
    dashes = [t[f"line|{s.value}|exact"]["dash"] for s in Status]
    assert len({json.dumps(d) for d in dashes}) == len(Status)  # each status its own dash
    assert t["point|planned|None"]["fillColor"] == "#ffffff"  # planned sites are hollow
    assert t["point|operational|None"]["fillColor"] != "#ffffff"
    assert t["line|None|schematic"]["opacity"] < t["line|None|exact"]["opacity"]
    assert t["polygon|disputed=True"]["hatch"] is True and t["polygon|disputed=True"]["dash"]
    assert t["line|boundary_type=line_of_control"]["dash"] != t["line|boundary_type=claim"]["dash"]


def test_bundled_document_matches_its_schema() -> None:
    schema = json.loads(
        resources.files("cpec_map").joinpath("resources", "map_document.schema.json").read_text()
    )
    doc = _document(GEODATA)
    jsonschema.validate(doc, schema)
    assert doc["version"] == 1 and doc["$schema"] == schema["$id"]
    # every style reference points into the table
    refs = [i for la in doc["layers"] for f in la["features"] for i in f["style"].values()]
    refs += [i for e in doc["legend"] for i in e["samples"].values()]
    assert refs and max(refs) < len(doc["styles"])


def test_interface_strings_cover_every_language() -> None:
    strings = ui_strings()
    english = set(strings["en"])
    for lang in ("ur", "zh"):
        assert set(strings[lang]) == english, lang
        assert all(v.strip() for v in strings[lang].values())
    # the legend's, statuses' and facets' labels are all strings the page knows
    doc = _document(GEODATA)
    keys = {e["label"] for e in doc["legend"]} | {f["label"] for f in doc["facets"]}
    keys |= {b["name"] for b in doc["basemaps"]}
    assert keys <= english


def test_feature_ids_are_unique_across_the_map(geodata: GeodataFolder) -> None:
    with_ids = collection(feature("A"), feature("B"), feature("C"))
    with_ids["features"][0]["id"] = 1
    with_ids["features"][1]["id"] = "#2"  # looks like the index form of feature 2
    geodata.layer("sites", with_ids)
    geodata.layer("more", collection(feature("D")))
    ids = [f["id"] for la in _document(geodata.path)["layers"] for f in la["features"]]
    assert len(ids) == len(set(ids)) == 4
    assert "sites/1" in ids and "more/#0" in ids


def test_names_per_language_and_manifest_translations(geodata: GeodataFolder) -> None:
    geodata.layer("sites", collection(feature("Gwadar", name_ur="گوادر", name_zh="瓜达尔")))
    geodata.manifest(
        '[map]\ntitle = "T"\ntitle_zh = "标题"\n[layers.sites]\ntitle = "Sites"\n'
        'title_ur = "مقامات"\ngroup = "Ports"\ngroup_zh = "港口"\n'
    )
    doc = _document(geodata.path)
    layer = doc["layers"][0]
    assert layer["features"][0]["name"] == {"en": "Gwadar", "ur": "گوادر", "zh": "瓜达尔"}
    assert layer["title"] == {"en": "Sites", "ur": "مقامات"}
    assert layer["group"] == {"en": "Ports", "zh": "港口"}
    assert doc["title"] == {"en": "T", "zh": "标题"}


def test_bad_translations_in_the_manifest_are_problems(geodata: GeodataFolder) -> None:
    geodata.layer("sites", collection(feature("A")))
    geodata.manifest('[map]\ntitle_ur = 5\n[layers.sites]\ntitle_zh = ""\nfacets = [1]\n')
    reasons = [p.reason for p in validate_dir(geodata.path).errors]
    assert any("title_ur must be a non-empty string" in r for r in reasons)
    assert any("title_zh is empty" in r for r in reasons)
    assert any("facets must be a list of property names" in r for r in reasons)


def test_new_layers_get_colours_no_other_layer_has(geodata: GeodataFolder) -> None:
    # the manifest takes the first palette colour; nine more layers without colours
    geodata.layer("a_taken", collection(feature("A")))
    geodata.manifest(f'[layers.a_taken]\ncolor = "{CORRIDOR_PALETTE[0]}"\n')
    for i in range(len(CORRIDOR_PALETTE) + 2):
        geodata.layer(f"layer_{i:02d}", collection(feature(f"S{i}")))
    doc = _document(geodata.path)
    colours = [doc["styles"][la["swatch"]["point"]]["color"] for la in doc["layers"]]
    assert len(colours) == len(set(colours))


def test_facets_offer_status_precision_and_declared_properties(geodata: GeodataFolder) -> None:
    geodata.layer("plants", collection(
        feature("Coal", status="operational", precision="exact", type="coal"),
        feature("Hydro", status="planned", precision="approximate", type="hydro"),
    ))
    geodata.manifest('[layers.plants]\nfacets = ["type"]\n')
    facets = {f["id"]: f["values"] for f in _document(geodata.path)["facets"]}
    assert facets == {
        "status": ["operational", "planned"],  # lifecycle order, only what occurs
        "precision": ["exact", "approximate"],
        "type": ["coal", "hydro"],
    }


def test_context_layers_take_no_clicks_unless_the_manifest_asks(geodata: GeodataFolder) -> None:
    geodata.layer("provinces", collection(feature("Sindh", SQUARE, status=...)))
    geodata.layer("cities", collection(feature("Karachi", status=...)))
    geodata.layer("route", collection(feature("Route", LINE)))
    geodata.manifest(
        '[layers.provinces]\nrole = "context"\n'
        '[layers.cities]\nrole = "context"\ninteractive = true\n'
    )
    layers = {la["id"]: la["interactive"] for la in _document(geodata.path)["layers"]}
    assert layers == {"provinces": False, "cities": True, "route": True}


def test_label_priority_ranks_larger_values_first(geodata: GeodataFolder) -> None:
    geodata.layer("cities", collection(
        feature("Small", population=1_000), feature("Big", population=9_000_000),
        feature("Unknown"),
    ))
    geodata.manifest('[layers.cities]\nlabels = true\nlabel_priority = "population"\n')
    ranks = {f["name"]["en"]: f["rank"] for f in _document(geodata.path)["layers"][0]["features"]}
    assert ranks == {"Big": 0, "Small": 1, "Unknown": 2}


def test_legend_key_lists_every_status_and_boundary_kind() -> None:
    labels = [e["label"] for e in legend_key()]
    assert [f"status.{s.value}" for s in Status] == labels[: len(Status)]
    assert "boundary.line_of_control" in labels and "legend.disputed_area" in labels


# --- chainage -----------------------------------------------------------------------------


def test_chainage_is_geodesic_distance_from_the_origin(geodata: GeodataFolder) -> None:
    # two sections, drawn in opposite directions; the origin is at the far end of the
    # second one. One degree of longitude at the equator is 111.32 km on WGS84.
    a = {"type": "LineString", "coordinates": [[1, 0], [2, 0]]}
    b = {"type": "LineString", "coordinates": [[0, 0], [1, 0]]}
    geodata.layer("line", collection(feature("A", a), feature("B", b)))
    station = collection(feature("Origin", {"type": "Point", "coordinates": [0.001, 0.0]}))
    station["features"][0]["id"] = "o"
    station["features"][0]["properties"]["km_post"] = 10
    geodata.layer("stations", station)
    geodata.manifest('[layers.line]\nchainage_from = "stations/o"\n')
    doc = _document(geodata.path)
    line = next(la for la in doc["layers"] if la["id"] == "line")
    assert line["chainageFrom"]["kmPost"] == 10 and line["chainageFrom"]["name"]["en"] == "Origin"
    assert line["features"][1]["chainage"] == [0.0, 111.32]
    assert line["features"][0]["chainage"] == [111.32, 222.64]


def test_a_chainage_origin_that_does_not_exist_is_an_error(geodata: GeodataFolder) -> None:
    geodata.layer("line", collection(feature("A", LINE)))
    geodata.manifest('[layers.line]\nchainage_from = "stations/nowhere"\n')
    errors = validate_dir(geodata.path).errors
    assert any("chainage_from 'stations/nowhere'" in p.reason and "line.geojson" in p.file
               for p in errors)


def test_ml1_chainage_agrees_with_the_km_posts_of_its_stations() -> None:
    """The build's distance along ML-1 from Karachi City, plus that station's km post,
    lands within a few km of every main-line station's published km post: the track
    and the measure are right together."""
    doc = _document(GEODATA)
    layers = {la["id"]: la for la in doc["layers"]}
    line = layers["ml1_railway"]
    origin_post = line["chainageFrom"]["kmPost"]
    vertices = [
        (x, y, c)
        for f in line["features"]
        for (x, y), c in zip(_positions(f["geometry"]), f["chainage"], strict=True)
        if c is not None
    ]
    checked = 0
    for station in layers["ml1_stations"]["features"]:
        props = station["props"]
        if not str(props.get("km_post_origin", "")).startswith("Kiamari"):
            continue  # loop lines count from their own junction
        sx, sy = station["geometry"]["coordinates"]
        x, y, c = min(vertices, key=lambda v: (v[0] - sx) ** 2 + (v[1] - sy) ** 2)
        assert abs(c + origin_post - props["km_post"]) < 12, (station["name"]["en"], c)
        checked += 1
    assert checked >= 25


def _positions(geom: dict) -> list[list[float]]:
    if geom["type"] == "LineString":
        return geom["coordinates"]
    if geom["type"] == "MultiLineString":
        return [p for part in geom["coordinates"] for p in part]
    pytest.fail(f"unexpected geometry {geom['type']}")


def test_sources_are_stored_once_and_cited_by_id(geodata: GeodataFolder) -> None:
    """A source of sources.toml is written once in the document, however many features,
    history entries and claims cite it; inline sources stay where they are."""
    inline = {"title": "Inline", "url": "https://example.org/i", "date": "2024"}
    geodata.layer("zones", collection(
        feature("A", sources=["dawn-1"], history=[
            {"date": "2021-06-04", "status": "planned", "sources": ["dawn-1"]}], status=...),
        feature("B", sources=["dawn-1", inline], area=5, claims={"area": ["dawn-1"]}),
    ))
    (geodata.path / "sources.toml").write_text(
        '[dawn-1]\ntitle = "Approved"\nurl = "https://example.org/a"\ndate = "2021-06-04"\n',
        encoding="utf-8")
    data, problems = load_dir(geodata.path)
    doc = build_document(data, MapOptions())
    assert doc["sources"] == {"dawn-1": {"title": "Approved", "url": "https://example.org/a",
                                         "date": "2021-06-04", "id": "dawn-1"}}
    a, b = doc["layers"][0]["features"]
    assert a["sources"] == ["dawn-1"] and a["history"][0]["sources"] == ["dawn-1"]
    assert b["sources"] == ["dawn-1", inline] and b["claims"] == {"area": ["dawn-1"]}
    assert json.dumps(doc).count("https://example.org/a") == 1
