"""Accessibility: axe-core in Chromium, the keyboard alone, and colour-vision deficiency."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from conftest import GEODATA, open_map

from cpec_map.document import build_document
from cpec_map.load import load_dir
from cpec_map.model import MapOptions
from cpec_map.style import CORRIDOR_PALETTE


def _axe(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [v for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("size", "fragment", "setup"),
    [
        ((1440, 900), "", "document.querySelector('[data-tab=layers]').click();"
                          "cpecMap.select(cpecMap.records.byLayer['sez'][0].id)"),
        ((1024, 768), "lang=ur", "cpecMap.store.set({query: 'کراچی'})"),
        ((390, 844), "lang=zh", "cpecMap.side.setOpen(true)"),
    ],
    ids=["desktop-layers-popup", "laptop-urdu-search", "phone-chinese-drawer"],
)
def test_axe_finds_no_serious_or_critical_violations(browser, shipped_map: Path, size, fragment, setup) -> None:
    m = open_map(browser, shipped_map, size=size, fragment=fragment)
    m.eval(f"() => {{ {setup}; }}")
    m.page.wait_for_timeout(300)
    violations = _axe(m.page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    m.page.close()


@pytest.mark.browser
def test_the_map_is_usable_by_keyboard_alone(browser, shipped_map: Path) -> None:
    m = open_map(browser, shipped_map, size=(1440, 900))
    page = m.page
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = m.eval("""() => { const a = document.activeElement;
            const label = a.labels && a.labels.length ? a.labels[0].textContent.trim() : '';
            return [a.tagName.toLowerCase(), a.getAttribute('aria-label') || label || a.textContent.trim() || a.title || '',
                    !!a.closest('.leaflet-overlay-pane, .leaflet-marker-pane, .leaflet-pane svg')]; }""")
        seen.append(info)
    # no map feature is a tab stop, and every stop has a name
    assert not any(in_map for _, _, in_map in seen), seen
    assert all(name for tag, name, _ in seen if tag != "div"), seen
    # the controls are reachable: language, tabs, search, the map itself, zoom buttons
    tags = {tag for tag, _, _ in seen}
    assert {"button", "input"} <= tags
    # switch to Urdu, then to the Layers tab and turn a layer off, all by keyboard
    page.locator('.cpec-lang[data-lang="ur"]').focus()
    page.keyboard.press("Enter")
    assert m.state()["lang"] == "ur"
    page.locator('.cpec-tab[data-tab="find"]').focus()
    page.keyboard.press("ArrowLeft")  # tabs move with the arrow keys
    assert page.locator('.cpec-tab[data-tab="layers"]').get_attribute("aria-selected") == "true"
    page.locator('.cpec-panel input[data-layer="sez"]').focus()
    page.keyboard.press("Space")
    assert m.state()["layers"]["sez"] is False
    # the map itself takes the keyboard: + zooms in
    zoom = m.eval("() => cpecMap.map.getZoom()")
    page.locator(".cpec-map").focus()
    page.keyboard.press("+")
    page.wait_for_function(f"() => cpecMap.map.getZoom() > {zoom}")
    page.close()


# --- colour-vision deficiency -------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
}
#: CIE76 colour difference below which two layer colours are easily confused.
MIN_DELTA_E = 10.0


def _lab(hex_colour: str, matrix) -> tuple[float, float, float]:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (min(1.0, max(0.0, sum(row[j] * rgb[j] for j in range(3)))) for row in matrix)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _closest_pair(colours: list[str], matrix) -> tuple[float, str, str]:
    return min(
        (math.dist(_lab(a, matrix), _lab(b, matrix)), a, b)
        for a, b in itertools.combinations(sorted(set(colours)), 2)
    )


@pytest.mark.parametrize("kind", sorted(CVD))
def test_corridor_colours_stay_distinct_under_colour_blindness(kind: str) -> None:
    data, _ = load_dir(GEODATA)
    doc = build_document(data, MapOptions())
    colours = [
        doc["styles"][next(iter(layer["swatch"].values()))]["color"]
        for layer in doc["layers"]
        if layer["role"] == "corridor"
    ]
    assert len(colours) >= 5
    delta, a, b = _closest_pair(colours, CVD[kind])
    assert delta >= MIN_DELTA_E, (kind, a, b, round(delta, 1))


@pytest.mark.parametrize("kind", sorted(CVD))
def test_default_palette_stays_distinct_under_colour_blindness(kind: str) -> None:
    delta, a, b = _closest_pair(list(CORRIDOR_PALETTE), CVD[kind])
    assert delta >= MIN_DELTA_E, (kind, a, b, round(delta, 1))


def test_the_deficiency_simulation_can_tell_red_from_green_apart_only_without_it() -> None:
    """The check can fail: pure red and a green of similar lightness merge for a
    deuteranope, and the same pair is far apart for normal vision."""
    identity = ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    assert _closest_pair(["#d62728", "#7f7f00"], identity)[0] > 40
    assert _closest_pair(["#d62728", "#7f7f00"], CVD["deuteranopia"])[0] < MIN_DELTA_E
