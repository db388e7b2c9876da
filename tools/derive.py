#!/usr/bin/env python3
"""Re-derive the geometry of bundled features from public reference data, by id.

    python tools/derive.py --refdata ../shared/refdata           # rewrite derived geometry
    python tools/derive.py --refdata ../shared/refdata --check   # exit 1 if any differs

geodata/ is written by people; this tool only computes what is genuinely computed from
reference data (OpenStreetMap station nodes and track, Natural Earth outlines), and
writes only the "geometry" of the features it derives, found by the key each feature
already carries (its OSM node id, its ISO 3166-2 code, its feature id...). Names,
statuses, dates and sources are never touched. Each rule says which reference file and
key it reads; a feature whose key is missing in the reference is reported, not guessed.

Two kinds of rule: a `Rule` maps one feature to one reference feature; a `NetworkRule`
derives many features together from a network (the ML-1 sections, traced along the OSM
track with gap bridging and simplification, see `ml1_railway`).

The reference data is not part of the repository (see geodata/SOURCES.md for the
licences); without it this tool says what it needs and exits 2.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, shape
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


@dataclass(frozen=True)
class NetworkRule:
    """How the geometry of several features follows from a network in the reference data,
    derived together (e.g. a route traced through pieces of track, then cut into sections)."""

    layer: str  # the layer it is named after (it may derive others too)
    references: tuple[str, ...]  # file names in the refdata folder
    # (geodata folder, refdata folder) -> {layer: {feature index: geometry}}
    build: Callable[[Path, Path], dict[str, dict[int, Any]]]


# --- ML-1: the upgrade sections, traced along the OSM track ------------------------------
# Tolerances of the tracing (parameters, not facts about the line).
JOIN_MAX_M = 50.0  # pieces of track ending closer than this are OSM ways that meet: joined
STATION_ON_TRACK_M = 300.0  # a station farther than this from the track sits inside a gap
GAP_STATION_MAX_M = 10_000.0  # ... and lies at most this far from the bridge across that gap
SIMPLIFY_TOL_M = 15.0  # Douglas-Peucker tolerance in UTM metres (drawn error well under 20 m)
REVERSAL_COS = -0.866  # a turn sharper than 150 degrees: the trace ran back on itself

Coord = tuple[float, float]
_GEOD = Geod(ellps="WGS84")
_TO_UTM: dict[int, Transformer] = {}


def _epsg(lon: float) -> int:
    """The UTM zone of `lon`: 42N west of 72 E, else 43N (the zones of the corridor), where
    distances and tolerances are metres."""
    return 32642 if lon < 72.0 else 32643


def _utm(coords: Sequence[Coord], epsg: int) -> list[Coord]:
    if epsg not in _TO_UTM:
        _TO_UTM[epsg] = Transformer.from_crs(4326, epsg, always_xy=True)
    xs, ys = _TO_UTM[epsg].transform([c[0] for c in coords], [c[1] for c in coords])
    return list(zip(xs, ys, strict=True))


def _nearest(coords: Sequence[Coord], pt: Coord) -> tuple[int, float, float]:
    """(segment i, parameter t in [0, 1], distance in m) of the point of the polyline
    `coords` nearest `pt`; the first of equally near points."""
    xy = _utm(coords, _epsg(pt[0]))
    px, py = _utm([pt], _epsg(pt[0]))[0]
    best = (0, 0.0, math.inf)
    for i in range(len(xy) - 1):
        (ax, ay), (bx, by) = xy[i], xy[i + 1]
        dx, dy = bx - ax, by - ay
        len2 = dx * dx + dy * dy
        t = 0.0 if len2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / len2))
        d = math.hypot(ax + t * dx - px, ay + t * dy - py)
        if d < best[2]:
            best = (i, t, d)
    return best


def _point_at(coords: Sequence[Coord], i: int, t: float) -> Coord:
    """The point at parameter t of segment i, interpolated in lon/lat (segments are short)."""
    (ax, ay), (bx, by) = coords[i], coords[i + 1]
    if t <= 0.0:
        return (ax, ay)
    if t >= 1.0:
        return (bx, by)
    return (ax + t * (bx - ax), ay + t * (by - ay))


def _split(coords: Sequence[Coord], i: int, t: float) -> tuple[list[Coord], list[Coord], Coord]:
    """(before, after, p): the polyline cut at segment i, parameter t; both halves hold p."""
    p = _point_at(coords, i, t)
    before, after = list(coords[: i + 1]), list(coords[i + 1 :])
    if before[-1] != p:
        before.append(p)
    if not after or after[0] != p:
        after.insert(0, p)
    return before, after, p


def _reverses(u: Coord, v: Coord) -> bool:
    """Whether direction v turns back on direction u (a zero-length step counts: it has no
    direction to keep)."""
    lu, lv = math.hypot(*u), math.hypot(*v)
    return lu == 0 or lv == 0 or (u[0] * v[0] + u[1] * v[1]) / (lu * lv) < REVERSAL_COS


def _despike(coords: list[Coord], xy: list[Coord]) -> tuple[list[Coord], list[Coord]]:
    """Drop interior vertices where the path turns back: tracing artefacts where the route
    ran into a yard track and came back on a parallel one. Douglas-Peucker would keep such a
    spike, since it lies far from the chord."""
    keep = list(range(len(coords)))
    n = 1
    while n < len(keep) - 1:
        (ax, ay), (bx, by), (cx, cy) = xy[keep[n - 1]], xy[keep[n]], xy[keep[n + 1]]
        if _reverses((bx - ax, by - ay), (cx - bx, cy - by)):
            del keep[n]
            n = 1  # a removal can make a new spike anywhere before it: look again
        else:
            n += 1
    return [coords[k] for k in keep], [xy[k] for k in keep]


def _simplify(coords: Sequence[Coord]) -> list[Coord]:
    """Douglas-Peucker in UTM metres, keeping a subset of the original lon/lat vertices (so
    the drawn line is still made of OSM nodes and the section ends stay where they were cut)."""
    if len(coords) <= 2:
        return list(coords)
    xy = _utm(coords, _epsg(sum(c[0] for c in coords) / len(coords)))
    kept, xy = _despike(list(coords), xy)
    simple = LineString(xy).simplify(SIMPLIFY_TOL_M, preserve_topology=True)
    out, j = [], 0
    for vertex in simple.coords:
        while xy[j] != vertex:
            j += 1
        out.append(kept[j])
    if not (simple.is_simple and LineString(_rounded(out)).is_simple):
        raise DeriveError(f"simplifying the track near {out[0]} made it cross itself")
    return out


def _rounded(coords: Sequence[Coord]) -> list[list[float]]:
    """5 decimals (about 1 m), without the repeated vertices rounding can make."""
    out: list[list[float]] = []
    for x, y in coords:
        c = [round(x, 5), round(y, 5)]
        if not out or out[-1] != c:
            out.append(c)
    return out


def _lines(runs: Sequence[Sequence[Coord]]) -> dict[str, Any]:
    """A LineString for one run, a MultiLineString for several."""
    if len(runs) == 1:
        return {"type": "LineString", "coordinates": _rounded(runs[0])}
    return {"type": "MultiLineString", "coordinates": [_rounded(r) for r in runs]}


@dataclass
class _Run:
    """A stretch of a traced route: OSM track, or (bridge=True) straight lines across a gap in
    the track extract, placed at `km_post` by the track file's list of gaps."""

    coords: list[Coord]
    bridge: bool = False
    km_post: float | None = None


def _join(pieces: list[list[Coord]], stations: list[tuple[float, str, Coord]],
          gap_km_posts: dict[Coord, float | None]) -> list[_Run]:
    """One route from its pieces of track, in order. Pieces ending within JOIN_MAX_M of the
    next one are OSM ways that meet: one run. A longer gap is missing from the extract: a
    bridge, drawn straight through the stations (km post, name, coordinate) that lie farther
    than STATION_ON_TRACK_M from the track, each in the gap nearest it, by km post: without
    them a bridge across 18 km of line would cut corners the stations show it does not take."""
    gaps = [(a[-1], b[0]) for a, b in zip(pieces, pieces[1:], strict=False)]
    inside: dict[tuple[Coord, Coord], list[tuple[float, str, Coord]]] = {
        g: [] for g in gaps if _GEOD.inv(*g[0], *g[1])[2] >= JOIN_MAX_M}
    track = {epsg: MultiLineString([_utm(p, epsg) for p in pieces]) for epsg in (32642, 32643)}
    for station in stations:
        coord, epsg = station[2], _epsg(station[2][0])
        if track[epsg].distance(Point(_utm([coord], epsg)[0])) <= STATION_ON_TRACK_M:
            continue
        gap = min(inside, key=lambda g, c=coord: _nearest(g, c)[2], default=None)
        if gap is None or _nearest(gap, coord)[2] >= GAP_STATION_MAX_M:
            raise DeriveError(f"station {station[1]!r} is off the track but in no gap of it")
        inside[gap].append(station)
    runs, run = [], list(pieces[0])
    for gap, piece in zip(gaps, pieces[1:], strict=False):
        if gap not in inside:
            run += piece
            continue
        via = [s[2] for s in sorted(inside[gap])]
        runs += [_Run(run), _Run([gap[0], *via, gap[1]], True, gap_km_posts.get(gap[0]))]
        run = list(piece)
    return [*runs, _Run(run)]


def _branch_end(pieces: list[list[Coord]]) -> list[list[Coord]]:
    """The branch without trailing pieces that head back the way it came (a trace run back
    through the junction yard to reach a main-line node): its end is tied to the main line
    at the nearest point instead."""
    while len(pieces) > 1:
        epsg = _epsg(pieces[-1][0][0])
        prev, last = _utm(pieces[-2][-2:], epsg), _utm(pieces[-1], epsg)
        step = (prev[1][0] - prev[0][0], prev[1][1] - prev[0][1])
        if not _reverses(step, (last[-1][0] - last[0][0], last[-1][1] - last[0][1])):
            break
        pieces = pieces[:-1]
    return pieces


def _attach(main: list[_Run], branch: list[list[Coord]],
            ) -> tuple[list[_Run], list[Coord], list[_Run], list[list[Coord]]]:
    """Cut the main route where a branch leaves and rejoins it: (main route up to the branch,
    the main-line stretch the branch bypasses, main route after it, the branch pieces from
    junction to junction). The branch leaves at the last of its leading vertices on the main
    track (its trace may first run along the main line) and rejoins at the main-line point
    nearest its end."""
    on_main = {c for r in main if not r.bridge for c in r.coords}
    first = branch[0]
    k = 0
    while k + 1 < len(first) and first[k + 1] in on_main:
        k += 1
    j1 = first[k]
    n = next((n for n, r in enumerate(main) if not r.bridge and j1 in r.coords), None)
    if n is None:
        raise DeriveError(f"the branch does not start on the main track ({j1})")
    coords = main[n].coords
    i, t, d = _nearest(coords, branch[-1][-1])
    if d >= JOIN_MAX_M:
        raise DeriveError(f"the branch ends {d:.0f} m from the main track ({branch[-1][-1]})")
    j2 = _point_at(coords, i, t)
    pieces = [list(p) for p in branch]
    pieces[0] = pieces[0][k:]
    pieces[-1] = [*pieces[-1], j2]
    at = coords.index(j1)
    bypass, after, _ = _split(coords[at:], *_nearest(coords[at:], j2)[:2])
    bypass[-1] = after[0] = j2  # the split point, exactly, rather than its re-interpolation
    return [*main[:n], _Run(coords[: at + 1])], bypass, [_Run(after), *main[n + 1:]], pieces


def _cut(route: list[_Run], ends: list[Coord]) -> list[list[_Run]]:
    """The route cut into sections at the track points nearest each of `ends`, in order."""
    sections, rest = [], route
    for end in ends:
        best = None
        for n, run in enumerate(rest):
            if not run.bridge:
                i, t, d = _nearest(run.coords, end)
                if best is None or d < best[3]:
                    best = (n, i, t, d)
        if best is None:
            raise DeriveError(f"no track left to end a section at {end}")
        n, i, t, _ = best
        head, tail, _ = _split(rest[n].coords, i, t)
        sections.append([*rest[:n], *([_Run(head)] if len(head) > 1 else [])])
        rest = [*([_Run(tail)] if len(tail) > 1 else []), *rest[n + 1:]]
    return [*sections, rest]


def ml1_railway(table: Path, layer: str = "ml1_railway",
                ) -> Callable[[Path, Path], dict[str, dict[int, Any]]]:
    """The ML-1 rule: trace the line along the OSM track (ml1_track_osm.geojson), bridge the
    gaps of the extract through the station nodes inside them (railway_stations_osm.geojson),
    take the upgrade route via the branch (the Multan loop), cut it into sections, simplify.

    What the features do not say themselves is read from `table` (tools/derive_ml1.toml):
    which track and station records are the main run and the branch, the feature drawing
    the main-line stretch the branch bypasses, and the upgrade sections in route order.
    Where a section ends is its own `ends_at`, a bridge is found by its own
    `approx_km_post`.
    """

    def build(geodata: Path, refdata: Path) -> dict[str, dict[int, Any]]:
        if not table.is_file():
            raise DeriveError(f"{table}: table of the ML-1 rule missing")
        spec = tomllib.loads(table.read_text(encoding="utf-8"))
        nodes = _read(refdata / "railway_stations_osm.geojson")["features"]
        route, bypass = _trace(spec, _read(refdata / "ml1_track_osm.geojson"), nodes)
        layer_path = geodata / f"{layer}.geojson"
        features = _read(layer_path)["features"]
        index = {f.get("id"): n for n, f in enumerate(features)}

        def at(fid: str) -> int:
            if fid not in index:
                raise DeriveError(f"{table}: feature {fid!r} is not in {layer_path.name}")
            return index[fid]

        cut_at = [(layer_path, at(s["id"]), features[at(s["id"])]) for s in spec["section"][:-1]]
        ends = _section_ends(cut_at, geodata, nodes)

        out = {at(spec["branch"]["bypass"]): _lines([_simplify(bypass)])}
        for section, runs in zip(spec["section"], _cut(route, ends), strict=True):
            out[at(section["id"])] = _lines([_simplify(r.coords) for r in runs if not r.bridge])
        bridges = [r for r in route if r.bridge]
        for n, feature in enumerate(features):
            props = feature["properties"]
            if props.get("kind") != "railway_gap_bridge":
                continue
            hits = [r for r in bridges if r.km_post == props.get("approx_km_post")]
            if len(hits) != 1:
                raise DeriveError(f"{layer_path}: feature {n} ({props.get('name')!r}): "
                                  f"{len(hits)} gaps in the track at approx_km_post "
                                  f"{props.get('approx_km_post')!r}")
            out[n] = _lines([hits[0].coords])  # straight lines: nothing to simplify
        return {layer: out}

    return build


def _trace(spec: dict[str, Any], track: dict[str, Any], nodes: list[dict[str, Any]],
           ) -> tuple[list[_Run], list[Coord]]:
    """(the upgrade route via the branch, the main-line stretch the branch bypasses)."""

    def pieces(which: str) -> list[list[Coord]]:
        return [[(c[0], c[1]) for c in f["geometry"]["coordinates"]] for f in track["features"]
                if f["properties"]["route"].startswith(spec[which]["track_route"])]

    def stations(which: str) -> list[tuple[float, str, Coord]]:
        role = spec[which]["station_role"]
        return [(p["km_post"], p["name"], tuple(f["geometry"]["coordinates"])) for f in nodes
                if (p := f["properties"])["role"] == role and p["km_post"] is not None]

    gap_km_posts = {tuple(g["from_lonlat"]): g.get("approx_km_post")
                    for g in track["summary"]["gaps"]}
    main = _join(pieces("main"), stations("main"), gap_km_posts)
    before, bypass, after, branch = _attach(main, _branch_end(pieces("branch")))
    return [*before, *_join(branch, stations("branch"), gap_km_posts), *after], bypass


def _section_ends(sections: list[tuple[Path, int, dict[str, Any]]], geodata: Path,
                  nodes: list[dict[str, Any]]) -> list[Coord]:
    """Where each section but the last ends: the station its ``ends_at`` names ("layer/id"),
    at its OSM node where it has one (full precision), else at its own coordinate (located
    from another source)."""
    node_coords = {p["osm_id"]: tuple(f["geometry"]["coordinates"])
                   for f in nodes if (p := f["properties"]).get("osm_id") is not None}
    ends = []
    layers: dict[str, dict[Any, Any]] = {}
    for path, n, feature in sections:
        ref = feature["properties"].get("ends_at")
        where = f"{path}: feature {n} ({feature['properties'].get('name')!r})"
        if not isinstance(ref, str) or ref.count("/") != 1:
            raise DeriveError(f'{where}: "ends_at" must name the station the section ends at, '
                              f'as "layer/id" (found {ref!r})')
        stem, fid = ref.split("/")
        stations_path = geodata / f"{stem}.geojson"
        if stem not in layers:
            layers[stem] = {f.get("id"): f for f in _read(stations_path)["features"]}
        station = layers[stem].get(fid)
        if station is None:
            raise DeriveError(f"{where}: ends at {ref!r}, which is not in {stations_path.name}")
        osm_id = station["properties"].get("osm_id")
        if osm_id is None:
            ends.append(tuple(station["geometry"]["coordinates"]))
        elif osm_id in node_coords:
            ends.append(node_coords[osm_id])
        else:
            raise DeriveError(f"{stations_path.name}: {fid!r}: osm_id {osm_id} "
                              "is not in railway_stations_osm.geojson")
    return ends


def _read(path: Path) -> Any:
    if not path.is_file():
        raise DeriveError(f"{path}: file missing")
    return json.loads(path.read_text(encoding="utf-8"))


RULES = (
    Rule("ml1_stations", "railway_stations_osm.geojson", "osm_id", "osm_id", point()),
    Rule("cities", "cities_ne10m.geojson", "name", "NAME", point(6)),
    Rule("disputed_areas", "kashmir_disputed_areas_ne10m.geojson", "ne_code", "BRK_A3", polygon()),
    Rule("pakistan_boundary", "pakistan_adm0_ne10m.geojson", None, None, polygon()),
    Rule("provinces", "pakistan_provinces_ne10m_derived.geojson", "iso_3166_2", "iso_3166_2",
         polygon()),
    Rule("neighbours", "neighbours_adm0_ne10m_clip.geojson", "iso_n3", "iso_n3", polygon(0.005)),
    NetworkRule("ml1_railway", ("ml1_track_osm.geojson", "railway_stations_osm.geojson"),
                ml1_railway(Path(__file__).resolve().with_name("derive_ml1.toml"))),
)


class DeriveError(Exception):
    """The reference data is missing or does not hold what a rule needs."""


def derive(geodata: Path, refdata: Path,
           rules: tuple[Rule | NetworkRule, ...] = RULES) -> dict[str, Any]:
    """For each derived layer, {feature index: geometry}. Raises DeriveError naming the
    file and feature when a reference or a key is missing."""
    out: dict[str, Any] = {}
    for rule in rules:
        for name in _references(rule):
            if not (refdata / name).is_file():
                raise DeriveError(f"{refdata / name}: reference file missing "
                                  f"(rule for {rule.layer})")
        if isinstance(rule, NetworkRule):
            for layer, derived in rule.build(geodata, refdata).items():
                out.setdefault(layer, {}).update(derived)
        else:
            out[rule.layer] = _derive_by_key(rule, geodata, refdata)
    return out


def _references(rule: Rule | NetworkRule) -> tuple[str, ...]:
    return rule.references if isinstance(rule, NetworkRule) else (rule.reference,)


def _derive_by_key(rule: Rule, geodata: Path, refdata: Path) -> dict[int, Any]:
    """{feature index: geometry} of one layer, each feature from the reference feature
    holding its key."""
    reference = _read(refdata / rule.reference)["features"]
    layer_path = geodata / f"{rule.layer}.geojson"
    features = _read(layer_path)["features"]
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
    return derived


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
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        rows = [i for i, line in enumerate(lines) if line.startswith('{"type": "Feature"')]
        if len(rows) != len(json.loads(text)["features"]):
            # another layout (an editor reformatted the file): refuse rather than guess
            raise DeriveError(f"{path}: not one feature per line; write it that way first")
        layer_changed = 0
        for n, i in enumerate(rows):
            if n not in by_index:
                continue
            comma = lines[i].endswith(",")
            feature = json.loads(lines[i].rstrip(","))
            if feature["geometry"] == by_index[n]:
                continue
            feature["geometry"] = by_index[n]
            lines[i] = json.dumps(feature, ensure_ascii=False) + ("," if comma else "")
            layer_changed += 1
        if layer_changed:  # written beside, then renamed: never a half-written layer
            temporary = path.with_name(f".{path.name}.derive")
            temporary.write_text("\n".join(lines), encoding="utf-8")
            os.replace(temporary, path)
        changed += layer_changed
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
              f"files {', '.join(sorted({n for r in RULES for n in _references(r)}))} (see "
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
