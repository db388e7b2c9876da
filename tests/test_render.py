"""The rendered page: self-contained, deterministic, safe, and true to the geodata."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import GeodataFolder, collection, feature

from cpec_map import build_map
from cpec_map.document import build_document as build_config
from cpec_map.load import load_dir
from cpec_map.model import MapOptions
from cpec_map.render import render_html

LINE = {"type": "LineString", "coordinates": [[67.0123456789, 24.8], [68.3, 25.4]]}


def _page(geodata: GeodataFolder, **options) -> tuple[str, BeautifulSoup]:
    data, problems = load_dir(geodata.path)
    assert not [p for p in problems if p.is_error]
    html = render_html(data, MapOptions(**options))
    return html, BeautifulSoup(html, "html.parser")


def _data_block(soup: BeautifulSoup) -> dict:
    block = soup.find("script", attrs={"type": "application/json"})
    return json.loads(block.string)


def test_page_is_self_contained(geodata: GeodataFolder) -> None:
    geodata.layer("route", collection(feature("Route", LINE)))
    html, soup = _page(geodata)
    assert not soup.find_all("script", src=True)
    assert not soup.find_all("link")
    assert "L.map(" in html and "CpecMap.build(" in html
    # only tile URL templates and links in the attribution/popups may point outside
    for url in re.findall(r"""(?:src|href)\s*=\s*["'](https?://[^"']+)""", html):
        assert "leafletjs.com" in url, url
    assert "cdn.jsdelivr" not in html and "jquery" not in html.lower()


def test_page_has_language_title_and_zoomable_viewport(geodata: GeodataFolder) -> None:
    geodata.layer("route", collection(feature("Route", LINE)))
    geodata.manifest('[map]\ntitle = "CPEC <Phase II>"\n')
    _, soup = _page(geodata, lang="en")
    assert soup.html["lang"] == "en"
    assert soup.title.string == "CPEC <Phase II>"
    viewport = soup.find("meta", attrs={"name": "viewport"})["content"]
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport


def test_same_geodata_gives_same_bytes(geodata: GeodataFolder) -> None:
    geodata.layer("route", collection(feature("Route", LINE)))
    geodata.layer("sites", collection(feature("A"), feature("B")))
    first, _ = _page(geodata)
    second, _ = _page(geodata)
    assert first == second
    assert build_map(geodata.path).html == first


def test_coordinates_are_rounded_to_the_precision(geodata: GeodataFolder) -> None:
    geodata.layer("route", collection(feature("Route", LINE)))
    _, soup = _page(geodata, precision=3)
    coords = _data_block(soup)["layers"][0]["features"][0]["geometry"]["coordinates"]
    assert coords == [[67.012, 24.8], [68.3, 25.4]]


def test_markup_in_data_cannot_break_out_of_the_data_block(geodata: GeodataFolder) -> None:
    evil = '</script><script>alert(1)</script><!--'
    geodata.layer("route", collection(feature(evil, LINE, description="a & b > c")))
    geodata.manifest(f'[layers.route]\ntitle = "{evil}"\nattribution = "<b>x</b>"\n')
    html, soup = _page(geodata)
    assert "<script>alert(1)" not in html
    # Leaflet, gesture handling, runtime, data block, map script: nothing from the data
    assert len(soup.find_all("script")) == 5
    data = _data_block(soup)
    assert data["layers"][0]["title"]["en"] == evil
    assert data["layers"][0]["features"][0]["name"]["en"] == evil
    assert data["attribution"] == "&lt;b&gt;x&lt;/b&gt;"


def test_layers_follow_manifest_order_and_settings(geodata: GeodataFolder) -> None:
    geodata.layer("b_context", collection(feature("Province", LINE, status=...)))
    geodata.layer("a_route", collection(feature("Route", LINE)))
    geodata.manifest(
        '[layers.b_context]\nrole = "context"\norder = 1\ngroup = "Context"\nvisible = false\n'
        '[layers.a_route]\norder = 2\ncolor = "#123456"\ntitle = "The route"\n'
    )
    data, _ = load_dir(geodata.path)
    config = build_config(data, MapOptions())
    assert [layer["id"] for layer in config["layers"]] == ["b_context", "a_route"]
    context, route = config["layers"]
    assert (context["role"], context["group"]["en"], context["visible"]) == (
        "context", "Context", False
    )
    styles = config["styles"]
    assert styles[route["swatch"]["line"]]["color"] == "#123456"
    assert route["title"] == {"en": "The route"}


def test_a_new_file_appears_with_defaults(geodata: GeodataFolder) -> None:
    geodata.layer("route", collection(feature("Route", LINE)))
    geodata.manifest('[layers.route]\ntitle = "Route"\n')
    geodata.layer("new_dry_port", collection(feature("Dry port")))
    data, _ = load_dir(geodata.path)
    config = build_config(data, MapOptions())
    layers = {layer["id"]: layer for layer in config["layers"]}
    assert layers["new_dry_port"]["title"]["en"] == "New dry port"
    assert layers["new_dry_port"]["visible"] is True

    def colour(layer):
        return {config["styles"][i]["color"] for i in layer["swatch"].values()}

    assert colour(layers["new_dry_port"]).isdisjoint(colour(layers["route"]))


def test_fit_bounds_cover_the_corridor_layers_only(geodata: GeodataFolder) -> None:
    geodata.layer("route", collection(feature("Route", LINE)))
    geodata.layer("world", collection(feature("Box", {"type": "LineString", "coordinates": [[60, 23], [78, 37]]}, status=...)))
    geodata.manifest('[layers.world]\nrole = "context"\n')
    data, _ = load_dir(geodata.path)
    assert build_config(data, MapOptions())["bounds"] == [[24.8, 67.0123], [25.4, 68.3]]


def test_data_date_comes_from_manifest_or_newest_date(geodata: GeodataFolder) -> None:
    geodata.layer("route", collection(feature("Route", LINE, as_of="2026-07-01")))
    data, _ = load_dir(geodata.path)
    assert build_config(data, MapOptions())["dataDate"] == "2026-07-01"
    geodata.manifest('[map]\ndata_date = "2026-11-01"\n')
    data, _ = load_dir(geodata.path)
    assert build_config(data, MapOptions())["dataDate"] == "2026-11-01"
    assert build_config(data, MapOptions(data_date="2025-01-01"))["dataDate"] == "2025-01-01"


@pytest.mark.parametrize("basemap", ["light", "osm", "satellite", "outline", "OpenTopoMap"])
def test_basemap_switcher_has_attributed_tiles_and_an_offline_outline(
    geodata: GeodataFolder, basemap: str
) -> None:
    geodata.layer("route", collection(feature("Route", LINE)))
    data, _ = load_dir(geodata.path)
    config = build_config(data, MapOptions(basemap=basemap))
    tiles = [b for b in config["basemaps"] if not b.get("offline")]
    assert all(b["url"].startswith("https://") and b["attribution"] for b in tiles)
    assert config["basemaps"][-1] == {"id": "outline", "name": "basemap.outline", "offline": True}
    assert config["basemap"] in {b["id"] for b in config["basemaps"]}
    if basemap == "osm":
        assert "OpenStreetMap" in next(b for b in tiles if b["id"] == "osm")["attribution"]


def test_big_layers_are_drawn_on_canvas(geodata: GeodataFolder) -> None:
    geodata.layer("small", collection(feature("Route", LINE)))
    geodata.layer("many", collection(*[feature(f"S{i}") for i in range(3000)]))
    data, _ = load_dir(geodata.path)
    renderers = {la["id"]: la["renderer"] for la in build_config(data, MapOptions())["layers"]}
    assert renderers == {"many": "canvas", "small": "svg"}


def test_template_syntax_in_data_is_not_evaluated(geodata: GeodataFolder) -> None:
    """branca renders macro output twice as Jinja; data must never go through it."""
    name = "{{ 7*7 }} {% if true %}x{% endif %} {#"
    geodata.layer("route", collection(feature(name, LINE)))
    geodata.manifest('[map]\ntitle = "{{ 6*6 }}"\n')
    html, soup = _page(geodata)
    assert _data_block(soup)["layers"][0]["features"][0]["name"]["en"] == name
    assert soup.title.string == "{{ 6*6 }}"


def test_attribution_lists_each_credit_once_in_layer_order(geodata: GeodataFolder) -> None:
    geodata.layer("a", collection(feature("A")))
    geodata.layer("b", collection(feature("B")))
    geodata.manifest(
        '[layers.a]\nattribution = ["© OpenStreetMap contributors (ODbL)", "GeoNames (CC BY 4.0)"]\n'
        '[layers.b]\nattribution = "© OpenStreetMap contributors (ODbL)"\n'
    )
    data, _ = load_dir(geodata.path)
    assert build_config(data, MapOptions())["attribution"] == (
        "© OpenStreetMap contributors (ODbL) | GeoNames (CC BY 4.0)"
    )


def test_attribution_is_built_from_the_sources_file(geodata: GeodataFolder) -> None:
    geodata.layer("a", collection(feature("A")))
    geodata.manifest('[layers.a]\nattribution = ["Layer credit", "Natural Earth"]\n')
    (geodata.path / "SOURCES.md").write_text(
        "# Sources\n\nText.\n\n## Map attribution\n\nThe list:\n\n- Natural Earth\n"
        "- © OpenStreetMap contributors (ODbL)\n\n## Other\n\n- not a credit\n",
        encoding="utf-8",
    )
    data, _ = load_dir(geodata.path)
    assert build_config(data, MapOptions())["attribution"] == (
        "Natural Earth | © OpenStreetMap contributors (ODbL) | Layer credit"
    )


def test_shipped_map_credits_every_licence_that_asks_for_it() -> None:
    from conftest import GEODATA

    data, _ = load_dir(GEODATA)
    shown = data.credits()
    assert "© OpenStreetMap contributors (ODbL)" in shown  # ODbL: required
    assert "GeoNames (CC BY 4.0)" in shown  # CC BY: required
    assert "Natural Earth" in shown


def test_credits_link_to_the_licences_sources_md_names(geodata: GeodataFolder) -> None:
    geodata.layer("a", collection(feature("A")))
    (geodata.path / "SOURCES.md").write_text(
        "## Map attribution\n\n- [© OpenStreetMap contributors (ODbL)](https://www.openstreetmap.org/copyright)\n"
        "- [Bad <b>](javascript:alert(1))\n- Plain credit\n", encoding="utf-8")
    data, _ = load_dir(geodata.path)
    assert data.credits()[0] == "© OpenStreetMap contributors (ODbL)"  # figures: text only
    line = build_config(data, MapOptions())["attribution"]
    assert line.startswith('<a href="https://www.openstreetmap.org/copyright" target="_blank" '
                           'rel="noopener noreferrer">© OpenStreetMap contributors (ODbL)</a>')
    assert "javascript" in line and 'href="javascript' not in line and "&lt;b&gt;" in line
    assert line.endswith(" | Plain credit")
