"""Sharing in a real headless Chromium: permalinks in the URL fragment, Copy link, and the
GeoJSON and CSV downloads of the features shown.

Tile requests are answered with a blank local PNG; nothing leaves the machine. Skips
without Chromium, but fails when CI is set.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import BLANK_PNG, GeodataFolder, collection, feature

from cpec_map import build_map

pytestmark = pytest.mark.browser

SIZE = {"width": 1280, "height": 800}
STATE = "() => { var s = cpecMap.store.get(); return {view: s.view, layers: s.layers, filters: s.filters, lang: s.lang, query: s.query, selected: s.selected, basemap: s.basemap}; }"
HYPERLINK = '=HYPERLINK("http://x")'
LINE = {"type": "LineString", "coordinates": [[67.0, 24.85], [68.37, 25.38], [68.9, 27.69]]}
ZONE = {"type": "Polygon", "coordinates": [[[67.3, 24.8], [67.6, 24.8], [67.6, 25.0], [67.3, 25.0], [67.3, 24.8]]]}


class Opened:
    """A page with the map loaded, and every console message and page error it produced."""

    def __init__(self, browser: Any, url: str):
        self.page = page = browser.new_page(viewport=SIZE)
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else r.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
        page.goto(url)
        page.wait_for_selector("[data-cpec-ready]", timeout=15_000)

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def state(self) -> dict[str, Any]:
        return self.eval(STATE)

    def fragment(self) -> str:
        return self.eval("() => location.hash")

    def download(self, fmt: str) -> tuple[str, bytes]:
        with self.page.expect_download() as d:
            self.page.click(f".cpec-download[data-format={fmt}]")
        return d.value.suggested_filename, Path(d.value.path()).read_bytes()

    def clean(self) -> None:
        assert self.errors == [] and self.console == [], (self.errors, self.console)


@pytest.fixture(scope="module")
def defaults(browser, shipped_map: Path) -> dict[str, Any]:
    """The state of the shipped map opened without a fragment."""
    m = Opened(browser, shipped_map.as_uri())
    state = m.state()
    m.clean()
    assert m.fragment() == ""  # the map as it opens has no fragment
    m.page.close()
    return state


def _site(fid: str, name: Any, coords: list[float], **props: Any) -> dict[str, Any]:
    out = feature(name, {"type": "Point", "coordinates": coords}, **props)
    out["id"] = fid
    return out


@pytest.fixture(scope="module")
def small_map(tmp_path_factory) -> Path:
    """Sites with formula-like and Urdu text, a line, a zone and a context layer."""
    geodata = GeodataFolder(tmp_path_factory.mktemp("small") / "geodata")
    geodata.layer("sites", collection(
        _site("hyperlink", HYPERLINK, [62.34, 25.11], description="+1", name_ur="گوادر بندرگاہ",
              name_zh="瓜达尔港", elevation_m=-3.5, code="-3.5", contact="@here", population=120000,
              **{"__proto__": "data", "constructor": "\tcell"}),
        _site("dhabeji", "Dhabeji SEZ", [67.5, 24.81], status="operational", precision="approximate",
              uncertainty_m=5000, sources=[{"title": "Board, a \"quote\"", "publication": "Gazette", "accessed": "2026-02"}]),
        _site("port", "Port Qasim", [67.35, 24.78], status="under_construction"),
    ))
    route = feature("ML-1", LINE, precision="schematic")
    route["id"] = "ml1"
    geodata.layer("route", collection(route))
    zone = feature("Zone", ZONE, status="proposed")
    zone["id"] = "zone"
    geodata.layer("zones", collection(zone))
    geodata.layer("towns", collection(_site("hyd", "Hyderabad", [68.37, 25.39], status=...)))
    geodata.manifest('[layers.towns]\nrole = "context"\ngroup = "Context"\norder = 1\n')
    out = geodata.path.parent / "map.html"
    build_map(geodata.path, out)
    return out


@pytest.fixture
def small(browser, small_map: Path):
    m = Opened(browser, small_map.as_uri())
    yield m
    m.page.close()


# --- permalinks ----------------------------------------------------------------------------


def test_permalink_round_trip_restores_the_whole_state(browser, shipped_map: Path, defaults) -> None:
    a = Opened(browser, shipped_map.as_uri())
    entries = a.eval("() => history.length")
    a.eval("() => { cpecMap.map.setView([24.9, 67.4], 9, {animate: false}); }")
    a.eval("() => { var s = cpecMap.store; s.set({layers: s.withLayer('cities', false)}); }")
    a.eval("() => { var s = cpecMap.store; s.set({filters: s.withFilter('status', ['operational', 'under_construction'])}); }")
    a.page.click(".cpec-lang[data-lang=ur]")
    a.eval("() => cpecMap.select('sez/sez-dhabeji')")
    a.page.wait_for_selector('.cpec-popup[data-feature="sez/sez-dhabeji"]')
    a.page.wait_for_timeout(1500)  # popup auto-pan (animated), then the debounced view write
    href = a.eval("() => location.href")
    fragment = href.split("#", 1)[1]
    parts = fragment.split("&")
    assert re.fullmatch(r"map=9/\d+\.\d{1,4}/\d+\.\d{1,4}", parts[0]), fragment
    assert "status=operational,under_construction" in parts and "lang=ur" in parts
    assert "sel=sez%2Fsez-dhabeji" in parts
    layers = next(p for p in parts if p.startswith("layers=")).split("=")[1].split(",")
    assert "cities" not in layers and "ml1_railway" in layers and "fibre_cable" not in layers
    assert not any(p.startswith(("q=", "base=")) for p in parts)  # defaults are not written
    assert a.eval("() => history.length") == entries  # replaceState: no history entry per change
    before = a.state()
    a.clean()
    a.page.close()

    b = Opened(browser, href)
    after = b.state()
    assert after["view"]["zoom"] == before["view"]["zoom"] == 9
    assert after["view"]["lat"] == pytest.approx(before["view"]["lat"], abs=1e-4)
    assert after["view"]["lng"] == pytest.approx(before["view"]["lng"], abs=1e-4)
    for key in ("layers", "filters", "lang", "selected", "query", "basemap"):
        assert after[key] == before[key], key
    assert after["lang"] == "ur" and after["selected"] == "sez/sez-dhabeji"
    assert after["layers"]["cities"] is False and after["layers"] != defaults["layers"]
    assert b.eval("() => document.documentElement.dir") == "rtl"
    assert b.page.locator('.leaflet-popup .cpec-popup[data-feature="sez/sez-dhabeji"]').is_visible()
    assert b.page.locator("path.cpec-layer-cities").count() == 0

    # the user edits the fragment: the map follows, and the URL is written back tidy
    b.eval("() => cpecMap.store.set({basemap: 'osm'})")
    linked = b.fragment()
    assert linked == "#" + fragment + "&base=osm"
    b.eval("() => { location.hash = '#lang=zh&q=karachi'; }")
    b.page.wait_for_function("() => cpecMap.store.get().lang === 'zh'")
    b.page.wait_for_timeout(400)
    edited = b.state()
    assert edited["layers"] == defaults["layers"] and edited["filters"] == {}
    assert edited["selected"] is None and edited["query"] == "karachi"
    assert edited["view"] == pytest.approx(defaults["view"])
    assert b.fragment() == "#lang=zh&q=karachi"
    assert b.page.locator(".leaflet-popup").count() == 0
    # ... and back to the link (as the back button would)
    b.eval("f => { location.hash = f; }", linked)
    b.page.wait_for_function("() => cpecMap.store.get().lang === 'ur'", timeout=5000)
    assert b.state() == {**after, "basemap": "osm"}
    assert b.page.locator('.leaflet-popup .cpec-popup[data-feature="sez/sez-dhabeji"]').is_visible()
    b.clean()
    b.page.close()


GARBAGE = {
    "brief": "map=NaN/Infinity/1e999&layers=<script>&sel=__proto__&status=constructor",
    "out-of-range": "map=1e999/91/-181&lang=xx&base=__proto__&precision=toString,valueOf&layers=,,",
    "bad-escapes": "map=%E0%A4%A/1/2&layers=%E0%A4%A&sel=%&lang=%ZZ&status=%E0%A4%A,&q=%E0%A4%A",
    "markup": "sel=%3Cimg%20src%3Dx%20onerror%3D%22window.__xss%3D1%22%3E&layers=%3Csvg%20onload%3Dalert(1)%3E&base=javascript:alert(1)",
    "prototype": "__proto__=1&constructor=2&hasOwnProperty=3&map=5/__proto__/1&facet.__proto__=x&&&=&%",
    "100kB": "lang=ur&layers=" + "x," * 50_000,
}


def _assert_defaults(m: Opened, defaults: dict[str, Any]) -> None:
    state = m.state()
    assert state["view"] == pytest.approx(defaults["view"])
    for key in ("layers", "filters", "lang", "selected", "query", "basemap"):
        assert state[key] == defaults[key], key
    assert m.eval("() => window.__xss") is None
    written = m.fragment()  # the garbage is gone from the URL; harmless plain flags may stay
    assert len(written) < 100 and "<" not in written and "map=" not in written, written


@pytest.mark.parametrize("name", ["brief", "bad-escapes", "100kB"])
def test_garbage_fragment_on_opening_keeps_the_defaults(browser, shipped_map: Path, defaults, name: str) -> None:
    m = Opened(browser, f"{shipped_map.as_uri()}#{GARBAGE[name]}")
    _assert_defaults(m, defaults)
    m.clean()
    m.page.close()


def test_garbage_fragment_typed_in_resets_to_the_defaults(browser, shipped_map: Path, defaults) -> None:
    m = Opened(browser, shipped_map.as_uri())
    for name, fragment in GARBAGE.items():
        m.eval("""() => { var s = cpecMap.store; cpecMap.map.setView([30, 70], 8, {animate: false});
            s.set({lang: 'zh', query: 'x', layers: s.withLayer('sez', false), selected: 'gwadar/gwadar-port'}); }""")
        assert m.state()["lang"] == "zh", name
        m.eval("f => { location.hash = f; }", fragment)
        m.page.wait_for_function("() => cpecMap.store.get().lang === 'en'", timeout=5000)
        _assert_defaults(m, defaults)
    m.clean()
    m.page.close()


def test_fragment_keeps_the_article_flag_and_skips_unknown_values(browser, small_map: Path) -> None:
    m = Opened(browser, small_map.as_uri() + "#embed&status=planned,nonsense&layers=zones,nowhere&sel=zones%2Fzone&flag")
    state = m.state()
    assert state["filters"] == {"status": ["planned"]}
    assert [k for k, on in state["layers"].items() if on] == ["zones"]
    assert state["selected"] == "zones/zone"
    assert m.eval("() => cpecMap.embedded") is True
    m.eval("() => cpecMap.store.set({lang: 'zh'})")
    assert m.fragment() == "#embed&flag&layers=zones&status=planned&lang=zh&sel=zones%2Fzone"
    m.clean()
    m.page.close()


# --- Copy link -----------------------------------------------------------------------------

FAKE_CLIPBOARD = """ok => Object.defineProperty(navigator, 'clipboard', {configurable: true, value: {
  writeText: function (t) { window.__copied = t; return ok ? Promise.resolve() : Promise.reject(new Error('denied')); }}})"""


def test_copy_link_puts_the_link_on_the_clipboard(small) -> None:
    small.eval("() => cpecMap.store.set({lang: 'zh'})")
    small.eval(FAKE_CLIPBOARD, True)
    small.page.click(".cpec-copy-link")
    status = small.page.locator(".cpec-tools-status[role=status]")
    status.wait_for()
    assert status.inner_text() == "链接已复制"
    assert small.eval("() => window.__copied") == small.eval("() => location.href")
    assert small.eval("() => window.__copied").endswith("#lang=zh")
    assert small.page.locator(".cpec-copy-input").is_hidden()
    small.clean()


def test_copy_link_falls_back_to_a_selected_field(small) -> None:
    field = small.page.locator(".cpec-copy-input")
    for clipboard, layer in (("refused", "route"), ("absent", "zones")):
        if clipboard == "refused":
            small.eval(FAKE_CLIPBOARD, False)
        else:
            small.eval("() => Object.defineProperty(navigator, 'clipboard', {configurable: true, value: undefined})")
        small.eval("id => { var s = cpecMap.store; s.set({layers: s.withLayer(id, false)}); }", layer)
        small.page.click(".cpec-copy-link")
        field.wait_for()
        href = small.eval("() => location.href")
        assert "#layers=" in href and field.input_value() == href, clipboard
        assert field.get_attribute("readonly") is not None
        label = small.page.locator(".cpec-copy-manual label")
        assert label.inner_text() == "Copy this link:"
        assert label.get_attribute("for") == field.get_attribute("id")
        selected = small.eval("() => { var i = document.activeElement; return i.classList.contains('cpec-copy-input') && i.selectionStart === 0 && i.selectionEnd === i.value.length; }")
        assert selected, clipboard
        # the field follows later changes, and closes
        small.eval("() => cpecMap.store.set({lang: 'ur'})")
        assert field.input_value().endswith("&lang=ur")
        small.page.click(".cpec-copy-close")
        assert field.is_hidden()
        small.eval("() => cpecMap.store.set({lang: 'en'})")
    small.clean()


# --- downloads -----------------------------------------------------------------------------


def _shown(m: Opened) -> list[str]:
    return m.eval("() => cpecMap.shownFeatures().map(r => r.id)")


def test_geojson_download_is_the_features_shown_with_sources_and_credits(small) -> None:
    name, raw = small.download("geojson")
    assert re.fullmatch(r"cpec-map-features-\d{4}-\d{2}-\d{2}\.geojson", name)
    data = json.loads(raw.decode("utf-8"))
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == _shown(small)
    assert len(data["features"]) == 6
    names = small.eval("() => cpecMap.doc.credits")
    assert data["attribution"] == names
    assert data["data_date"] == name[18:28] and data["title"] and data["generated_from"]["version"] == 1
    site = next(f for f in data["features"] if f["id"] == "sites/hyperlink")
    assert site["geometry"] == {"type": "Point", "coordinates": [62.34, 25.11]}
    props = site["properties"]
    assert props["name"] == HYPERLINK and props["name_ur"] == "گوادر بندرگاہ" and props["name_zh"] == "瓜达尔港"
    assert props["description"] == "+1" and props["elevation_m"] == -3.5 and props["code"] == "-3.5"
    assert props["layer"] == "sites" and props["status"] == "planned"
    assert props["__proto__"] == "data" and props["constructor"] == "\tcell"
    assert props["sources"] == [{"title": "Test source", "url": "https://example.org/source", "date": "2026-05-01"}]
    approx = next(f for f in data["features"] if f["id"] == "sites/dhabeji")["properties"]
    assert approx["precision"] == "approximate" and approx["uncertainty_m"] == 5000
    assert "uncertainty_m" not in props

    # a status filter: only those statuses (the town has no status and stays)
    small.eval("() => { var s = cpecMap.store; s.set({filters: s.withFilter('status', ['planned', 'proposed'])}); }")
    _, raw = small.download("geojson")
    data = json.loads(raw.decode("utf-8"))
    assert [f["id"] for f in data["features"]] == _shown(small)
    assert {f["properties"].get("status") for f in data["features"]} == {"planned", "proposed", None}
    assert data["selection"]["filters"] == {"status": ["planned", "proposed"]}
    # downloads follow the map, not the list's search
    small.eval("() => cpecMap.store.set({query: 'zone'})")
    _, raw = small.download("geojson")
    assert len(json.loads(raw.decode("utf-8"))["features"]) == len(_shown(small)) == 4
    small.clean()


def test_csv_download_is_spreadsheet_safe(small) -> None:
    small.eval("() => { var s = cpecMap.store; s.set({layers: s.withLayer('zones', false)}); }")
    name, raw = small.download("csv")
    assert name.endswith(".csv") and name.startswith("cpec-map-features-")
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header[:13] == ["id", "layer", "name", "name_ur", "name_zh", "status", "as_of", "precision",
                           "uncertainty_m", "lon", "lat", "geometry_type", "description"]
    assert header[13:] == ["__proto__", "code", "constructor", "contact", "elevation_m", "population", "sources", "attribution"]
    assert [r[0] for r in body] == _shown(small) and len(body) == 5
    row = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    site = row["sites/hyperlink"]
    assert site["name"] == "'" + HYPERLINK and site["description"] == "'+1"
    assert site["contact"] == "'@here" and site["code"] == "'-3.5"  # text that looks like a formula
    assert site["constructor"] == "'\tcell" and site["__proto__"] == "data"
    assert site["name_ur"] == "گوادر بندرگاہ" and site["name_zh"] == "瓜达尔港"
    assert float(site["elevation_m"]) == -3.5 and site["elevation_m"] == "-3.5"  # a number stays one
    assert site["population"] == "120000"
    assert (float(site["lon"]), float(site["lat"])) == (62.34, 25.11)
    assert site["sources"] == "Test source — https://example.org/source (2026-05-01)"
    assert site["attribution"] == "; ".join(small.eval("() => cpecMap.doc.credits"))
    dhabeji = row["sites/dhabeji"]
    assert dhabeji["uncertainty_m"] == "5000" and dhabeji["precision"] == "approximate"
    assert dhabeji["sources"] == 'Board, a "quote" — Gazette (accessed 2026-02)'
    line = row["route/ml1"]
    assert (line["lon"], line["lat"], line["geometry_type"]) == ("68.37", "25.38", "LineString")
    assert row["towns/hyd"]["layer"] == "towns" and row["towns/hyd"]["status"] == ""
    small.clean()
