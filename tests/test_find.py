"""The Find tab in a real headless Chromium: search by name in three languages, the list
of features shown on the map, its keyboard model, and map features kept out of the tab order.

One page per map is opened for the whole module and put back to its opening state
before each test, so the module stays fast. Tile requests are answered with a blank
local PNG; nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BLANK_PNG, GEODATA, GeodataFolder, collection, feature

from cpec_map import build_map

pytestmark = pytest.mark.browser

XSS = '<img src=x onerror="window.__xss=1;alert(1)">'
DHABEJI = "sez/sez-dhabeji"
KARACHI_CITY = "ml1_stations/ml1-st-karachi-city"
INPUT = ".cpec-find-input"
ROW = ".cpec-find-row"


@pytest.fixture(scope="module")
def chromium(browser) -> Any:
    """The suite's one headless Chromium (tests/conftest.py)."""
    return browser


class Find:
    """One open map page, with what it logged and helpers for the Find tab."""

    def __init__(self, browser: Any, html: Path, size: tuple[int, int] = (1280, 800)):
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                        else r.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
        self.page.goto(html.as_uri())
        self.page.wait_for_selector("[data-cpec-ready]", timeout=30_000)
        self.opening = self.js("() => JSON.stringify(cpecMap.store.get().layers)")

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def reset(self) -> None:
        """Back to the opening state: no query, filters, selection; English; the corridor in view."""
        self.js("""layers => {
            var app = cpecMap;
            if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
            app.store.set({query: "", filters: {}, layers: JSON.parse(layers), selected: null, lang: "en"});
            app.side.setOpen(true);
            app.side.show("find");
            app.map.fitBounds(app.doc.bounds, {animate: false});
        }""", self.opening)
        self.errors.clear()

    def search(self, text: str) -> None:
        """Type into the search box (as a user would) and wait for the store to carry it."""
        self.page.fill(INPUT, text)
        self.page.wait_for_function("q => cpecMap.store.get().query === q", arg=text)

    def rows(self) -> list[str]:
        return self.page.eval_on_selector_all(ROW, "ns => ns.map(n => n.getAttribute('data-feature'))")

    def row_text(self, feature_id: str) -> str:
        return self.page.locator(f'{ROW}[data-feature="{feature_id}"] .cpec-find-name').inner_text()

    def count_line(self) -> str:
        return self.page.locator(".cpec-find-count").inner_text()

    def popup(self) -> str | None:
        popup = self.page.locator(".leaflet-popup .cpec-popup")
        return popup.get_attribute("data-feature") if popup.count() else None

    def active(self) -> dict[str, Any]:
        return self.js("""() => { var a = document.activeElement;
            return {tag: a.tagName.toLowerCase(), svg: a instanceof SVGElement, role: a.getAttribute('role'),
                    feature: a.getAttribute('data-feature'), cls: a.getAttribute('class') || ''}; }""")


def _built(chromium: Any, geodata: Path, out: Path) -> Iterator[Find]:
    """The map of ``geodata``, built to ``out`` and open in one page for a module's tests."""
    build_map(geodata, out=out)
    find = Find(chromium, out)
    yield find
    find.page.close()


@pytest.fixture(scope="module")
def bundled_page(chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Find]:
    yield from _built(chromium, GEODATA, tmp_path_factory.mktemp("bundled") / "map.html")


@pytest.fixture
def bundled(bundled_page: Find) -> Find:
    bundled_page.reset()
    return bundled_page


@pytest.fixture(scope="module")
def small_page(chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Find]:
    """Hand-made data: markup in a name, Arabic letter forms in an Urdu name, a missing
    Chinese name, accents, and a context layer that must not be listed."""
    geodata = GeodataFolder(tmp_path_factory.mktemp("small") / "geodata")
    geodata.layer("sites", collection(
        feature(XSS, {"type": "Point", "coordinates": [66.99, 24.87]}),
        # Arabic kaf (U+0643), Arabic yeh (U+064A) and heh (U+0647) where Urdu writes ک ی ہ
        feature("Karachi Port", {"type": "Point", "coordinates": [66.98, 24.84]}, status="operational",
                name_ur="كراچي بندرگاه"),
        feature("Rāwalpindī Dépôt", {"type": "Point", "coordinates": [73.05, 33.6]}, name_zh="拉瓦尔品第仓库"),
    ))
    geodata.layer("towns", collection(feature("Karachi Town", {"type": "Point", "coordinates": [67.0, 24.9]},
                                              status=...)))
    geodata.manifest('[layers.towns]\nrole = "context"\ngroup = "Context"\n[layers.sites]\ngroup = "Sites"\n')
    yield from _built(chromium, geodata.path, geodata.path.parent / "map.html")


@pytest.fixture
def small(small_page: Find) -> Find:
    small_page.reset()
    return small_page


def ids_named(find: Find, english: str) -> list[str]:
    return find.js("n => cpecMap.features.filter(r => r.f.name.en === n).map(r => r.id)", english)


# --- the normaliser, one table -------------------------------------------------------

FOLDS = [
    # (name in the data, query that must find it)
    ("Karachi", "KARÂCHI"),
    ("Rāwalpindī Dépôt", "rawalpindi depot"),
    ("ML-1 upgrade: Karachi–Rohri", "karachi-rohri"),    # en dash in the data, hyphen typed
    ("ML-1 upgrade: Karachi–Rohri", "ml 1  upgrade"),     # hyphen and space are one separator
    ("Gilgit-Baltistan", "gilgit baltistan"),
    ("ＭＬ－１", "ml-1"),                                   # full-width forms
    ("کراچی", "كراچي"),                                   # Arabic kaf and yeh for Urdu ک and ی
    ("لاہور", "لاهور"),                                   # heh for heh goal
    ("دھابیجی", "دهابيجي"),                               # heh for do-chashmi heh, Arabic yeh
    ("ملتان کینٹ", "ملتان كينٹ"),
    ("اسلام آباد", "اسلام اباد"),                         # alef with madda as alef
    ("سوست ڈرائی پورٹ", "سوست ڈرائي"),
    ("گوادر", "گوَادِر"),                                  # harakat typed
    ("گوادر", "گوا\u0640در"),                            # tatweel typed
    ("ایم ایل-۱", "ایم ایل 1"),                           # Urdu digits
    ("نوکنڈی", "نو\u200cکنڈی"),                           # zero-width non-joiner
    ("瓜达尔港", "瓜达尔"),
    ("卡拉奇—罗赫里段", "卡拉奇-罗赫里"),                 # em dash in Chinese names
]
NOT_FOLDED = [("Karachi", "karachiz"), ("کراچی", "کرانچی"), ("Lahore", "lahore port")]


def test_one_normaliser_folds_case_marks_letter_forms_and_dashes(bundled: Find) -> None:
    found = bundled.js("""pairs => pairs.map(p => cpecMap.find.fold(p[0]).indexOf(cpecMap.find.fold(p[1])) >= 0)""",
                       FOLDS)
    assert [pair for pair, ok in zip(FOLDS, found, strict=True) if not ok] == []
    missed = bundled.js("""pairs => pairs.map(p => cpecMap.find.fold(p[0]).indexOf(cpecMap.find.fold(p[1])) >= 0)""",
                        NOT_FOLDED)
    assert missed == [False] * len(NOT_FOLDED)


# --- search ----------------------------------------------------------------------------

def test_dhabeji_is_found_and_enter_opens_it_zoomed_in(bundled: Find) -> None:
    zoom = bundled.js("() => cpecMap.map.getZoom()")
    bundled.search("dhabeji")
    assert bundled.rows() == [DHABEJI]
    assert "Dhabeji Special Economic Zone" in bundled.row_text(DHABEJI)
    assert "1 of " in bundled.count_line()
    bundled.page.focus(INPUT)
    bundled.page.keyboard.press("ArrowDown")
    assert bundled.active()["feature"] == DHABEJI
    bundled.page.keyboard.press("Enter")
    bundled.page.wait_for_selector(".leaflet-popup .cpec-popup")
    assert bundled.popup() == DHABEJI
    assert bundled.js("() => cpecMap.store.get().selected") == DHABEJI
    assert bundled.js("() => cpecMap.map.getZoom()") > zoom + 2
    assert bundled.page.locator(f'{ROW}[data-feature="{DHABEJI}"]').get_attribute("aria-selected") == "true"
    assert bundled.errors == []


@pytest.mark.parametrize("query", ["karachi", "KARÂCHI", "aRaCh", "کراچی", "كراچي", "卡拉奇"])
def test_search_is_partial_and_case_diacritic_and_letter_form_insensitive(bundled: Find, query: str) -> None:
    bundled.search(query)
    rows = bundled.rows()
    assert KARACHI_CITY in rows and "ml1_railway/ml1-karachi-rohri" in rows
    # names that start with the query come first
    if query != "aRaCh":
        assert rows[0] in ids_named(bundled, "Karachi") + [KARACHI_CITY]
    assert "ml1_stations/ml1-st-lahore-junction" not in rows


def test_chinese_search_finds_gwadar(bundled: Find) -> None:
    bundled.search("瓜达尔")
    rows = bundled.rows()
    assert set(ids_named(bundled, "Gwadar Port") + ids_named(bundled, "New Gwadar International Airport")) <= set(rows)
    assert all("瓜达尔" in bundled.js("id => Object.values(cpecMap.records.byId[id].f.name).join('|')", r) for r in rows)


def test_urdu_name_in_arabic_letter_forms_is_found_by_urdu_spelling(small: Find) -> None:
    port = ids_named(small, "Karachi Port")
    small.search("کراچی بندرگاہ")
    assert small.rows() == port
    small.search("rawalpindi")
    assert small.rows() == ids_named(small, "Rāwalpindī Dépôt")


def test_nothing_found_says_so_and_context_features_are_not_listed(bundled: Find, small: Find) -> None:
    bundled.search("punjab")  # a province: context only
    assert bundled.rows() == []
    assert bundled.page.locator(".cpec-find-list").is_hidden()
    assert bundled.count_line() == "No feature matches “punjab”."
    small.search("karachi")
    assert small.rows() == ids_named(small, "Karachi Port")  # not "Karachi Town" (context)


def test_query_in_the_store_is_shown_in_the_box_and_escape_clears_it(bundled: Find) -> None:
    bundled.js("() => cpecMap.store.set({query: 'gwadar'})")
    assert bundled.page.input_value(INPUT) == "gwadar"
    assert bundled.rows() and all("gwadar" in r for r in bundled.rows())
    assert bundled.page.locator(".cpec-find-clear").is_visible()
    bundled.page.focus(INPUT)
    bundled.page.keyboard.press("Escape")
    assert bundled.page.input_value(INPUT) == ""
    assert bundled.js("() => cpecMap.store.get().query") == ""
    assert bundled.page.locator(".cpec-find-clear").is_hidden()
    assert len(bundled.rows()) == bundled.js("""() => cpecMap.features.filter(
        r => r.item && r.layer.interactive && cpecMap.isShown(r)).length""")


def test_search_box_is_labelled_in_the_interface_language(bundled: Find) -> None:
    label = bundled.page.locator(f"label[for='{bundled.page.get_attribute(INPUT, 'id')}']")
    assert label.inner_text() == "Search places and projects"
    assert bundled.page.get_attribute(INPUT, "placeholder").startswith("Search by name")
    bundled.js("() => cpecMap.store.set({lang: 'ur'})")
    assert label.inner_text() == "مقامات اور منصوبے تلاش کریں"
    assert bundled.page.get_attribute(".cpec-find-list", "aria-label") == "نقشے پر موجود عناصر"


# --- the list follows the map ----------------------------------------------------------

def test_list_follows_filters_and_layer_toggles(bundled: Find) -> None:
    bin_qasim_park = "sez/sez-bin-qasim-industrial-park"  # planned
    bundled.search("bin qasim")
    assert bin_qasim_park in bundled.rows() and "ml1_stations/ml1-st-bin-qasim" in bundled.rows()
    bundled.page.click("[data-tab=layers]")
    bundled.page.uncheck("input[data-facet=status][value=planned]")
    assert bin_qasim_park not in bundled.rows()
    assert "ml1_stations/ml1-st-bin-qasim" in bundled.rows()
    assert "hidden by layers or filters" in bundled.page.locator(".cpec-find-note").inner_text()
    bundled.page.uncheck("input[data-layer=ml1_stations]")
    assert bundled.rows() == []
    bundled.page.check("input[data-facet=status][value=planned]")
    assert bundled.rows() == [bin_qasim_park]
    bundled.js("() => cpecMap.store.set({layers: cpecMap.store.withLayer('ml1_stations', true)})")
    assert set(bundled.rows()) == {bin_qasim_park, "ml1_stations/ml1-st-bin-qasim"}


def test_selected_feature_is_marked_in_the_list(bundled: Find) -> None:
    bundled.js("id => cpecMap.select(id)", KARACHI_CITY)
    selected = bundled.page.eval_on_selector_all(f"{ROW}[aria-selected=true]", "ns => ns.map(n => n.dataset.feature)")
    assert selected == [KARACHI_CITY]
    bundled.js("() => cpecMap.store.set({selected: null})")
    assert bundled.page.locator(f"{ROW}[aria-selected=true]").count() == 0


def test_language_switch_renders_names_in_that_language(bundled: Find, small: Find) -> None:
    bundled.search("karachi")
    bundled.page.click("button[data-lang=zh]")
    assert bundled.row_text(KARACHI_CITY) == "卡拉奇城站"
    status = bundled.page.locator(f'{ROW}[data-feature="{KARACHI_CITY}"] .cpec-status').inner_text()
    assert status == bundled.js("() => cpecMap.i18n.t('status.operational')") != "Operational"
    bundled.js("() => cpecMap.store.set({lang: 'ur'})")
    assert bundled.row_text(KARACHI_CITY) == "کراچی سٹی"
    # no Chinese name: the English one, marked as a fall-back
    small.js("() => cpecMap.store.set({lang: 'zh'})")
    small.search("port")
    port = ids_named(small, "Karachi Port")[0]
    name = small.page.locator(f'{ROW}[data-feature="{port}"] .cpec-find-name')
    assert name.inner_text().startswith("Karachi Port")
    assert "cpec-untranslated" in name.get_attribute("class") and name.get_attribute("lang") == "en"


def test_markup_in_a_name_is_listed_as_text(small: Find) -> None:
    small.search("<img")
    [xss] = small.rows()
    assert small.row_text(xss) == XSS
    assert small.page.locator(".cpec-find-results img").count() == 0
    small.page.focus(INPUT)
    small.page.keyboard.press("ArrowDown")
    small.page.keyboard.press("Enter")
    assert small.popup() == xss
    assert small.js("() => window.__xss") is None
    assert small.errors == []


# --- keyboard ---------------------------------------------------------------------------

def test_arrow_down_twice_and_enter_opens_the_second_result(bundled: Find) -> None:
    page = bundled.page
    page.focus(INPUT)
    page.keyboard.type("karachi")
    page.keyboard.press("ArrowDown")  # carries the typed query into the store at once
    assert bundled.js("() => cpecMap.store.get().query") == "karachi"
    rows = bundled.rows()
    assert len(rows) >= 3
    page.keyboard.press("ArrowDown")
    assert bundled.active()["feature"] == rows[1]
    page.keyboard.press("Enter")
    assert bundled.popup() == rows[1]
    assert bundled.active()["feature"] == rows[1]  # focus stays in the list ...
    bundled.js("() => cpecMap.store.set({lang: 'zh'})")
    assert bundled.active()["feature"] == rows[1]  # ... on the same feature when the list is redrawn
    page.keyboard.press("End")
    assert bundled.active()["feature"] == rows[-1]
    page.keyboard.press("Home")
    assert bundled.active()["feature"] == rows[0]
    page.keyboard.press("ArrowUp")
    assert bundled.active()["tag"] == "input"
    assert bundled.errors == []


def test_tab_straight_after_typing_reaches_the_results_of_what_was_typed(bundled: Find) -> None:
    bundled.page.focus(INPUT)
    bundled.page.keyboard.type("qasim")
    bundled.page.keyboard.press("Tab")  # sooner than the search box's 100 ms pause
    assert bundled.active()["feature"] == bundled.rows()[0]
    assert "qasim" in bundled.active()["feature"]


def test_list_is_one_tab_stop_and_tab_never_enters_map_features(bundled: Find) -> None:
    page = bundled.page
    # filters re-add features: Leaflet draws new elements, which must stay out of the tab order too
    page.click("[data-tab=layers]")
    page.uncheck("input[data-facet=status][value=operational]")
    page.check("input[data-facet=status][value=operational]")
    page.uncheck("input[data-layer=ml1_railway]")
    page.check("input[data-layer=ml1_railway]")
    page.click("[data-tab=find]")
    page.focus(INPUT)
    visited = []  # one round of Tab, from the search box back to it
    for _ in range(100):
        page.keyboard.press("Tab")
        now = bundled.active()
        if now["tag"] == "input" and "cpec-find-input" in now["cls"]:
            break
        visited.append(now)
    else:
        pytest.fail(f"Tab never came back to the search box: {visited[-5:]}")
    assert visited[0]["role"] == "option"  # Tab from the box enters the list ...
    assert [v for v in visited if v["role"] == "option"] == visited[:1]  # ... at one stop only
    assert [v for v in visited if v["svg"] or "leaflet-interactive" in v["cls"]] == []
    assert any("leaflet-container" in v["cls"] for v in visited)  # Tab did reach the map
    assert page.eval_on_selector_all(ROW, "ns => ns.filter(n => n.tabIndex === 0).length") == 1


def test_focused_row_highlights_its_feature_and_pans_it_into_view(bundled: Find) -> None:
    page = bundled.page
    bundled.js("() => { cpecMap.map.setView([25.12, 62.33], 11, {animate: false}); }")  # Gwadar
    zoom = bundled.js("() => cpecMap.map.getZoom()")
    bundled.search("khunjerab pass")
    page.focus(INPUT)
    page.keyboard.press("ArrowDown")
    row = bundled.active()["feature"]
    assert row and row.startswith("border_markets/")
    assert page.locator(".leaflet-cpec-find-highlight-pane path").count() >= 2
    page.wait_for_function("""id => { var c = cpecMap.records.byId[id].f.geometry.coordinates;
        return cpecMap.map.getBounds().contains([c[1], c[0]]); }""", arg=row)
    assert bundled.js("() => cpecMap.map.getZoom()") == zoom  # panned, not zoomed
    assert bundled.js("() => cpecMap.store.get().selected") is None  # focus previews, Enter selects
    page.keyboard.press("Escape")  # back to the search box
    assert bundled.active()["tag"] == "input"
    assert page.locator(".leaflet-cpec-find-highlight-pane path").count() == 0


def test_on_a_phone_going_to_a_feature_closes_the_drawer(chromium: Any, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    geodata = GeodataFolder(tmp_path / "geodata")
    geodata.layer("sites", collection(feature("Dhabeji SEZ", {"type": "Point", "coordinates": [67.5, 24.81]}),
                                      feature("Gwadar Port", {"type": "Point", "coordinates": [62.34, 25.11]})))
    build_map(geodata.path, out=out)
    phone = Find(chromium, out, size=(390, 844))
    try:
        phone.page.click(".cpec-menu")
        assert phone.js("() => cpecMap.side.open") is True
        phone.search("dhab")
        phone.page.click(ROW)
        assert phone.js("() => cpecMap.side.open") is False
        assert phone.page.locator(".cpec-side").is_hidden()
        assert phone.popup() == phone.rows()[0]
        assert phone.errors == []
    finally:
        phone.page.close()


# --- quality ------------------------------------------------------------------------------

def test_find_tab_passes_axe(bundled: Find) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    bundled.search("karachi")
    bundled.page.focus(INPUT)
    bundled.page.keyboard.press("ArrowDown")
    results = axe.Axe().run(bundled.page, context=".cpec-side")
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
    assert violations == []


def test_twenty_thousand_features_list_stays_quick(chromium: Any, tmp_path: Path) -> None:
    sites = [feature(f"Site {i}", {"type": "Point", "coordinates": [62 + (i % 200) * 0.06, 24 + (i // 200) * 0.12]},
                     name_ur=f"مقام {i}") for i in range(20_000)]
    geodata = GeodataFolder(tmp_path / "geodata")
    geodata.layer("many", collection(*sites))
    out = tmp_path / "map.html"
    build_map(geodata.path, out=out)
    big = Find(chromium, out)
    try:
        assert len(big.rows()) == 200
        assert "first 200 of 20,000" in big.page.locator(".cpec-find-note").inner_text()
        timing = big.js("""() => { var t0 = performance.now();
            cpecMap.find.list.render(Object.assign({}, cpecMap.store.get(), {query: 'site 1'}));
            var t1 = performance.now();
            cpecMap.find.list.render(Object.assign({}, cpecMap.store.get(), {query: 'مقام 19999'}));
            return [t1 - t0, performance.now() - t1]; }""")
        assert max(timing) < 250, timing
        big.search("site 1999")
        assert big.rows()[0].startswith("many/") and len(big.rows()) == 11  # 1999, 19990..19999
        assert big.page.locator(".cpec-find-note").is_hidden()
    finally:
        big.page.close()
