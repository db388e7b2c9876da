#!/usr/bin/env python3
"""Check the bundled geodata of cpec-map and print the figures that matter.

    python tools/check_geodata.py --refdata ../shared/refdata

Prints: feature counts per layer; ML-1 length Karachi City -> Peshawar Cantt via Multan and via
the Lodhran-Khanewal chord against the official figures; per-section lengths; distance of the
ML-1 stations to the drawn line; deviation of the drawn line from the OSM track; corridor features
outside the Pakistan polygon; geometry validity and schema; total size of geodata/.
Exits non-zero when a hard check fails. --refdata is optional (the OSM-track and Pakistan-polygon
comparisons need it; the Pakistan polygon is otherwise taken from geodata/pakistan_boundary).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tomllib
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, shape

from cpec_map.model import BOUNDARY_TYPES as MODEL_BOUNDARY_TYPES
from cpec_map.model import Precision, Status

GEOD = Geod(ellps="WGS84")
# the package's vocabulary, so that the check and `make_map.py --check` cannot drift apart
STATUSES = {s.value for s in Status}
PRECISIONS = {p.value for p in Precision}
BOUNDARY_TYPES = set(MODEL_BOUNDARY_TYPES)
# stricter than the package on purpose: the shipped data carries dates, never timestamps
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
AS_OF_RE = DATE_RE  # YYYY, YYYY-MM or YYYY-MM-DD (OSM data is dated by year only)
OFFICIAL_TOTAL = {"May 2026 plan (HRNW)": 1726, "2024 revised PC-I (ARY)": 1733}
STATION_MAX_M = 300.0
TRACK_DEV_MAX_M = 50.0
BORDER_TOLERANCE_M = 500.0
_TR = {}


def tr(epsg):
    if epsg not in _TR:
        _TR[epsg] = Transformer.from_crs(4326, epsg, always_xy=True)
    return _TR[epsg]


def zone(lon):
    return 32642 if lon < 72.0 else 32643


def to_utm(geom, epsg):
    return shapely.transform(
        geom, lambda xy: np.column_stack(tr(epsg).transform(xy[:, 0], xy[:, 1]))
    )


def glen_km(coords):
    return GEOD.line_length([c[0] for c in coords], [c[1] for c in coords]) / 1000.0


def geom_len_km(g):
    if g.geom_type == "LineString":
        return glen_km(g.coords)
    return sum(glen_km(p.coords) for p in g.geoms)


def dist_points_to_geom_m(points, geom):
    """Distances (m) of lon/lat points to a lon/lat geometry, each in its own UTM zone."""
    out = np.empty(len(points))
    pts = np.asarray(points, dtype=float)
    for epsg in (32642, 32643):
        mask = np.array([zone(p[0]) == epsg for p in pts])
        if not mask.any():
            continue
        g = to_utm(geom, epsg)
        x, y = tr(epsg).transform(pts[mask, 0], pts[mask, 1])
        out[mask] = shapely.distance(shapely.points(np.column_stack([x, y])), g)
    return out


def decimals(x):
    s = repr(x)
    return len(s.split(".")[1]) if "." in s and "e" not in s else 0


def iter_coords(g):
    t = g["type"]
    c = g["coordinates"]
    if t == "Point":
        yield c
    elif t in ("LineString", "MultiPoint"):
        yield from c
    elif t in ("Polygon", "MultiLineString"):
        for r in c:
            yield from r
    elif t == "MultiPolygon":
        for p in c:
            for r in p:
                yield from r


def covers(later: str, earlier: str) -> bool:
    """True if ISO date `earlier` is not after `later`, comparing at the coarser precision
    ("2025" covers "2025-01-20": the as_of lies within the source's year)."""
    n = min(len(later), len(earlier))
    return earlier[:n] <= later[:n]


def ring_is_ccw(ring):
    return shapely.is_ccw(shapely.linearrings(ring)) if len(ring) >= 4 else True


class Report:
    def __init__(self):
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)
        print("  FAIL:", msg)


def chainage(line_lonlat: LineString, pt, cum):
    """Along-line geodesic distance (km) of the point of `line_lonlat` nearest `pt`."""
    epsg = zone(pt[0])
    coords = list(line_lonlat.coords)
    xs, ys = tr(epsg).transform([c[0] for c in coords], [c[1] for c in coords])
    px, py = tr(epsg).transform(pt[0], pt[1])
    xy = np.column_stack([xs, ys])
    a, b = xy[:-1], xy[1:]
    d = b - a
    len2 = (d**2).sum(axis=1)
    t = np.clip(
        ((px - a[:, 0]) * d[:, 0] + (py - a[:, 1]) * d[:, 1]) / np.where(len2 == 0, 1, len2), 0, 1
    )
    proj = a + d * t[:, None]
    dist = np.hypot(proj[:, 0] - px, proj[:, 1] - py)
    i = int(dist.argmin())
    return cum[i] + t[i] * (cum[i + 1] - cum[i]), float(dist[i])


def cumulative_km(line: LineString):
    c = list(line.coords)
    cum = [0.0]
    for a, b in zip(c, c[1:], strict=False):
        cum.append(cum[-1] + GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0)
    return cum


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check geodata/ of cpec-map")
    ap.add_argument(
        "--geodata", type=Path, default=Path(__file__).resolve().parent.parent / "geodata"
    )
    ap.add_argument("--refdata", type=Path, default=None)
    args = ap.parse_args(argv)
    gd: Path = args.geodata
    rep = Report()

    manifest = tomllib.loads((gd / "layers.toml").read_text(encoding="utf-8"))
    layers = manifest["layers"]
    data = {}
    print("== layers.toml:", manifest["map"]["title"], "| data_date", manifest["map"]["data_date"])
    for stem, meta in sorted(layers.items(), key=lambda kv: kv[1]["order"]):
        for k in ("title", "group", "role", "order", "visible", "color", "attribution"):
            if k not in meta:
                rep.fail(f"layers.toml [{stem}] lacks {k}")
        p = gd / f"{stem}.geojson"
        if not p.exists():
            rep.fail(f"missing {p.name}")
            continue
        data[stem] = json.loads(p.read_text(encoding="utf-8"))
    extra_files = {p.stem for p in gd.glob("*.geojson")} - set(layers)
    if extra_files:
        rep.fail(f"GeoJSON files not in layers.toml: {sorted(extra_files)}")

    # ---------------------------------------------------------------- counts, schema, validity
    print("\n== feature counts and schema")
    n_invalid = 0
    n_src_kind = {"date": 0, "accessed": 0}
    # corridor features whose as_of is a source's date / an undated source's accessed month
    as_of_basis = {"date": 0, "accessed": 0}
    for stem, fc in data.items():
        role = layers[stem]["role"]
        feats = fc["features"]
        kinds = {}
        for f in feats:
            kinds[f["geometry"]["type"]] = kinds.get(f["geometry"]["type"], 0) + 1
        print(f"  {stem:18s} {role:8s} {len(feats):3d}  {kinds}")
        if fc.get("name") != stem:
            rep.fail(f"{stem}: top-level name is {fc.get('name')!r}")
        ids = [f.get("id") for f in feats]
        if any(not isinstance(i, str) or not i for i in ids) or len(set(ids)) != len(ids):
            rep.fail(f"{stem}: ids missing or not unique")
        for f in feats:
            pr, g = f["properties"], f["geometry"]
            fid = f"{stem}/{f.get('id')}"
            geom = shape(g)
            if not shapely.is_valid(geom):
                n_invalid += 1
                rep.fail(f"{fid}: invalid geometry ({shapely.is_valid_reason(geom)})")
            if not pr.get("name"):
                rep.fail(f"{fid}: no name")
            if role == "corridor":
                for k in ("name_ur", "name_zh", "status", "precision", "description"):
                    if not pr.get(k):
                        rep.fail(f"{fid}: missing {k}")
            if "status" in pr and pr["status"] not in STATUSES:
                rep.fail(f"{fid}: bad status {pr['status']}")
            if "precision" in pr and pr["precision"] not in PRECISIONS:
                rep.fail(f"{fid}: bad precision {pr['precision']}")
            if "as_of" in pr and not AS_OF_RE.match(pr["as_of"]):
                rep.fail(f"{fid}: bad as_of {pr['as_of']}")
            # as_of (geodata/SOURCES.md "as_of"): every corridor feature with a status has one,
            # and it is not later than the newest date (or accessed month) of its own sources.
            if role == "corridor" and "status" in pr and "as_of" not in pr:
                rep.fail(f"{fid}: status {pr['status']!r} without as_of")
            if "as_of" in pr and isinstance(pr.get("sources"), list) and pr["sources"]:
                whens = [s.get("date") or s.get("accessed") or "" for s in pr["sources"]]
                if not any(w and covers(w, pr["as_of"]) for w in whens):
                    rep.fail(f"{fid}: as_of {pr['as_of']} is later than all its sources {whens}")
                if role == "corridor":
                    dated = [s["date"] for s in pr["sources"] if "date" in s]
                    kind = "date" if pr["as_of"] in dated else "accessed"
                    as_of_basis[kind] += 1
            if (
                g["type"] == "Point"
                and pr.get("precision") == "approximate"
                and not isinstance(pr.get("uncertainty_m"), (int, float))
            ):
                rep.fail(f"{fid}: approximate point without uncertainty_m")
            if "boundary_type" in pr and pr["boundary_type"] not in BOUNDARY_TYPES:
                rep.fail(f"{fid}: bad boundary_type")
            if "<" in pr.get("description", "") or ">" in pr.get("description", ""):
                rep.fail(f"{fid}: description looks like HTML")
            srcs = pr.get("sources")
            if not isinstance(srcs, list) or not srcs:
                rep.fail(f"{fid}: no sources")
            else:
                for s in srcs:
                    if not s.get("title") or not (s.get("url") or s.get("publication")):
                        rep.fail(f"{fid}: bad source {s}")
                    if "url" in s and not re.match(r"^https?://", s["url"]):
                        rep.fail(f"{fid}: bad url {s['url']}")
                    # "date" = publication / data-version date; "accessed" = when an undated
                    # source was read (geodata/SOURCES.md, "Source dates"): exactly one of them.
                    if ("date" in s) == ("accessed" in s):
                        rep.fail(
                            f"{fid}: source needs exactly one of date / accessed: "
                            f"{s.get('title', s)}"
                        )
                    for key in ("date", "accessed"):
                        if key in s and not DATE_RE.match(str(s[key])):
                            rep.fail(f"{fid}: bad source {key} {s[key]}")
                    n_src_kind["date" if "date" in s else "accessed"] += 1
            maxdec = 6 if g["type"] == "Point" and not stem.startswith("ml1") else 5
            if any(decimals(v) > maxdec for c in iter_coords(g) for v in c):
                rep.fail(f"{fid}: more than {maxdec} decimals")
            if g["type"] in ("Polygon", "MultiPolygon"):
                polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
                for poly in polys:
                    if not ring_is_ccw(poly[0]) or any(ring_is_ccw(r) for r in poly[1:]):
                        rep.fail(f"{fid}: ring orientation not RFC 7946")
    print(f"  invalid geometries: {n_invalid}")
    print(
        f"  source entries: {n_src_kind['date']} with date, {n_src_kind['accessed']} with accessed"
    )
    print(
        f"  corridor as_of: {as_of_basis['date']} from a dated source, "
        f"{as_of_basis['accessed']} from an undated source's accessed month"
    )

    # ---------------------------------------------------------------- ML-1
    print("\n== ML-1")
    ml = {f["id"]: f for f in data["ml1_railway"]["features"]}
    sections = [
        f
        for f in ml.values()
        if f["properties"].get("kind") == "railway"
        and f["properties"].get("route", "").startswith("ML-1 upgrade")
    ]
    gaps = [f for f in ml.values() if f["properties"].get("kind") == "railway_gap_bridge"]
    chord = [f for f in ml.values() if "chord" in f["id"]]
    route_geoms = [shape(f["geometry"]) for f in sections + gaps]
    merged = shapely.line_merge(shapely.unary_union(route_geoms))
    if merged.geom_type != "LineString":
        rep.fail(
            f"upgrade route does not merge into one line ({merged.geom_type}, "
            f"{len(merged.geoms)} parts)"
        )
        return 1
    start, end = merged.coords[0], merged.coords[-1]
    if start[1] > end[1]:
        merged = LineString(list(merged.coords)[::-1])
    multan_km = geom_len_km(merged)
    c_multan = list(merged.coords)
    print(
        f"  upgrade route merges into 1 line: {c_multan[0]} -> {c_multan[-1]}, "
        f"{len(c_multan)} vertices"
    )
    # chord route = upgrade route with the loop (J1..J2) replaced by the chord
    ch = list(shape(chord[0]["geometry"]).coords)
    j1, j2 = ch[0], ch[-1]
    i1, i2 = c_multan.index(j1), c_multan.index(j2)
    chord_route = LineString(c_multan[:i1] + ch + c_multan[i2 + 1 :])
    parts = [LineString(c_multan[: i1 + 1]), LineString(ch), LineString(c_multan[i2:])]
    m2 = shapely.line_merge(shapely.unary_union(parts))
    if m2.geom_type != "LineString":
        rep.fail("chord route does not merge into one line")
    chord_km = geom_len_km(chord_route)
    loop_km = glen_km(c_multan[i1 : i2 + 1])
    print(
        f"  Karachi City -> Peshawar Cantt via Multan (drawn, incl. schematic links): "
        f"{multan_km:.1f} km"
    )
    for k, v in OFFICIAL_TOTAL.items():
        print(
            f"      vs {k}: {v} km  (difference {multan_km - v:+.1f} km, "
            f"{100 * (multan_km - v) / v:+.2f} %)"
        )
    print(
        f"  Karachi City -> Peshawar Cantt via the Lodhran-Khanewal chord: {chord_km:.1f} km "
        f"(km posts 5 -> 1687 = 1682 km: {chord_km - 1682:+.1f} km)"
    )
    print(
        f"  Lodhran-Khanewal: chord {glen_km(ch):.1f} km (official 91), loop via Multan "
        f"{loop_km:.1f} km (official 136)"
    )
    schem_total = sum(geom_len_km(shape(f["geometry"])) for f in gaps)
    print(
        f"  schematic (gap-bridging) length on the upgrade route: {schem_total:.1f} km in "
        f"{len(gaps)} features"
    )
    print("  sections (drawn length incl. schematic links | official):")
    for f in sections:
        p = f["properties"]
        own = geom_len_km(shape(f["geometry"]))
        sec_gaps = [g for g in gaps if g["properties"]["section_id"] == f["id"]]
        tot = own + sum(geom_len_km(shape(g["geometry"])) for g in sec_gaps)
        off = p.get("official_length_km")
        offs = f"{off} km ({tot - off:+.1f} km)" if off else "no official figure"
        print(
            f"    {p['name']:38s} {tot:7.1f} km (track {own:6.1f}, {len(sec_gaps)} links) | {offs}"
        )
        if abs(tot - p["length_km"]) > 0.15:
            rep.fail(f"{f['id']}: length_km {p['length_km']} != drawn {tot:.1f}")

    # stations
    st = data["ml1_stations"]["features"]
    drawn = shapely.unary_union([shape(f["geometry"]) for f in ml.values()])
    pts = [f["geometry"]["coordinates"] for f in st]
    d = dist_points_to_geom_m(pts, drawn)
    print(
        f"  stations: {len(st)}; distance to the drawn line: max {d.max():.1f} m, "
        f"median {statistics.median(d):.1f} m"
    )
    exact_idx = [i for i, f in enumerate(st) if f["properties"]["precision"] == "exact"]
    print(
        f"    exact ones ({len(exact_idx)}): max {d[exact_idx].max():.1f} m, "
        f"median {statistics.median(d[exact_idx]):.1f} m"
    )
    for i in np.argsort(-d)[:3]:
        print(f"    farthest: {st[i]['properties']['name']} {d[i]:.1f} m")
    for i, f in enumerate(st):
        if d[i] > STATION_MAX_M:
            rep.fail(f"station {f['properties']['name']} is {d[i]:.0f} m from the line")
    # chainage check of km posts along the chord route (main-run stations)
    cum = cumulative_km(chord_route)
    rows = []
    for f in st:
        p = f["properties"]
        if p.get("role") != "main" or p.get("km_post") is None:
            continue
        c, _ = chainage(chord_route, f["geometry"]["coordinates"], cum)
        rows.append((p["km_post"], p["name"], c + 5.0, p["precision"]))
    rows.sort()
    print(
        "  km-post check for approximate stations (chainage along the drawn chord run, "
        "Karachi City = km 5):"
    )
    for n, (km, name, c, prec) in enumerate(rows):
        if prec != "approximate":
            continue
        prev, nxt = rows[n - 1], rows[n + 1]
        dp = (c - prev[2]) - (km - prev[0])
        dn = (nxt[2] - c) - (nxt[0] - km)
        print(
            f"    {name:20s} km {km}: chainage {c:7.1f}; vs {prev[1]} {dp:+.1f} km, "
            f"vs {nxt[1]} {dn:+.1f} km"
        )
    worst = max(rows, key=lambda r: abs(r[2] - r[0]))
    print(
        f"  largest chainage - km post difference over all main stations: "
        f"{worst[1]} {worst[2] - worst[0]:+.1f} km"
    )

    # deviation from the OSM track
    if args.refdata:
        track = json.loads((args.refdata / "ml1_track_osm.geojson").read_text(encoding="utf-8"))
        tv = [c for f in track["features"] for c in f["geometry"]["coordinates"]]
        exact_drawn = shapely.unary_union(
            [shape(f["geometry"]) for f in ml.values() if f["properties"]["precision"] == "exact"]
        )
        dv = dist_points_to_geom_m(tv, exact_drawn)
        print(
            f"  drawn exact line vs OSM track ({len(tv)} OSM vertices): max {dv.max():.1f} m, "
            f"p99 {np.percentile(dv, 99):.1f} m, median {np.median(dv):.2f} m"
        )
        piece_of = [
            (f["properties"]["route"].split(":")[0], f["properties"]["piece"], n)
            for f in track["features"]
            for n in range(len(f["geometry"]["coordinates"]))
        ]
        over = np.where(dv > 20.0)[0]
        for i in over:
            print(
                f"    > 20 m: {piece_of[i][0]} piece {piece_of[i][1]} vertex {piece_of[i][2]} "
                f"{tv[i]}: {dv[i]:.1f} m"
            )
        under = np.delete(dv, over)
        print(f"    all other OSM vertices: max {under.max():.1f} m")
        if dv.max() > TRACK_DEV_MAX_M:
            rep.fail(f"simplified line deviates {dv.max():.1f} m from the OSM track")
        # reverse: drawn vertices to the OSM track
        osm = shapely.unary_union([shape(f["geometry"]) for f in track["features"]])
        dv2 = [
            c
            for f in ml.values()
            if f["properties"]["precision"] == "exact"
            for c in shapely.get_coordinates(shape(f["geometry"])).tolist()
        ]
        dr = dist_points_to_geom_m(dv2, osm)
        print(
            f"  drawn exact vertices vs OSM track: max {dr.max():.2f} m ({len(dv2)} drawn vertices)"
        )

    # ---------------------------------------------------------------- Pakistan polygon
    print(
        "\n== corridor features vs the Pakistan polygon (tolerance "
        f"{BORDER_TOLERANCE_M:.0f} m for lines)"
    )
    if args.refdata:
        pak_fc = json.loads(
            (args.refdata / "pakistan_adm0_ne10m.geojson").read_text(encoding="utf-8")
        )
    else:
        pak_fc = data["pakistan_boundary"]
    pak = shape(pak_fc["features"][0]["geometry"])
    foreign = shapely.unary_union(
        [shape(f["geometry"]) for f in data["neighbours"]["features"]]
        + [
            shape(f["geometry"])
            for f in data["disputed_areas"]["features"]
            if "Admin. by Pakistan" not in f["properties"]["note"]
        ]
    )
    foreign = foreign.difference(pak)
    n_out = 0
    for stem, fc in data.items():
        if layers[stem]["role"] != "corridor" and stem not in (
            "karakoram_highway",
            "fibre_cable",
            "mining_context",
        ):
            continue
        for f in fc["features"]:
            g = shape(f["geometry"])
            if g.geom_type == "Point":
                if not pak.contains(g):
                    db = dist_points_to_geom_m([g.coords[0]], pak.boundary)[0]
                    n_out += 1
                    print(f"  point outside: {stem}/{f['id']} ({db:.0f} m beyond the boundary)")
            else:
                out = g.difference(pak)
                if out.is_empty:
                    continue
                km = geom_len_km(out) if out.geom_type in ("LineString", "MultiLineString") else 0
                inf = g.intersection(foreign)
                fkm = (
                    geom_len_km(inf)
                    if not inf.is_empty and inf.geom_type in ("LineString", "MultiLineString")
                    else 0.0
                )
                n_out += 1
                print(
                    f"  line partly outside: {stem}/{f['id']}: {km * 1000:.0f} m outside the "
                    f"polygon, of which {fkm * 1000:.0f} m in a neighbouring country "
                    f"(rest: sea)"
                )
                if (
                    fkm * 1000 > BORDER_TOLERANCE_M
                    and "khunjerab" not in f["id"]
                    and "karakoram" not in f["id"]
                ):
                    rep.fail(f"{stem}/{f['id']} runs {fkm:.2f} km inside another country")
    print(f"  features outside or partly outside: {n_out}")

    # ---------------------------------------------------------------- size
    size = sum(p.stat().st_size for p in gd.iterdir() if p.is_file())
    print(f"\n== total size of {gd.name}/: {size / 1e6:.3f} MB ({len(list(gd.iterdir()))} files)")
    if size > 1.2e6:
        rep.fail("geodata/ larger than 1.2 MB")

    print("\n== result:", "OK" if not rep.failures else f"{len(rep.failures)} FAILURES")
    return 1 if rep.failures else 0


if __name__ == "__main__":
    sys.exit(main())
