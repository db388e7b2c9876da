"""The written map in a real headless Chromium (Debian's, via Playwright).

Tile requests are answered with a blank local PNG (or refused, for the offline
test); nothing leaves the machine. Skips without Chromium, but fails when CI is set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import GEODATA, GeodataFolder, collection, feature
from conftest import open_map as _open

from cpec_map import build_map
from cpec_map.load import load_dir

pytestmark = pytest.mark.browser

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
    # the title and the data date, the legend, the scale bar, icon buttons drawn in SVG
    assert m.page.locator(".cpec-head h1").inner_text() == "China–Pakistan Economic Corridor"
    assert "Built from geodata of 2026-05-01" in m.page.locator(".cpec-head").inner_text()
    assert m.count(".leaflet-control-scale") == 1
    assert m.count(".cpec-buttons button svg path") == 3
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
    assert m.state()["selected"] == "sites/#0"
    # a click on a feature leaves no focus rectangle (Leaflet 1.9 issues 8659/9126)
    outline = m.eval("() => getComputedStyle(document.activeElement).outlineStyle")
    assert m.eval("() => document.activeElement.tagName") != "path" or outline == "none"
    m.page.locator(".leaflet-popup-close-button").click()
    assert m.state()["selected"] is None
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


def test_layer_toggles_follow_the_store_and_the_legend_follows(browser, small_map: Path) -> None:
    m = _open(browser, small_map)
    m.layers_tab()
    box = m.page.locator('.cpec-panel input[data-layer="route"]')
    assert box.is_checked()
    assert m.count('.cpec-legend li[data-layer="route"]') == 1
    box.uncheck()
    assert m.count("path.cpec-layer-route") == 0
    assert m.count('.cpec-legend li[data-layer="route"]') == 0
    assert m.state()["layers"]["route"] is False
    box.check()
    assert m.count("path.cpec-layer-route") == 1
    # the legend keys follow the visible layers: only the zone is proposed
    assert "Proposed" in m.page.locator(".cpec-legend").inner_text()
    m.page.locator('.cpec-panel input[data-layer="zones"]').uncheck()
    assert "Proposed" not in m.page.locator(".cpec-legend").inner_text()
    groups = m.page.locator(".cpec-layers fieldset legend").all_text_contents()
    assert groups == ["Context", "Railways", "Sites", "Other layers"]
    # context groups start folded; a click opens them
    towns = m.page.locator('.cpec-panel input[data-layer="towns"]')
    assert towns.is_hidden()
    m.page.locator(".cpec-fold", has_text="Context").click()
    towns.uncheck()  # labels fade out over 200 ms
    m.page.wait_for_function("() => document.querySelectorAll('.cpec-label').length === 0")
    # switching basemap swaps the tile layer
    m.page.locator('.cpec-panel input[value="satellite"]').check()
    assert m.state()["basemap"] == "satellite"
    assert m.count('.leaflet-tile[src*="World_Imagery"]') > 0
    m.page.close()


def test_filters_hide_features_and_counts_follow(browser, small_map: Path) -> None:
    m = _open(browser, small_map)
    m.layers_tab()
    planned = m.page.locator('input[data-facet="status"][value="planned"]')
    # three statuses occur: operational (1 site), planned (2 sites, 1 route), proposed (zone)
    assert m.page.locator('.cpec-legend li[data-key="status.planned"] .cpec-count').inner_text() == "3"
    planned.uncheck()
    assert m.state()["filters"] == {"status": ["operational", "proposed"]}
    assert m.drawn("sites") == 1 and m.drawn("route") == 0 and m.drawn("zones") == 1
    assert m.count('.cpec-legend li[data-key="status.planned"]') == 0
    assert m.page.locator('.cpec-panel input[data-layer="sites"] ~ .cpec-count').inner_text() == "1/3"
    # a feature without a status (context) is not filtered by status
    assert m.drawn("areas") == 1
    m.page.locator('input[data-facet="precision"][value="approximate"]').uncheck()
    m.page.locator(".cpec-reset").click()
    assert m.state()["filters"] == {}
    assert m.drawn("sites") == 3 and m.drawn("route") == 1
    assert planned.is_checked()
    m.page.close()


def test_interface_speaks_urdu_right_to_left_and_chinese(browser, small_map: Path) -> None:
    m = _open(browser, small_map)
    english = m.page.locator(".cpec-legend").inner_text()
    m.page.locator('.cpec-lang[data-lang="ur"]').click()
    assert m.eval("() => [document.documentElement.lang, document.documentElement.dir]") == ["ur", "rtl"]
    legend = m.page.locator(".cpec-legend").inner_text()
    assert "حیثیت" in legend and "فعال" in legend and "Operational" not in legend
    assert m.page.locator('.cpec-tab[data-tab="layers"]').inner_text() == "پرتیں"
    # the side panel moves to the right in a right-to-left page
    side = m.page.locator(".cpec-side").bounding_box()
    assert side["x"] > 500
    # data without an Urdu translation falls back to English, visibly marked
    title = m.page.locator(".cpec-head h1")
    assert title.get_attribute("class").count("cpec-untranslated") == 1
    assert title.get_attribute("lang") == "en"
    # popups follow the language
    m.eval("() => cpecMap.select('sites/#0')")
    popup = m.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator(".cpec-status").inner_text() == "فعال"
    assert popup.locator("h4").inner_text() == "ماخذ"
    m.page.locator('.cpec-lang[data-lang="zh"]').click()
    assert m.eval("() => document.documentElement.dir") == "ltr"
    assert m.page.locator(".leaflet-popup-content .cpec-status").inner_text() == "已运营"
    m.page.locator(".leaflet-popup-close-button").click()
    assert "状态" in m.page.locator(".cpec-legend").inner_text()
    m.page.locator('.cpec-lang[data-lang="en"]').click()
    assert m.page.locator(".cpec-legend").inner_text() == english
    assert m.errors == []
    m.page.close()


def test_context_layers_take_no_clicks(browser, small_map: Path) -> None:
    m = _open(browser, small_map)
    assert m.count("path.cpec-layer-areas") == 1
    assert m.count("path.cpec-layer-areas.leaflet-interactive") == 0
    box = m.page.locator("path.cpec-layer-areas").bounding_box()
    m.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    m.page.wait_for_timeout(200)
    assert m.count(".leaflet-popup") == 0 and m.state()["selected"] is None
    m.page.close()


def test_offline_map_falls_back_to_the_outline_basemap_and_says_so(browser, small_map: Path) -> None:
    m = _open(browser, small_map, offline=True)
    m.page.wait_for_function("() => cpecMap.store.get().basemap === 'outline'", timeout=10_000)
    assert m.page.locator(".cpec-toast").is_visible()  # seen over the map, not in a folded panel
    assert "could not be loaded" in m.page.locator(".cpec-toast").inner_text()
    assert m.errors == []
    # the only console errors are the refused tile requests
    assert all("net::ERR_FAILED" in c for c in m.console), m.console
    assert m.drawn("sites") == 3
    m.layers_tab()
    assert m.page.locator('.cpec-panel input[value="outline"]').is_checked()
    # the outline has zoom limits: no "1 m" scale over blank
    assert m.eval("() => cpecMap.map.getMaxZoom()") <= 11
    m.page.close()


def test_shipped_map_draws_every_layer(browser, shipped_map: Path) -> None:
    data, _ = load_dir(GEODATA)
    m = _open(browser, shipped_map)
    assert m.errors == [] and m.console == [], (m.errors, m.console)
    state = m.state()
    unplaced = 0
    for layer in data.layers:
        expected = sum(1 for f in layer.features if f.geometry is not None)
        unplaced += len(layer.features) - expected
        if not expected:  # a list of what is not on the map: nothing to draw
            assert layer.stem not in state["layers"], layer.stem
            continue
        assert m.drawn(layer.stem) == expected, layer.stem
        assert state["layers"][layer.stem] is layer.spec.visible, layer.stem
    assert m.eval("() => cpecMap.doc.unmapped.length") == unplaced > 0
    # a popup of a real corridor feature lists its sources
    m.eval("() => cpecMap.select(cpecMap.records.byLayer['gwadar'][0].id)")
    popup = m.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("ol.cpec-sources li").count() >= 1
    m.page.close()


def test_ml1_popup_gives_the_distance_from_karachi(browser, shipped_map: Path) -> None:
    m = _open(browser, shipped_map)
    # Rohri Junction is km post 481, 476 km from Karachi City (km post 5)
    found = m.eval("""() => {
        const rec = cpecMap.records.byLayer['ml1_railway'][0], g = rec.f.geometry;
        const flat = (g.type === 'LineString' ? [g.coordinates] : g.coordinates).flat();
        const i = flat.length - 1;
        cpecMap.select(rec.id, L.latLng(flat[i][1], flat[i][0]));
        return rec.f.chainage[i];
    }""")
    chain = m.page.locator(".leaflet-popup-content .cpec-chainage")
    chain.wait_for()
    assert abs(float(chain.get_attribute("data-km")) - found) < 0.2
    assert "from Karachi City" in chain.inner_text() and "km post" in chain.inner_text()
    m.page.close()


@pytest.mark.parametrize("size", [(1024, 768), (390, 844)])
def test_long_popups_fit_the_screen_and_scroll(browser, shipped_map: Path, size) -> None:
    """Islamabad SEZ has eight sources: its popup must fit, scroll inside, and keep its
    close button clear of the title, the panel and the legend."""
    m = _open(browser, shipped_map, size=size)
    feature_id = m.eval("""() => cpecMap.features.filter(r => r.layer.id === 'sez')
        .sort((a, b) => (b.f.sources || []).length - (a.f.sources || []).length)[0].id""")
    m.eval("id => cpecMap.focusFeature(id)", feature_id)
    popup = m.page.locator(".leaflet-popup")
    popup.wait_for()
    m.page.wait_for_timeout(400)  # auto-pan
    box = popup.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= size[0] and box["y"] + box["height"] <= size[1]
    scroller = m.page.locator(".leaflet-popup-content")
    assert m.eval("""() => { const c = document.querySelector('.leaflet-popup-content');
        return c.scrollHeight > c.clientHeight ? getComputedStyle(c).overflowY : 'fits'; }""") in ("auto", "fits")
    close = m.page.locator(".leaflet-popup-close-button").bounding_box()
    hit = m.eval("([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-popup-close-button')",
                 [close["x"] + close["width"] / 2, close["y"] + close["height"] / 2])
    assert hit
    # the last source can be reached by scrolling
    scroller.evaluate("c => c.scrollTop = c.scrollHeight")
    assert m.page.locator(".cpec-sources li").last.is_visible()
    m.page.close()


def test_labels_never_overlap(browser, shipped_map: Path) -> None:
    for size in ((390, 844), (1024, 768)):
        m = _open(browser, shipped_map, size=size)
        boxes = m.eval("""() => [...document.querySelectorAll('.cpec-label')]
            .filter(n => getComputedStyle(n).visibility !== 'hidden')
            .map(n => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
        assert len(boxes) >= 3
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]
                assert not overlap, (size, a, b)
        m.page.close()


def test_small_screen_opens_on_the_map_with_a_menu(browser, small_map: Path) -> None:
    m = _open(browser, small_map, size=(390, 844))
    assert m.page.locator(".cpec-side").is_hidden()
    assert m.page.locator(".cpec-legend-body").is_hidden()  # legend folded
    m.page.locator(".cpec-menu").click()
    side = m.page.locator(".cpec-side")
    assert side.is_visible() and side.bounding_box()["width"] == 390
    m.page.locator(".cpec-side-close").click()
    assert side.is_hidden()
    m.page.close()


def test_print_gives_one_page_with_title_legend_and_sources(browser, small_map: Path) -> None:
    import re

    m = _open(browser, small_map)
    m.page.emulate_media(media="print")
    assert m.page.locator(".cpec-legend").is_visible()
    assert m.page.locator(".cpec-head h1").is_visible()
    assert m.page.locator(".leaflet-control-attribution").is_visible()
    assert m.page.locator(".cpec-tabs").is_hidden() and m.page.locator(".cpec-buttons").is_hidden()
    pdf = m.page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]+)\]", pdf).group(1).split()]
    assert box[2] > box[3]  # A4 landscape
    assert m.errors == []
    m.page.close()


def test_printing_an_article_shows_the_whole_embedded_map(browser, small_map: Path) -> None:
    article = small_map.with_name("article.html")
    article.write_text(
        '<!DOCTYPE html><html><body><h1>Article</h1><p>Text.</p>'
        f'<iframe src="{small_map.name}#embed" style="width:600px;height:400px;border:0"></iframe>'
        "</body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": 900, "height": 700})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(article.as_uri())
    frame = page.frame_locator("iframe")
    frame.locator("[data-cpec-ready]").first.wait_for()
    page.emulate_media(media="print")
    inner = page.frames[1]
    inner.wait_for_timeout(200)
    size = inner.evaluate("""() => { const r = document.querySelector('.cpec-map').getBoundingClientRect();
        return [r.width, r.height, innerWidth, innerHeight]; }""")
    assert size[0] <= size[2] + 1 and size[1] <= size[3] + 1, size  # not cropped by the frame
    assert inner.locator(".cpec-head h1").is_hidden()  # the article has its own caption
    page.close()


def test_embed_mode_needs_a_modifier_to_zoom_and_folds_the_chrome(browser, small_map: Path) -> None:
    page = browser.new_page(viewport={"width": 640, "height": 480})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(small_map.as_uri() + "#embed")
    page.wait_for_selector("[data-cpec-ready]")
    assert page.evaluate("() => cpecMap.map.gestureHandling.enabled()")
    assert page.locator(".cpec-side").is_hidden() and page.locator(".cpec-legend-body").is_hidden()
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
    m.page.mouse.move(700, 400)
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
    m.eval("() => cpecMap.select('constructor/#0')")
    rows = m.page.locator(".leaflet-popup-content .cpec-props").inner_text()
    assert "c-value" in rows and "t-value" in rows and "p-value" in rows
    assert m.eval("() => ({}).polluted") is None
    m.page.close()


def test_urdu_and_chinese_fonts_travel_inside_the_page(browser, shipped_map: Path) -> None:
    """Machines without CJK or Arabic fonts (like this CI) still draw the names: the
    page carries subset fonts, and the browser uses them for the names it shows."""
    m = _open(browser, shipped_map, fragment="lang=zh")
    m.page.evaluate("document.fonts.ready")
    label = m.eval("() => document.querySelector('.cpec-label').textContent")
    assert label and all("\u4e00" <= ch <= "\u9fff" for ch in label if not ch.isascii())
    assert m.eval(f"() => document.fonts.check('12px \"CPEC Noto Sans SC\"', {label!r})")
    families = m.eval("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("CPEC Noto Sans SC" in f for f in families), families
    m.eval("() => cpecMap.store.set({lang: 'ur'})")
    m.page.evaluate("document.fonts.ready")
    families = m.eval("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("CPEC Noto Sans Arabic" in f for f in families), families
    m.page.close()


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_menu_button_never_covers_the_map_buttons(browser, small_map: Path, lang: str) -> None:
    m = _open(browser, small_map, size=(390, 844), fragment=f"lang={lang}")
    menu = m.page.locator(".cpec-menu").bounding_box()
    for i in range(m.count(".cpec-buttons button")):
        b = m.page.locator(".cpec-buttons button").nth(i).bounding_box()
        overlap = menu["x"] < b["x"] + b["width"] and b["x"] < menu["x"] + menu["width"] and \
            menu["y"] < b["y"] + b["height"] and b["y"] < menu["y"] + menu["height"]
        assert not overlap, (lang, menu, b)
    m.page.close()


def test_timeline_shows_the_corridor_as_it_stood(browser, shipped_map: Path) -> None:
    """The date control: features with no record yet are hidden, the others take the
    status they had; the date travels in the permalink."""
    m = _open(browser, shipped_map)
    m.layers_tab()
    slider = m.page.locator(".cpec-timeline input[type=range]")
    dates = m.eval("() => cpecMap.doc.timeline.dates")
    assert "2021-05-20" in dates and "2025-10-12" in dates
    assert m.page.locator(".cpec-timeline-date").inner_text() == "latest data"
    torkham = "border_markets/torkham-border-crossing"
    assert m.eval("id => cpecMap.records.byId[id].at.status", torkham) == "suspended"
    # before Torkham's closure: operational, drawn with the operational fill
    index = max(i for i, d in enumerate(dates) if d < "2025-10-12")
    slider.fill(str(index))
    assert m.state()["date"] == dates[index]
    assert m.eval("id => cpecMap.records.byId[id].at.status", torkham) == "operational"
    # before the Dhabeji ground-breaking the zone was planned (hollow), before 2017 not there
    dhabeji = "sez/sez-dhabeji"
    m.eval("() => { cpecMap.store.set({date: '2020-01-01'}); }")
    assert m.eval("id => cpecMap.records.byId[id].at.status", dhabeji) == "planned"
    shown_2020 = m.eval("() => cpecMap.shownFeatures().length")
    m.eval("() => { cpecMap.store.set({date: '2010-01-01'}); }")
    assert m.eval("id => cpecMap.records.byId[id].shown", dhabeji) is False
    assert m.eval("() => cpecMap.shownFeatures().length") < shown_2020
    assert "date=2010-01-01" in m.eval("() => location.hash")
    # a popup shows the status of that date and the whole history
    m.eval("() => { cpecMap.store.set({date: null}); cpecMap.select('sez/sez-dhabeji'); }")
    popup = m.page.locator(".leaflet-popup-content")
    assert popup.locator(".cpec-history li").count() == 2
    assert m.errors == []
    m.page.close()
    # any day, not only the slider's stops, from the date field; the slider follows
    m = _open(browser, shipped_map)
    m.layers_tab()
    m.page.locator(".cpec-timeline-pick input[type=date]").fill("2021-01-01")
    assert m.state()["date"] == "2021-01-01"
    khunjerab = "border_markets/khunjerab-pass"
    assert m.eval("id => cpecMap.records.byId[id].at.status", khunjerab) == "suspended"  # COVID
    stop = int(m.page.locator(".cpec-timeline input[type=range]").input_value())
    assert dates[stop] <= "2021-01-01" < (dates[stop + 1] if stop + 1 < len(dates) else "9999")
    m.eval("() => { cpecMap.store.set({date: '2025'}); }")  # a year stands for its first day
    assert m.page.locator(".cpec-timeline-pick input").input_value() == "2025-01-01"
    m.page.close()
    # the permalink restores the date in a fresh page
    fresh = _open(browser, shipped_map, fragment="date=2010-01-01")
    assert fresh.state()["date"] == "2010-01-01"
    assert fresh.eval("id => cpecMap.records.byId[id].shown", dhabeji) is False
    fresh.page.close()


def test_not_on_the_map_list_shows_sources_and_follows_the_language(browser, shipped_map: Path) -> None:
    m = _open(browser, shipped_map)
    box = m.page.locator(".cpec-unmapped")
    count = m.eval("() => cpecMap.doc.unmapped.length")
    assert f"Not on the map ({count})" in box.locator("summary").inner_text()
    box.locator("summary").click()
    assert box.locator(".cpec-unmapped-list > li").count() == count
    assert box.locator(".cpec-sources a").first.get_attribute("href").startswith("https://")
    m.eval("() => { cpecMap.store.set({lang: 'zh'}); }")
    assert "未标注于地图" in box.locator("summary").inner_text()
    # the energy layer offers its type as a filter
    m.layers_tab()
    assert m.count('input[data-facet="type"][value="hydro"]') == 1
    m.page.locator('input[data-facet="type"][value="coal"]').uncheck()
    coal = m.eval("() => cpecMap.records.byLayer['energy'].filter(r => r.f.props.type === 'coal' && r.shown).length")
    assert coal == 0
    assert m.errors == []
    m.page.close()


def test_popup_numbers_the_sources_of_single_figures(browser, shipped_map: Path) -> None:
    m = _open(browser, shipped_map)
    m.eval("() => { cpecMap.select('ml1_railway/ml1-karachi-rohri'); }")
    popup = m.page.locator(".leaflet-popup-content")
    popup.wait_for()
    cost = popup.locator("tr", has=m.page.locator("th", has_text="Cost"))
    ref = cost.locator(".cpec-claim").inner_text()
    n = int(ref.strip("[]"))
    item = popup.locator("ol.cpec-sources > li").nth(n - 1).inner_text()
    assert "ML-1" in item and cost.locator(".cpec-claim").get_attribute("title") in item
    m.page.close()


def test_list_tooltip_and_download_follow_the_timeline(browser, shipped_map: Path) -> None:
    m = _open(browser, shipped_map)
    torkham = "border_markets/torkham-border-crossing"
    m.eval("() => { cpecMap.store.set({date: '2025-01-01', query: 'torkham'}); }")
    row = m.page.locator(f'.cpec-find-row[data-feature="{torkham}"] .cpec-status')
    assert row.get_attribute("data-status") == "operational"
    m.eval("() => { cpecMap.store.set({date: null}); }")
    assert row.get_attribute("data-status") == "suspended"
    # a feature with no record yet leaves the list too
    m.eval("() => { cpecMap.store.set({date: '2010-01-01', query: 'dhabeji'}); }")
    assert m.count('.cpec-find-row[data-feature="sez/sez-dhabeji"]') == 0
    m.eval("() => { cpecMap.store.set({date: '2025-01-01', query: ''}); }")
    m.layers_tab()
    with m.page.expect_download() as d:
        m.page.click(".cpec-download[data-format=geojson]")
    data = json.loads(Path(d.value.path()).read_text(encoding="utf-8"))
    assert data["selection"]["date"] == "2025-01-01"
    crossing = next(f for f in data["features"] if f["id"] == torkham)
    assert crossing["properties"]["status"] == "operational"
    # sources cited by id in the document are whole source objects in the download
    assert all(isinstance(s, dict) and s["title"] for s in crossing["properties"]["sources"])
    parts = [f for f in data["features"] if "part_of" in f["properties"]]
    assert parts and all(f["properties"]["part_of"].startswith("ml1_railway/") for f in parts)
    m.page.close()


def test_parts_name_their_whole_and_history_entries_cite_sources(browser, shipped_map: Path) -> None:
    """A schematic link says which section it belongs to (a button that goes there) and
    follows that section's history; each history entry is numbered into the sources."""
    m = _open(browser, shipped_map)
    link = m.eval("() => cpecMap.records.list.find(r => r.f.partOf).id")
    whole = m.eval("id => cpecMap.records.byId[id].f.partOf", link)
    assert m.eval("id => cpecMap.records.byId[id].f.history.length", link) == \
        m.eval("id => cpecMap.records.byId[id].f.history.length", whole)
    m.eval("id => { cpecMap.select(id); }", link)
    popup = m.page.locator(".leaflet-popup-content")
    button = popup.locator(".cpec-partof button")
    assert button.inner_text() == m.eval("id => cpecMap.records.byId[id].f.name.en", whole)
    button.click()
    assert m.state()["selected"] == whole
    # a property naming another feature (where a section ends) is a link to it too
    m.eval("() => { cpecMap.select('ml1_railway/ml1-karachi-rohri'); }")
    section = m.page.locator('.cpec-popup[data-feature="ml1_railway/ml1-karachi-rohri"]')
    ends = section.locator("tr", has=m.page.locator("th", has_text="Ends at")).locator("button")
    assert ends.inner_text() == "Rohri Junction"
    ends.click()
    assert m.state()["selected"] == "ml1_stations/ml1-st-rohri-junction"
    # a link to a feature the filters hide shows it rather than closing the popup
    m.eval("() => { cpecMap.store.set({filters: {precision: ['schematic']}}); }")
    m.eval("id => { cpecMap.select(id); }", link)
    section_hidden = m.eval("id => cpecMap.records.byId[id].shown", whole)
    m.page.locator(f'.cpec-popup[data-feature="{link}"] .cpec-partof button').click()
    assert section_hidden is False and m.state()["selected"] == whole and m.state()["filters"] == {}
    m.page.locator(f'.cpec-popup[data-feature="{whole}"]').wait_for()
    # Dhabeji's ground-breaking entry points at its Dawn report in the numbered list
    m.eval("() => { cpecMap.select('sez/sez-dhabeji'); }")
    dhabeji = m.page.locator('.cpec-popup[data-feature="sez/sez-dhabeji"]')
    entry = dhabeji.locator(".cpec-history li").nth(1)
    n = int(entry.locator(".cpec-claim").first.inner_text().strip("[]"))
    assert "Dawn" in dhabeji.locator("ol.cpec-sources > li").nth(n - 1).inner_text()
    assert m.errors == []
    m.page.close()


def test_not_on_the_map_list_follows_the_timeline(browser, shipped_map: Path) -> None:
    m = _open(browser, shipped_map)
    box = m.page.locator(".cpec-unmapped")
    box.locator("summary").click()
    aiic = box.locator('li[data-feature="not_on_map/sez-allama-iqbal-industrial-city"] .cpec-status')
    assert aiic.get_attribute("data-status") == "operational"
    m.eval("() => { cpecMap.store.set({date: '2020-06-01'}); }")
    assert aiic.get_attribute("data-status") == "under_construction"
    # the Phase II items were announced in 2025: not listed in mid-2020
    listed = box.locator(".cpec-unmapped-list > li").count()
    expected = m.eval("""() => cpecMap.doc.unmapped.filter(i => !i.history
        || i.history[0].date <= '2020-06-01').length""")
    assert listed == expected < m.eval("() => cpecMap.doc.unmapped.length")
    assert f"({listed})" in box.locator("summary").inner_text()
    assert m.errors == []
    m.page.close()
