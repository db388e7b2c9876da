#!/usr/bin/env python3
"""Re-derive the geometry of bundled features from public reference data, by id.

    python tools/derive.py --refdata ../shared/refdata           # rewrite derived geometry
    python tools/derive.py --refdata ../shared/refdata --check   # exit 1 if any differs

geodata/ is written by people; this tool only computes what is genuinely computed from
reference data (OpenStreetMap station nodes, Natural Earth outlines), and writes only
the "geometry" of the features it derives, found by the key each feature already
carries (its OSM node id, its ISO 3166-2 code...). Names, statuses, dates and sources
are never touched. Each rule says which reference file and key it reads; a feature
whose key is missing in the reference is reported, not guessed.

The reference data is not part of the repository (see geodata/SOURCES.md for the
licences); without it this tool says what it needs and exits 2.

Not derived here: the ML-1 sections, traced along the OSM track with gap bridging and
simplification by tools/build_geodata.py. That tracing is kept there until it is
rewritten as a rule of this kind.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient


@dataclass(frozen=True)
class Rule:
    """How one layer's geometry follows from one reference file."""

    layer: str
    reference: str  # file name in the refdata folder
    key: str | None  # feature property matched against ...
    ref_key: str | None  # ... this reference property (None: the file's only feature)
    geometry: Callable[[Any], dict[str, Any]]


def point(decimals: int = 5) -> Callable[[Any], dict[str, Any]]:
    """A point, rounded (5 decimals is about 1 m)."""

    def build(geom: Any) -> dict[str, Any]:
        return {"type": "Point", "coordinates": [round(geom.x, decimals), round(geom.y, decimals)]}

    return build


def polygon(simplify_deg: float = 0.0) -> Callable[[Any], dict[str, Any]]:
    """An RFC 7946 polygon: valid, exterior rings counter-clockwise, 5 decimals,
    optionally simplified (topology kept)."""

    def build(geom: Any) -> dict[str, Any]:
        geom = _polygonal(geom)
        if simplify_deg:
            geom = geom.simplify(simplify_deg, preserve_topology=True)
        geom = _polygonal(shapely.set_precision(geom, 1e-5))
        parts = [geom] if isinstance(geom, Polygon) else list(geom.geoms)
        parts = [orient(p, sign=1.0) for p in parts]

        def rings(p: Polygon) -> list[list[list[float]]]:
            return [[[round(x, 5), round(y, 5)] for x, y in r.coords]
                    for r in (p.exterior, *p.interiors)]

        if len(parts) == 1:
            return {"type": "Polygon", "coordinates": rings(parts[0])}
        return {"type": "MultiPolygon", "coordinates": [rings(p) for p in parts]}

    return build


def _polygonal(geom: Any) -> Any:
    """Only the polygon parts (repairs and GeometryCollections can hold stray lines)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = [p for p in _parts(geom) if not p.is_empty]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _parts(geom: Any) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    return [p for g in getattr(geom, "geoms", []) for p in _parts(g)]


RULES = (
    Rule("ml1_stations", "railway_stations_osm.geojson", "osm_id", "osm_id", point()),
    Rule("cities", "cities_ne10m.geojson", "name", "NAME", point(6)),
    Rule("disputed_areas", "kashmir_disputed_areas_ne10m.geojson", "ne_code", "BRK_A3", polygon()),
    Rule("pakistan_boundary", "pakistan_adm0_ne10m.geojson", None, None, polygon()),
    Rule("provinces", "pakistan_provinces_ne10m_derived.geojson", "iso_3166_2", "iso_3166_2",
         polygon()),
    Rule("neighbours", "neighbours_adm0_ne10m_clip.geojson", "iso_n3", "iso_n3", polygon(0.005)),
)


class DeriveError(Exception):
    """The reference data is missing or does not hold what a rule needs."""


def derive(geodata: Path, refdata: Path, rules: tuple[Rule, ...] = RULES) -> dict[str, Any]:
    """For each derived layer, {feature index: geometry}. Raises DeriveError naming the
    file and feature when a reference or a key is missing."""
    out: dict[str, Any] = {}
    for rule in rules:
        ref_path = refdata / rule.reference
        if not ref_path.is_file():
            raise DeriveError(f"{ref_path}: reference file missing (rule for {rule.layer})")
        reference = json.loads(ref_path.read_text(encoding="utf-8"))["features"]
        layer_path = geodata / f"{rule.layer}.geojson"
        features = json.loads(layer_path.read_text(encoding="utf-8"))["features"]
        index = {}
        if rule.ref_key is not None:
            index = {str(f["properties"].get(rule.ref_key)): f for f in reference}
        derived = {}
        for n, feature in enumerate(features):
            if rule.key is None:
                source = reference[0]
            else:
                value = feature["properties"].get(rule.key)
                if value is None:
                    continue  # not derived: e.g. a station located from another source
                source = index.get(str(value))
                if source is None:
                    raise DeriveError(
                        f"{layer_path}: feature {n} ({feature['properties'].get('name')!r}): "
                        f"{rule.key} {value!r} is not in {rule.reference}"
                    )
            derived[n] = rule.geometry(shape(source["geometry"]))
        out[rule.layer] = derived
    return out


def differences(geodata: Path, derived: dict[str, Any]) -> list[str]:
    """Features whose committed geometry is not what the reference data gives."""
    found = []
    for layer, by_index in derived.items():
        path = geodata / f"{layer}.geojson"
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        for n, geometry in sorted(by_index.items()):
            if features[n]["geometry"] != geometry:
                name = features[n]["properties"].get("name")
                found.append(f"{layer}.geojson: feature {n} ({name!r})")
    return found


def write(geodata: Path, derived: dict[str, Any]) -> int:
    """Replace the geometry of the derived features, line by line, leaving every other
    byte of the file as it is (one feature per line, as the bundled files are written)."""
    changed = 0
    for layer, by_index in derived.items():
        path = geodata / f"{layer}.geojson"
        lines = path.read_text(encoding="utf-8").split("\n")
        n = -1
        for i, line in enumerate(lines):
            if not line.startswith('{"type": "Feature"'):
                continue
            n += 1
            if n not in by_index:
                continue
            comma = line.endswith(",")
            feature = json.loads(line.rstrip(","))
            if feature["geometry"] == by_index[n]:
                continue
            feature["geometry"] = by_index[n]
            lines[i] = json.dumps(feature, ensure_ascii=False) + ("," if comma else "")
            changed += 1
        path.write_text("\n".join(lines), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--refdata", type=Path, default=Path("../shared/refdata"))
    here = Path(__file__).resolve().parent.parent
    ap.add_argument("--geodata", type=Path, default=here / "geodata")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 on a difference")
    args = ap.parse_args(argv)
    if not args.refdata.is_dir():
        print(f"{args.refdata}: no reference data here. This tool needs the public reference "
              f"files {', '.join(sorted({r.reference for r in RULES}))} (see "
              "geodata/SOURCES.md); pass --refdata DIR.", file=sys.stderr)
        return 2
    try:
        derived = derive(args.geodata, args.refdata)
    except DeriveError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.check:
        found = differences(args.geodata, derived)
        for line in found:
            print(f"{line}: geometry differs from the reference data", file=sys.stderr)
        total = sum(len(v) for v in derived.values())
        print(f"{total} derived geometries checked, {len(found)} differ")
        return 1 if found else 0
    print(f"rewrote {write(args.geodata, derived)} geometries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
