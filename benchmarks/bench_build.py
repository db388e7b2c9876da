"""Benchmark cpec-map against plain folium and GeoDataFrame.explore() on the same data.

    python benchmarks/bench_build.py [--geodata DIR] [--synthetic N] [--browser]

For each tool it builds an HTML map of every layer in the folder (with tooltips and
popups of all properties, which is what cpec-map shows) and reports build time, HTML
size and, with ``--browser``, the time headless Chromium takes until the map is drawn.
Results are printed as absolute figures and as ratios to cpec-map. Timing belongs
here, never in the test suite.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np

import cpec_map
from cpec_map.load import load_dir


def synthetic(folder: Path, n: int, seed: int = 1) -> Path:
    """A folder with n points, n/10 lines of 50 vertices and n/100 polygons, seeded."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)

    def props(i: int) -> dict:
        return {
            "name": f"Feature {i}",
            "status": rnd.choice(["operational", "planned", "proposed"]),
            "description": "Synthetic feature for benchmarking " * 2,
            "sources": [{"title": "Synthetic", "url": "https://example.org", "date": "2026-01-01"}],
            "value": rnd.random() * 1000,
        }

    def write(stem: str, feats: list) -> None:
        (folder / f"{stem}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8"
        )

    pts = [
        {
            "type": "Feature",
            "properties": props(i),
            "geometry": {
                "type": "Point",
                "coordinates": [rnd.uniform(61, 75), rnd.uniform(24, 36)],
            },
        }
        for i in range(n)
    ]
    write("points", pts)
    lines = []
    for i in range(max(1, n // 10)):
        x, y = rnd.uniform(61, 75), rnd.uniform(24, 36)
        coords = []
        for _ in range(50):
            x += rnd.uniform(-0.01, 0.01)
            y += rnd.uniform(-0.01, 0.01)
            coords.append([x, y])
        lines.append(
            {
                "type": "Feature",
                "properties": props(i),
                "geometry": {"type": "LineString", "coordinates": coords},
            }
        )
    write("lines", lines)
    polys = []
    for i in range(max(1, n // 100)):
        x, y = rnd.uniform(61, 75), rnd.uniform(24, 36)
        ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
        polys.append(
            {
                "type": "Feature",
                "properties": props(i),
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    write("polygons", polys)
    return folder


def run_cpec(geodata: Path, out: Path) -> None:
    cpec_map.build_map(geodata, out)


def _frames(geodata: Path) -> list[tuple[str, gpd.GeoDataFrame]]:
    frames = []
    for path in sorted(geodata.glob("*.geojson")):
        gdf = gpd.read_file(path)
        gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]  # nothing to draw otherwise
        if gdf.empty:
            continue  # a list of what is not on the map: folium and explore() cannot show it
        # folium cannot serialise list/dict columns; give it text, as a user would
        for col in gdf.columns:
            if col == "geometry":
                continue
            if str(gdf[col].dtype).startswith("datetime"):
                gdf[col] = gdf[col].astype(str)  # folium cannot serialise timestamps either
            elif gdf[col].map(lambda v: isinstance(v, (list, dict, np.ndarray))).any():
                gdf[col] = gdf[col].map(lambda v: json.dumps(v, default=_plain))
        frames.append((path.stem, gdf))
    return frames


def _plain(value: object) -> object:
    return value.tolist() if isinstance(value, np.ndarray) else str(value)


def run_folium(geodata: Path, out: Path) -> None:
    m = folium.Map(location=[30, 69], zoom_start=5)
    for stem, gdf in _frames(geodata):
        fields = [c for c in gdf.columns if c != "geometry"]
        folium.GeoJson(
            gdf,
            name=stem,
            tooltip=folium.GeoJsonTooltip(fields=fields[:1]),
            popup=folium.GeoJsonPopup(fields=fields),
        ).add_to(m)
    folium.LayerControl().add_to(m)
    m.save(out)


def run_explore(geodata: Path, out: Path) -> None:
    m = None
    for stem, gdf in _frames(geodata):
        m = gdf.explore(m=m, name=stem, tooltip=True, popup=True)
    folium.LayerControl().add_to(m)
    m.save(out)


def browser_ms(html: Path, ready: str) -> float:
    """Milliseconds from navigation until ``ready`` holds, with no network.

    folium pages link Leaflet from a CDN; it is served here from the local
    xstatic-leaflet copy (other CDN files as empty stubs) so they can draw at all.
    """
    import xstatic.pkg.leaflet as xleaflet
    from playwright.sync_api import sync_playwright

    local = Path(xleaflet.BASE_DIR)

    def route(r):
        url = r.request.url
        if url.startswith("file:"):
            return r.continue_()
        name = url.rsplit("/", 1)[-1]
        if name in ("leaflet.js", "leaflet.css"):
            return r.fulfill(path=str(local / name))
        kind = "text/css" if name.endswith(".css") else "application/javascript"
        return r.fulfill(status=200, content_type=kind, body="")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", route)
        start = time.perf_counter()
        page.goto(html.as_uri(), wait_until="load", timeout=600_000)
        page.wait_for_function(ready, timeout=600_000)
        elapsed = (time.perf_counter() - start) * 1000
        browser.close()
    if errors:
        print(f"  page errors in {html.name}: {errors[:2]}")
    return elapsed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--geodata", type=Path, help="folder to map (default: synthetic data)")
    p.add_argument("--synthetic", type=int, default=20_000, help="points in synthetic data")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--browser", action="store_true", help="also time loading in Chromium")
    args = p.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        geodata = args.geodata or synthetic(tmpdir / "geodata", args.synthetic)
        data, _ = load_dir(geodata)
        print(
            f"data: {geodata} - {len(data.layers)} layers, {data.feature_count:,} features, "
            f"{sum(p.stat().st_size for p in geodata.glob('*.geojson')) / 1e6:.1f} MB GeoJSON"
        )
        results = {}
        for name, fn in (("cpec-map", run_cpec), ("folium", run_folium), ("explore", run_explore)):
            out = tmpdir / f"{name}.html"
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                fn(geodata, out)
                times.append(time.perf_counter() - start)
            row = {"build_s": statistics.median(times), "html_mb": out.stat().st_size / 1e6}
            if args.browser:
                ready = (
                    "() => document.querySelector('[data-cpec-ready]')"
                    if name == "cpec-map"
                    else "() => document.querySelectorAll('.leaflet-interactive').length > 0"
                )
                row["load_ms"] = browser_ms(out, ready)
            results[name] = row
        base = results["cpec-map"]
        print(
            f"{'tool':10} {'build s':>9} {'HTML MB':>9}"
            + (f" {'load ms':>9}" if args.browser else "")
            + "   ratios to cpec-map (build, size"
            + (", load)" if args.browser else ")")
        )
        for name, row in results.items():
            line = f"{name:10} {row['build_s']:9.2f} {row['html_mb']:9.2f}"
            ratios = [row["build_s"] / base["build_s"], row["html_mb"] / base["html_mb"]]
            if args.browser:
                line += f" {row['load_ms']:9.0f}"
                ratios.append(row["load_ms"] / base["load_ms"])
            print(line + "   " + ", ".join(f"{r:.2f}x" for r in ratios))


if __name__ == "__main__":
    main()
