"""The written map in a real headless Chromium (Debian's, via Playwright).

Tile requests are answered with a blank local PNG (or refused, for the offline
test); nothing leaves the machine. Skips without Chromium, but fails when CI is set.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM, GEODATA, GeodataFolder, collection, feature

from cpec_map import build_map
from cpec_map.load import load_dir

pytestmark = pytest.mark.browser

BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but Chromium is missing at {CHROMIUM} (.ci/run installs it)")
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A page with the map loaded, and every console message and page error it produced."""

    def __init__(self, page: Any):
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def drawn(self, layer: str) -> int:
        return self.eval("id => cpecMap.groups[id].getLayers().length", layer)


def _open(browser, html: Path, *, offline: bool = False, size=(1280, 800)) -> Opened:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    opened = Opened(page)

    def route(r):
        url = r.request.url
        opened.requests.append(url)
        if url.startswith("file:"):
            return r.continue_()
        if offline:
            return r.abort()
        return r.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    page.route("**/*", route)
    page.goto(html.as_uri())
    page.wait_for_selector("[data-cpec-ready]", timeout=15_000)
    return opened


LINE = {"type": "LineString", "coordinates": [[67.0, 24.85], [68.37, 25.38], [68.9, 27.69]]}
ZONE = {"type": "Polygon", "coordinates": [[[67.3, 24.8], [67.6, 24.8], [67.6, 25.0], [67.3, 25.0], [67.3, 24.8]]]}
DISPUTED = {"type": "Polygon", "coordinates": [[[73.5, 34.5], [75.0, 34.5], [75.0, 36.0], [73.5, 36.0], [73.5, 34.5]]]}
XSS = '<img src=x onerror="window.__xss=1;alert(1)">'


@pytest.fixture
def small_map(geodata: GeodataFolder, tmp_path: Path) -> Path:
    geodata.layer("sites", collection(
        feature("Gwadar Port", {"type": "Point", "coordinates": [62.34, 25.11]}, status="operational",
                sources=[{"title": "Port source", "url": "https://example.org/port", "date": "2025-01-20"},
                         {"title": "Bad link", "url": "javascript:window.__xss=2", "date": "2025"}]),
        feature(XSS, {"type": "Point", "coordinates": [66.99, 24.87]}, description=XSS, note=XSS),
        feature("Dhabeji SEZ", {"type": "Point", "coordinates": [67.50, 24.81]}, precision="approximate",
                uncertainty_m=5000),
    ))
    geodata.layer("route", collection(feature("ML-1", LINE, precision="schematic")))
    geodata.layer("zones", collection(feature("Zone", ZONE, status="proposed")))
    geodata.layer("areas", collection(feature("Gilgit-Baltistan", DISPUTED, status=..., disputed=True)))
    geodata.layer("towns", collection(feature(XSS, {"type": "Point", "coordinates": [68.37, 25.39]}, status=...)))
    geodata.manifest(
        '[layers.areas]\nrole = "context"\ngroup = "Context"\norder = 1\n'
        '[layers.towns]\nrole = "context"\ngroup = "Context"\norder = 2\nlabels = true\n'
        '[layers.route]\ngroup = "Railways"\n[layers.sites]\ngroup = "Sites"\n'
    )
    out = tmp_path / "map.html"
    build_map(geodata.path, out)
    return out


def test_map_loads_clean_and_draws_every_feature(browser, small_map: Path) -> None:
    m = _open(browser, small_map)
    assert m.errors == [] and m.console == [], (m.errors, m.console)
    assert m.drawn("sites") == 3 and m.drawn("route") == 1 and m.drawn("zones") == 1
    # one circle marker per site, plus the uncertainty circle of the approximate one
    assert m.count("path.cpec-layer-sites:not(.cpec-uncertainty)") == 3
    assert m.count("path.cpec-layer-sites.cpec-uncertainty") == 1
    assert m.count("path.cpec-layer-route") == 1
    assert m.count("path.cpec-layer-areas") == 1
    # styling says what the data says
    assert m.page.locator("path.cpec-layer-zones").get_attribute("stroke-dasharray")
    assert float(m.page.locator("path.cpec-layer-route").get_attribute("stroke-opacity")) < 1
    assert m.page.locator("path.cpec-layer-areas").get_attribute("fill").startswith("url(#cpec-hatch")
    # the title, the data date, the legend, the scale bar
    assert m.page.locator(".cpec-title h1").inner_text() == "China–Pakistan Economic Corridor"
    assert "Built from geodata of 2026-05-01" in m.page.locator(".cpec-title").inner_text()
    assert m.count(".leaflet-control-scale") == 1
    assert m.page.locator(".cpec-fullscreen a").is_visible()
    # a labelled layer shows its names as text, always
    assert m.page.locator(".cpec-label").inner_text() == XSS
    legend = m.page.locator(".cpec-legend").inner_text()
    assert "Operational" in legend and "Disputed area" in legend and "Approximate site" in legend
    m.page.close()


def test_popup_shows_sources_as_links_and_only_http_links(browser, small_map: Path) -> None:
    m = _open(browser, small_map)
    m.page.locator("path.cpec-layer-sites:not(.cpec-uncertainty)").first.click()
    popup = m.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("h3").inner_text() == "Gwadar Port"
    link = popup.locator("ol.cpec-sources a")
    assert link.count() == 1
    assert link.get_attribute("href") == "https://example.org/port"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert "javascript:window.__xss=2" in popup.inner_text()  # shown, not linked
    assert popup.locator(".cpec-status").inner_text() == "Operational"
    m.page.close()


def test_markup_in_properties_is_shown_as_text_and_never_runs(browser, small_map: Path) -> None:
    m = _open(browser, small_map)
    target = m.page.locator("path.cpec-layer-sites:not(.cpec-uncertainty)").nth(1)
    target.hover()
    hover = m.page.locator(".leaflet-tooltip:not(.cpec-label)")
    hover.wait_for()
    assert XSS in hover.inner_text()
    target.click()
    popup = m.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("h3").inner_text() == XSS
    assert XSS in popup.locator(".cpec-desc").inner_text()
    assert popup.locator("img").count() == 0 and m.count("img[src=x]") == 0
    m.page.wait_for_timeout(200)
    assert m.eval("() => window.__xss") is None
    assert m.errors == []
    m.page.close()


def test_layer_control_toggles_a_layer_and_the_legend(browser, small_map: Path) -> None:
    m = _open(browser, small_map)
    box = m.page.locator('.cpec-panel input[data-layer="route"]')
    assert box.is_checked()
    assert m.count('.cpec-legend li[data-layer="route"]') == 1
    box.uncheck()
    assert m.count("path.cpec-layer-route") == 0
    assert m.count('.cpec-legend li[data-layer="route"]') == 0
    box.check()
    assert m.count("path.cpec-layer-route") == 1
    # the legend keys follow the visible layers: only the zone is proposed
    assert "Proposed" in m.page.locator(".cpec-legend").inner_text()
    m.page.locator('.cpec-panel input[data-layer="zones"]').uncheck()
    assert "Proposed" not in m.page.locator(".cpec-legend").inner_text()
    groups = m.page.locator(".cpec-panel fieldset legend").all_text_contents()
    assert groups[:3] == ["Context", "Railways", "Sites"] and groups[-1] == "Basemap"
    # context groups start folded; a click opens them
    towns = m.page.locator('.cpec-panel input[data-layer="towns"]')
    assert towns.is_hidden()
    m.page.locator(".cpec-fold", has_text="Context").click()
    towns.uncheck()  # labels fade out over 200 ms
    m.page.wait_for_function("() => document.querySelectorAll('.cpec-label').length === 0")
    # switching basemap swaps the tile layer
    m.page.locator('.cpec-panel input[value="satellite"]').check()
    assert m.eval("() => cpecMap.basemap") == "satellite"
    assert m.count('.leaflet-tile[src*="World_Imagery"]') > 0
    m.page.close()


def test_offline_map_falls_back_to_the_outline_basemap(browser, small_map: Path) -> None:
    m = _open(browser, small_map, offline=True)
    m.page.wait_for_function("() => cpecMap.basemap === 'outline'", timeout=10_000)
    assert m.page.locator(".cpec-notice").is_visible()
    assert m.errors == []
    # the only console errors are the refused tile requests
    assert all("net::ERR_FAILED" in c for c in m.console), m.console
    assert m.drawn("sites") == 3
    assert m.page.locator('.cpec-panel input[value="outline"]').is_checked()
    m.page.close()


def test_shipped_map_draws_every_layer(browser, tmp_path: Path) -> None:
    out = tmp_path / "cpec_map.html"
    result = build_map(GEODATA, out)
    data, _ = load_dir(GEODATA)
    m = _open(browser, out)
    assert m.errors == [] and m.console == [], (m.errors, m.console)
    for layer in data.layers:
        expected = sum(1 for f in layer.features if f.geometry is not None)
        assert m.drawn(layer.stem) == expected, layer.stem
        if layer.spec.visible:
            assert m.eval("id => cpecMap.isVisible(id)", layer.stem), layer.stem
    assert result.geodata.feature_count == sum(len(la.features) for la in data.layers)
    # a popup of a real corridor feature lists its sources
    m.eval("() => { const g = cpecMap.groups['gwadar'].getLayers()[0]; g.openPopup(); }")
    popup = m.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("ol.cpec-sources li").count() >= 1
    m.page.close()


def test_small_screen_collapses_the_panel(browser, small_map: Path) -> None:
    m = _open(browser, small_map, size=(400, 700))
    assert m.page.locator(".cpec-panel-body").is_hidden()
    m.page.locator(".cpec-panel-toggle").click()
    assert m.page.locator(".cpec-panel-body").is_visible()
    m.page.close()


def test_print_gives_one_page_with_title_legend_and_sources(browser, small_map: Path) -> None:
    import re

    m = _open(browser, small_map)
    m.page.emulate_media(media="print")
    assert m.page.locator(".cpec-legend").is_visible()
    assert m.page.locator(".cpec-title").is_visible()
    assert m.page.locator(".leaflet-control-attribution").is_visible()
    assert m.page.locator(".cpec-panel").is_hidden() and m.page.locator(".leaflet-control-zoom").is_hidden()
    pdf = m.page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]+)\]", pdf).group(1).split()]
    assert box[2] > box[3]  # A4 landscape
    assert m.errors == []
    m.page.close()


def test_embed_mode_needs_a_modifier_to_zoom_and_folds_the_chrome(browser, small_map: Path) -> None:
    page = browser.new_page(viewport={"width": 640, "height": 480})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(small_map.as_uri() + "#embed")
    page.wait_for_selector("[data-cpec-ready]")
    assert page.evaluate("() => cpecMap.map.gestureHandling.enabled()")
    assert page.locator(".cpec-panel-body").is_hidden() and page.locator(".cpec-title").is_hidden()
    zoom = page.evaluate("() => cpecMap.map.getZoom()")
    page.mouse.move(320, 240)
    page.mouse.wheel(0, -400)  # a page scroll over the map...
    page.wait_for_timeout(400)
    assert page.evaluate("() => cpecMap.map.getZoom()") == zoom  # ...does not zoom it
    assert "ctrl" in (page.locator(".cpec-map").get_attribute("data-gesture-handling-scroll-content") or "").lower()
    page.close()


def test_standalone_map_zooms_with_the_wheel(browser, small_map: Path) -> None:
    m = _open(browser, small_map)
    assert not m.eval("() => cpecMap.map.gestureHandling.enabled()")
    zoom = m.eval("() => cpecMap.map.getZoom()")
    m.page.mouse.move(400, 400)
    m.page.mouse.wheel(0, -400)
    m.page.wait_for_function(f"() => cpecMap.map.getZoom() > {zoom}")
    m.page.close()


def test_names_of_javascript_builtins_are_just_data(browser, geodata: GeodataFolder, tmp_path: Path) -> None:
    geodata.layer("constructor", collection(
        feature("Site", {"type": "Point", "coordinates": [67.0, 24.9]}, constructor="c-value",
                toString="t-value", __proto__="p-value")))
    geodata.layer("other", collection(feature("Other", {"type": "Point", "coordinates": [68.0, 25.0]})))
    geodata.manifest('[layers.constructor]\ngroup = "constructor"\n[layers.other]\ngroup = "__proto__"\n')
    out = tmp_path / "m.html"
    build_map(geodata.path, out)
    m = _open(browser, out)
    assert m.errors == [] and m.console == [], (m.errors, m.console)
    assert m.drawn("constructor") == 1 and m.drawn("other") == 1
    m.eval("() => cpecMap.groups['constructor'].getLayers()[0].openPopup()")
    rows = m.page.locator(".leaflet-popup-content .cpec-props").inner_text()
    assert "c-value" in rows and "t-value" in rows and "p-value" in rows
    assert m.eval("() => ({}).polluted") is None
    m.page.close()
