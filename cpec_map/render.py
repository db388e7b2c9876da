"""Turn the map document into one self-contained HTML page (the only folium/branca user).

The page is a folium map whose CDN links are replaced by inlined Leaflet and our
own runtime (``resources/js/*.js``, assembled into one script). The map document
(:mod:`cpec_map.document`) travels in one JSON block that the runtime reads; feature
text is only ever put into the page as text nodes, never parsed as HTML. Element ids
come from a counter and nothing depends on time or paths, so equal input gives equal
bytes.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import branca.element
import folium
from jinja2 import Template

from . import resources
from .document import build_document
from .fonts import font_css
from .model import Geodata, MapOptions


class Page(branca.element.Figure):
    """A folium Figure with a language, a title and a note for readers without scripts."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang|e }}">\n'
        "<head>\n"
        "<title>{{ this.title|e }}</title>\n"
        "{{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "<noscript><p class=\"cpec-noscript\">This interactive map needs JavaScript.</p>"
        "</noscript>\n"
        "{{ this.html.render(**kwargs) }}\n"
        "<script>\n{{ this.script.render(**kwargs) }}\n</script>\n"
        "</body>\n"
        "</html>\n",
    )

    def __init__(self, title: str, lang: str):
        super().__init__(title=title)
        self.lang = lang


class Raw(branca.element.Element):
    """Text put into the page as it is. branca renders macro output a second time as a
    Jinja template, so data and assets must never pass through a macro: a "{{" in a
    feature name would otherwise be evaluated."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:  # noqa: ARG002 - branca's signature
        return self.text


class CorridorMap(folium.Map):
    """folium's Map without CDN links or a zoom lock, handing its layers to our runtime."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []

    _template = Template(
        """
{% macro header(this, kwargs) %}
<meta name="viewport" content="width=device-width, initial-scale=1">
{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.map("{{ this.get_name() }}", {
    center: {{ this.location|tojson }}, zoom: {{ this.zoom_start }}, zoomControl: false,
    zoomSnap: 0.5, attributionControl: true
});
var cpecMap = CpecMap.build({{ this.get_name() }},
    JSON.parse(document.getElementById("{{ this.get_name() }}-data").textContent));
{% endmacro %}
"""
    )

    def __init__(self, location: list[float], zoom: int):
        super().__init__(location=location, zoom_start=zoom, tiles=None, zoom_control=False)
        self.zoom_start = zoom


def render_map(geodata: Geodata, options: MapOptions) -> folium.Map:
    """The folium map of a validated geodata folder (call ``.get_root().render()``)."""
    document = build_document(geodata, options)
    (south, west), (north, east) = document["bounds"]
    location = [round((south + north) / 2, 4), round((west + east) / 2, 4)]
    title = document["title"].get(document["lang"]) or document["title"]["en"]
    with _stable_ids():
        page = Page(title=title, lang=document["lang"])
        fmap = CorridorMap(location=location, zoom=5)
        fmap._parent = None  # folium made a Figure of its own; the map lives in ours
        page.header.add_child(Raw(f"<style>{resources.leaflet_css()}</style>"), name="leaflet_css")
        page.header.add_child(Raw(f"<style>{resources.stylesheet()}</style>"), name="css")
        page.header.add_child(Raw(f"<script>{resources.leaflet_js()}</script>"), name="leaflet_js")
        gesture_js, gesture_css = resources.gesture_handling()
        page.header.add_child(Raw(f"<style>{gesture_css}</style>"), name="gesture_css")
        page.header.add_child(Raw(f"<script>{gesture_js}</script>"), name="gesture_js")
        data_json = _script_json(document)
        fonts = font_css(data_json)
        if fonts:
            page.header.add_child(Raw(f"<style>{fonts}</style>"), name="fonts")
        page.header.add_child(Raw(f"<script>{resources.runtime_js()}</script>"), name="js")
        name = fmap.get_name()
        page.html.add_child(
            Raw(
                f'<div class="cpec-app" id="{name}-app">'
                f'<div class="cpec-map" id="{name}" role="region" '
                f'aria-label="{html.escape(title)}"></div></div>\n'
                f'<script type="application/json" id="{name}-data">{data_json}'
                "</script>"
            ),
            name="map_data",
        )
        page.add_child(fmap, name="map")
    return fmap


def render_html(geodata: Geodata, options: MapOptions) -> str:
    """The whole HTML page as text."""
    fmap = render_map(geodata, options)
    return fmap.get_root().render()


_IDS_LOCK = threading.Lock()


@contextmanager
def _stable_ids() -> Iterator[None]:
    """Make branca's element ids a counter instead of random hex, for byte-stable output.

    branca offers the hook only as a class attribute, so the patch is process-wide: a
    lock keeps two builds in two threads from sharing (or stealing from) one counter,
    and ``patch.object`` puts the original classmethod back exactly."""
    counter = iter(range(1, 1_000_000))
    element = branca.element.Element
    with _IDS_LOCK:
        original = element.__dict__["_generate_id"]
        element._generate_id = classmethod(lambda _cls: f"{next(counter):04d}")  # type: ignore
        try:
            yield
        finally:
            element._generate_id = original  # type: ignore[method-assign]


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' survive as such."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
