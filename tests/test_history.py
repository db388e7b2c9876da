"""Sources defined once, status histories, the data date, and the corridor as of a date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import GEODATA, GeodataFolder, collection, feature

from cpec_map import build_map, validate_dir
from cpec_map.cli import main
from cpec_map.document import build_document
from cpec_map.history import as_of, state_on
from cpec_map.load import load_dir
from cpec_map.model import MapOptions

SOURCES = (
    '[dawn-1]\ntitle = "Approved"\nurl = "https://example.org/a"\ndate = "2021-06-04"\n\n'
    '[dawn-2]\ntitle = "Works begin"\nurl = "https://example.org/b"\ndate = "2024-03-01"\n'
)


def _history(*entries: tuple[str, str]) -> list[dict]:
    return [{"date": d, "status": s, "sources": ["dawn-1"]} for d, s in entries]


def _folder(geodata: GeodataFolder, *features: dict, sources: str = SOURCES) -> GeodataFolder:
    geodata.layer("zones", collection(*features))
    (geodata.path / "sources.toml").write_text(sources, encoding="utf-8")
    return geodata


def _reasons(geodata: GeodataFolder) -> list[str]:
    return [p.reason for p in validate_dir(geodata.path).problems]


def test_sources_are_defined_once_and_referenced_by_id(geodata: GeodataFolder) -> None:
    _folder(geodata, feature("Zone", sources=["dawn-1", {"title": "Inline", "url": "https://x.org"}]))
    data, problems = load_dir(geodata.path)
    assert not problems
    listed = data.layers[0].features[0].properties["sources"]
    assert listed[0] == {"title": "Approved", "url": "https://example.org/a", "date": "2021-06-04",
                         "id": "dawn-1"}
    assert listed[1]["title"] == "Inline"  # inline sources from other tools still work
    assert validate_dir(geodata.path).ok
    # the popup gets the resolved source, with its link
    doc_sources = build_map(geodata.path).html
    assert "https://example.org/a" in doc_sources


def test_an_unknown_source_id_names_the_feature_and_the_file(geodata: GeodataFolder) -> None:
    _folder(geodata, feature("Zone", sources=["dawn-9"]))
    problems = validate_dir(geodata.path).errors
    assert [(Path(p.file).name, p.feature, p.reason) for p in problems] == [
        ("zones.geojson", 0, "source 1 'dawn-9' is not defined in sources.toml")
    ]


def test_bad_entries_of_the_source_list_are_reported(geodata: GeodataFolder) -> None:
    _folder(geodata, feature("Zone", sources=["dawn-1"]),
            sources=SOURCES + '\n[no-title]\nurl = "https://x.org"\n\n[loose]\ntitle = "x"\n')
    reasons = _reasons(geodata)
    assert any(r.startswith("[no-title]:") and "title" in r for r in reasons)
    assert any(r.startswith("[loose]:") and "url" in r for r in reasons)
    assert any("[dawn-2] is not referenced" in r for r in reasons)  # a warning


def test_status_follows_from_the_history(geodata: GeodataFolder) -> None:
    _folder(geodata, feature("Zone", status=..., history=_history(("2021-06-04", "planned"),
                                                                  ("2024-03-01", "under_construction"))))
    data, _ = load_dir(geodata.path)
    props = data.layers[0].features[0].properties
    assert (props["status"], props["as_of"]) == ("under_construction", "2024-03-01")
    assert validate_dir(geodata.path).ok


@pytest.mark.parametrize(
    ("props", "reason"),
    [
        ({"status": "planned", "history": _history(("2024-03-01", "under_construction"))},
         "status 'planned' disagrees with its history (last entry 2024-03-01: under_construction)"),
        ({"history": _history(("2024-03-01", "planned"), ("2021-06-04", "under_construction"))},
         "history entry 2 (2021-06-04) is dated before entry 1 (2024-03-01)"),
        ({"history": _history(("2024-13-01", "planned"))}, "history entry 1: date '2024-13-01' is not a date like YYYY-MM-DD"),
        ({"history": _history(("2024", "done"))}, "history entry 1: unknown status 'done'"),
        ({"history": []}, '"history" must be a non-empty list'),
        ({"as_of": "2020", "history": _history(("2024-03-01", "planned"))},
         '"as_of" 2020 is older than the last history entry (2024-03-01)'),
    ],
    ids=["disagrees", "out-of-order", "bad-date", "bad-status", "empty", "as-of-too-old"],
)
def test_check_catches_histories_that_do_not_add_up(geodata: GeodataFolder, props: dict, reason: str) -> None:
    _folder(geodata, feature("Zone", status=props.pop("status", ...), **props))
    assert any(r.startswith(reason) for r in _reasons(geodata)), _reasons(geodata)


def test_a_pinned_data_date_older_than_the_newest_fact_is_an_error(geodata: GeodataFolder) -> None:
    _folder(geodata, feature("Zone", status=..., history=_history(("2026-11-30", "planned"))))
    geodata.manifest('[map]\ndata_date = "2026-05-13"\n')
    assert any("data_date 2026-05-13 is older than the newest fact in the data (2026-11-30)" in r
               for r in _reasons(geodata))
    geodata.manifest('[map]\ntitle = "T"\n')  # drop the pin: the date follows the data
    data, _ = load_dir(geodata.path)
    assert data.data_date() == "2026-11-30"


def test_the_corridor_as_of_a_date(geodata: GeodataFolder) -> None:
    _folder(
        geodata,
        feature("Zone", status=..., history=_history(("2021-06-04", "planned"), ("2024-03-01", "under_construction"))),
        feature("Later", status=..., history=_history(("2025-01-01", "proposed"))),
        feature("Timeless", status="operational"),
    )
    data, _ = load_dir(geodata.path)
    then = as_of(data, "2022-01-01")
    shown = {f.properties["name"]: f.properties["status"] for f in then.layers[0].features}
    assert shown == {"Zone": "planned", "Timeless": "operational"}  # Later not announced yet
    assert state_on(data.layers[0].features[0].properties, "2024")["status"] == "planned"
    assert state_on(data.layers[0].features[0].properties, "2024-03-01")["status"] == "under_construction"


def test_as_of_builds_the_page_and_the_figure_of_that_date(geodata: GeodataFolder, tmp_path: Path) -> None:
    _folder(geodata, feature("Zone", status=..., history=_history(("2021-06-04", "planned"),
                                                                  ("2024-03-01", "under_construction"))),
            feature("Later", {"type": "Point", "coordinates": [68.0, 25.0]}, status=...,
                    history=_history(("2025-01-01", "proposed"))))
    out = tmp_path / "then.html"
    assert main(["--geodata", str(geodata.path), "--out", str(out), "--out", str(tmp_path / "then.svg"),
                 "--as-of", "2022-01-01", "--quiet"]) == 0
    block = out.read_text(encoding="utf-8").split('type="application/json"', 1)[1]
    doc = json.loads(block.split(">", 1)[1].split("</script>", 1)[0])
    features = doc["layers"][0]["features"]
    assert [f["name"]["en"] for f in features] == ["Zone"] and features[0]["status"] == "planned"
    assert doc["dataDate"] == "2022-01-01" and doc["timeline"]["asOf"] == "2022-01-01"
    assert "Later" not in (tmp_path / "then.svg.txt").read_text(encoding="utf-8")
    assert main(["--geodata", str(geodata.path), "--as-of", "last year", "--check"]) == 2


def test_bundled_corrections_hold() -> None:
    """The fact-check's corrections stay corrected (issue 8)."""
    data, _ = load_dir(GEODATA)
    by_id = {f.id: f for la in data.layers for f in la.features}
    reko = by_id["reko-diq-mine"]
    assert reko.properties["status"] == "under_construction"
    assert reko.geometry.distance(by_id["nok-kundi"].geometry) > 0.6  # ~69 km, not ~35 km
    assert by_id["torkham-border-crossing"].properties["status"] == "suspended"
    assert by_id["nok-kundi-mashkhel-panjgur-road"].properties["status"] == "under_construction"
    assert by_id["sez-bin-qasim-industrial-park"].properties["name"].startswith("Karachi Industrial Park")
    assert by_id["sez-dhabeji"].properties["as_of"] == "2023-07-15"
    assert by_id["ml1-st-samasata-junction"].properties["name_ur"] == "سمہ سٹہ جنکشن"
    mirrors = ("qaz.wiki", "wikiclassic", "kiwix", "wikimili", "rightwiki", "clateway", "friendlywiki")
    assert not [k for k, s in data.sources.items() if any(m in s.get("url", "") for m in mirrors)]
    assert data.settings.data_date is None  # derived from the data, never stale


def test_features_without_a_place_are_listed_not_drawn(geodata: GeodataFolder) -> None:
    unplaced = feature("Data centres", status="proposed", unmapped_reason="No site announced.")
    unplaced["geometry"] = None
    silent = feature("Somewhere", status="planned")
    silent["geometry"] = None
    _folder(geodata, feature("Zone", sources=["dawn-1"]), sources=SOURCES)
    geodata.layer("not_on_map", collection(unplaced, silent))
    warnings = [p.reason for p in validate_dir(geodata.path).warnings if "not_on_map" in p.file]
    assert len(warnings) == 1 and 'add "unmapped_reason"' in warnings[0]  # only the silent one
    html = build_map(geodata.path).html
    doc = json.loads(html.split('type="application/json"', 1)[1].split(">", 1)[1].split("</script>", 1)[0])
    assert [la["id"] for la in doc["layers"]] == ["zones"]  # nothing to draw: no panel entry
    assert [(u["name"]["en"], u.get("reason")) for u in doc["unmapped"]] == [
        ("Data centres", "No site announced."), ("Somewhere", None)]


def test_bundled_not_on_the_map_list_and_energy_facet() -> None:
    data, _ = load_dir(GEODATA)
    layers = {la.stem: la for la in data.layers}
    unmapped = [f for f in layers["not_on_map"].features if f.geometry is None]
    assert len(unmapped) >= 10 and all(f.properties.get("unmapped_reason") for f in unmapped)
    types = {f.properties["type"] for f in layers["energy"].features}
    assert {"coal", "hydro", "solar", "wind"} <= types
    assert all(f.properties.get("location_check") for f in layers["energy"].features)


def test_claims_cite_single_figures(geodata: GeodataFolder) -> None:
    _folder(geodata, feature("Zone", sources=["dawn-1"], cost_usd=2_000_000_000,
                             claims={"cost_usd": ["dawn-2"], "length_km": ["dawn-1"], "area": ["nope"]}))
    data, _ = load_dir(geodata.path)
    claims = data.layers[0].features[0].properties["claims"]
    assert claims["cost_usd"][0]["title"] == "Works begin"  # resolved like any source
    reasons = _reasons(geodata)
    assert 'claim "area": source 1 \'nope\' is not defined in sources.toml' in reasons
    assert 'claim for "length_km", a property the feature does not have' in reasons
    assert not any("[dawn-2] is not referenced" in r for r in reasons)  # a claim cites it


def test_every_corridor_site_says_how_its_location_was_checked() -> None:
    data, _ = load_dir(GEODATA)
    unchecked = [
        f"{la.stem}/{f.id}" for la in data.layers if la.spec.role.value == "corridor"
        for f in la.features if f.geometry is not None and f.geometry.geom_type == "Point"
        and not str(f.properties.get("location_check", "")).strip()
    ]
    assert unchecked == []


def test_every_bundled_corridor_feature_has_a_status_history_and_a_status_check() -> None:
    """The timeline shows each corridor feature from its first record, and each says how
    its current status was checked (a part takes both from its whole)."""
    data, _ = load_dir(GEODATA)
    corridor = [(la, f) for la in data.layers if la.spec.role.value == "corridor" for f in la.features]
    assert len(corridor) > 100
    assert [f"{la.stem}/{f.id}" for la, f in corridor if not f.properties.get("history")] == []
    unchecked = [
        f"{la.stem}/{f.id}" for la, f in corridor
        if f.geometry is not None and "part_of" not in f.properties
        and not str(f.properties.get("status_check", "")).strip()
    ]
    assert unchecked == []


def test_a_maintainer_changes_a_status_with_one_feature_and_one_source(shipped_copy: Path, tmp_path: Path) -> None:
    """The README's recipe: add a source, append a history entry; --check passes and
    the page, its timeline and the figures show the change."""
    with (shipped_copy / "sources.toml").open("a", encoding="utf-8") as out:
        out.write('\n[dawn-2026-12-01-torkham-reopens]\ntitle = "Torkham reopens for trade"\n'
                  'url = "https://www.dawn.com/news/0"\ndate = "2026-12-01"\n')
    path = shipped_copy / "border_markets.geojson"
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if '"id": "torkham-border-crossing"' in line:
            f = json.loads(line.rstrip(","))
            f["properties"]["status"], f["properties"]["as_of"] = "operational", "2026-12-01"
            f["properties"]["history"].append({"date": "2026-12-01", "status": "operational",
                                               "sources": ["dawn-2026-12-01-torkham-reopens"]})
            lines[i] = json.dumps(f, ensure_ascii=False) + ("," if line.endswith(",") else "")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert main(["--geodata", str(shipped_copy), "--check", "--strict", "--quiet"]) == 0
    out = tmp_path / "map.html"
    assert main(["--geodata", str(shipped_copy), "--out", str(out), "--out", str(tmp_path / "map.png"),
                 "--quiet"]) == 0
    block = out.read_text(encoding="utf-8").split('type="application/json"', 1)[1]
    doc = json.loads(block.split(">", 1)[1].split("</script>", 1)[0])
    torkham = next(f for la in doc["layers"] for f in la["features"]
                   if f["id"] == "border_markets/torkham-border-crossing")
    assert torkham["status"] == "operational" and "2026-12-01" in doc["timeline"]["dates"]
    assert doc["dataDate"] == "2026-12-01"
    assert "2026-12-01" in (tmp_path / "map.png.txt").read_text(encoding="utf-8")


def test_as_of_keeps_no_later_history_and_its_date(geodata: GeodataFolder) -> None:
    _folder(geodata, feature("Zone", status=..., history=_history(("2015", "proposed"), ("2021-06-04", "planned"),
                                                                  ("2024-03-01", "under_construction"))))
    data, _ = load_dir(geodata.path)
    then = as_of(data, "2019")
    props = then.layers[0].features[0].properties
    assert [e["date"] for e in props["history"]] == ["2015"] and props["status"] == "proposed"
    from cpec_map.model import MapOptions
    from cpec_map.pipeline import build
    html = build(geodata.path, options=MapOptions(as_of="2019")).html
    doc = json.loads(html.split('type="application/json"', 1)[1].split(">", 1)[1].split("</script>", 1)[0])
    assert doc["dataDate"] == "2019"  # through the API as on the command line


def test_history_dates_are_days_at_most_and_past_statuses_can_be_filtered(geodata: GeodataFolder) -> None:
    _folder(geodata, feature("Zone", status=..., history=_history(("2020-04-08T10:00", "planned"))))
    assert any(r.startswith("history entry 1: date '2020-04-08T10:00' is not a date like YYYY-MM-DD")
               for r in _reasons(geodata))
    _folder(geodata, feature("Zone", status=..., history=_history(("2015", "proposed"), ("2024", "operational"))))
    from cpec_map.document import build_document
    from cpec_map.model import MapOptions
    data, _ = load_dir(geodata.path)
    facets = {f["id"]: f["values"] for f in build_document(data, MapOptions())["facets"]}
    assert facets["status"] == ["operational", "proposed"]  # proposed only in the past


def test_a_part_shares_the_history_of_its_whole(geodata: GeodataFolder) -> None:
    """A schematic link of a section takes the section's history: one entry changes both."""
    whole = feature("Section", status=..., history=_history(("2021-06-04", "planned"),
                                                           ("2024-03-01", "under_construction")))
    whole["id"] = "sec-1"
    part = feature("Link", status=..., part_of="sec-1")
    _folder(geodata, whole, part)
    data, _ = load_dir(geodata.path)
    props = data.layers[0].features[1].properties
    assert (props["status"], props["as_of"]) == ("under_construction", "2024-03-01")
    assert [e["date"] for e in props["history"]] == ["2021-06-04", "2024-03-01"]
    assert validate_dir(geodata.path).ok
    assert as_of(data, "2022-01-01").layers[0].features[1].properties["status"] == "planned"
    doc = build_document(data, MapOptions())
    link = doc["layers"][0]["features"][1]
    assert link["partOf"] == "zones/sec-1" and "part_of" not in link.get("props", {})
    # a part that states a status of its own must agree with the whole's history
    part["properties"]["status"] = "operational"
    _folder(geodata, whole, part)
    assert "status 'operational' disagrees with the history of its whole zones/sec-1 (last entry " \
        "2024-03-01: under_construction); remove it to follow the whole" in _reasons(geodata)
    # a bad entry in the whole is reported once, on the whole, not again on each part
    whole["properties"]["history"][0]["date"] = "2021-13-01"
    part["properties"].pop("status")
    _folder(geodata, whole, part, feature("Link 2", status=..., part_of="sec-1"))
    dated = [p for p in validate_dir(geodata.path).errors if "2021-13-01" in p.reason]
    assert [p.feature for p in dated] == [0]


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("sec-9", "part_of 'sec-9' names no feature (looked for zones/sec-9)"),
        ("other/sec-1", "part_of 'other/sec-1' names no feature (looked for other/sec-1)"),
        ("link-1", "part_of names the feature itself"),
        ("link-0", "part_of 'link-0' names a part of another feature; name the whole"),
        (7, "part_of 7 must be the id of another feature (\"id\" or \"layer/id\")"),
    ],
    ids=["unknown", "other-layer", "itself", "chain", "not-text"],
)
def test_broken_part_of_references_are_errors(geodata: GeodataFolder, ref: object, reason: str) -> None:
    whole = feature("Section")
    whole["id"] = "sec-1"
    first = feature("First link", part_of="sec-1")
    first["id"] = "link-0"
    part = feature("Link", part_of=ref)
    part["id"] = "link-1"
    _folder(geodata, whole, first, part)
    problems = [p for p in validate_dir(geodata.path).errors if p.feature == 2]
    assert [p.reason for p in problems if p.reason.startswith("part_of")] == [reason], problems
