"""Turn styled layers into one self-contained HTML page (the only folium/branca user).

The page is a folium map whose CDN links are replaced by inlined Leaflet and our
own runtime (``resources/cpec_map.js``). All layer data travels in one JSON block
that the runtime draws; feature text is only ever put into the page as text nodes,
never parsed as HTML. Element ids come from a counter, coordinates are rounded to a
fixed precision and nothing depends on time or paths, so equal input gives equal bytes.
"""

from __future__ import annotations

import html
import json
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import branca.element
import folium
import numpy as np
import shapely
import xyzservices.providers as xyz
from jinja2 import Template

from . import resources
from .errors import UsageError
from .model import (
    BASEMAP_CHOICES,
    OUTLINE_BASEMAP,
    TILE_BASEMAPS,
    Geodata,
    Layer,
    LayerStyle,
    MapOptions,
    Role,
)
from .style import (
    BOUNDARY_DASH,
    DEFAULT_POINT_FILL,
    DEFAULT_UNCERTAINTY_M,
    HOLLOW_STATUSES,
    POINT_FILL,
    SCHEMATIC_OPACITY,
    STATUS_DASH,
    is_basemap_layer,
    precision_key,
    resolve_styles,
    status_key,
)

#: Above these sizes a layer is drawn on canvas: SVG slows down with many thousand paths.
CANVAS_MIN_FEATURES = 3000
CANVAS_MIN_VERTICES = 150_000


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
    attributionControl: true
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
    config = build_config(geodata, options)
    (south, west), (north, east) = config["bounds"]
    location = [round((south + north) / 2, 4), round((west + east) / 2, 4)]
    with _stable_ids():
        page = Page(title=config["title"], lang=options.lang)
        fmap = CorridorMap(location=location, zoom=5)
        fmap._parent = None  # folium made a Figure of its own; the map lives in ours
        page.header.add_child(Raw(f"<style>{resources.leaflet_css()}</style>"), name="leaflet_css")
        page.header.add_child(Raw(f"<style>{resources.asset('cpec_map.css')}</style>"), name="css")
        page.header.add_child(Raw(f"<script>{resources.leaflet_js()}</script>"), name="leaflet_js")
        gesture_js, gesture_css = resources.gesture_handling()
        page.header.add_child(Raw(f"<style>{gesture_css}</style>"), name="gesture_css")
        page.header.add_child(Raw(f"<script>{gesture_js}</script>"), name="gesture_js")
        page.header.add_child(Raw(f"<script>{resources.asset('cpec_map.js')}</script>"), name="js")
        name = fmap.get_name()
        label = html.escape(f"Interactive map: {config['title']}")
        page.html.add_child(
            Raw(
                f'<div class="cpec-map" id="{name}" role="region" aria-label="{label}"></div>\n'
                f'<script type="application/json" id="{name}-data">{_script_json(config)}'
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
    with _IDS_LOCK, mock.patch.object(
        branca.element.Element, "_generate_id", classmethod(lambda _cls: f"{next(counter):04d}")
    ):
        yield


# --- the data block ---------------------------------------------------------------------


def build_config(geodata: Geodata, options: MapOptions) -> dict[str, Any]:
    """Everything the runtime needs, as plain JSON-able data."""
    styles = resolve_styles(geodata.layers)
    title = options.title or geodata.settings.title
    layers = [
        _layer_config(layer, styles[layer.stem], options.precision) for layer in geodata.layers
    ]
    basemaps = [_tile_basemap(key, label, name) for key, (label, name) in TILE_BASEMAPS.items()]
    default = options.basemap
    if default not in TILE_BASEMAPS and default != OUTLINE_BASEMAP:
        basemaps.append(_tile_basemap("custom", default, default))
        default = "custom"
    basemaps.append({"id": OUTLINE_BASEMAP, "name": "Outline (offline)", "offline": True})
    return {
        "title": title,
        "dataDate": geodata.data_date(options.data_date),
        "note": geodata.settings.note,
        "bounds": _bounds(geodata),
        "basemaps": basemaps,
        "basemap": default,
        "attribution": " | ".join(html.escape(a) for a in geodata.credits()),
        "statusKey": status_key(),
        "precisionKey": precision_key(),
        "statusDash": {s.value: (list(d) if d else None) for s, d in STATUS_DASH.items()},
        "boundaryDash": {k: (list(d) if d else None) for k, d in BOUNDARY_DASH.items()},
        "schematicOpacity": SCHEMATIC_OPACITY,
        "pointFill": {s.value: v for s, v in POINT_FILL.items()},
        "hollow": sorted(s.value for s in HOLLOW_STATUSES),
        "defaultPointFill": DEFAULT_POINT_FILL,
        "defaultUncertainty": DEFAULT_UNCERTAINTY_M,
        "layers": layers,
    }


def check_basemap(name: str) -> None:
    """Raise UsageError unless ``name`` is one of ours or a token-free xyzservices name."""
    if name not in TILE_BASEMAPS and name != OUTLINE_BASEMAP:
        _provider(name)


def _provider(name: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # xyzservices warns about token-only providers
        try:
            provider = xyz.query_name(name)
        except ValueError:
            raise UsageError(
                f"--basemap {name}: unknown basemap (choose {', '.join(BASEMAP_CHOICES)}, "
                "or an xyzservices provider name such as OpenTopoMap)"
            ) from None
        if provider.requires_token():
            raise UsageError(f"--basemap {name}: this provider needs an API key; choose another")
        return provider


def _tile_basemap(key: str, label: str, provider_name: str) -> dict[str, Any]:
    provider = _provider(provider_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out: dict[str, Any] = {
            "id": key,
            "name": label,
            "url": provider.build_url(fill_subdomain=False),
            "attribution": provider.html_attribution,
            "maxZoom": int(provider.get("max_zoom", 19)),
        }
    if "subdomains" in provider:
        out["subdomains"] = provider["subdomains"]
    return out


def _layer_config(layer: Layer, style: LayerStyle, precision: int) -> dict[str, Any]:
    located = [f for f in layer.features if f.geometry is not None]
    geoms = np.array([f.geometry for f in located], dtype=object)
    keep = ~shapely.is_empty(geoms) if len(geoms) else np.zeros(0, dtype=bool)
    located = [f for f, k in zip(located, keep, strict=True) if k]
    geoms = geoms[keep]
    vertices = int(shapely.get_num_coordinates(geoms).sum()) if len(geoms) else 0
    # points, the common case of big layers, are rounded in one vectorised call
    is_point = shapely.get_type_id(geoms) == 0 if len(geoms) else np.zeros(0, dtype=bool)
    point_xy = iter(np.round(shapely.get_coordinates(geoms[is_point]), precision).tolist())
    features = []
    for f, point in zip(located, is_point, strict=True):
        if point:
            geometry: dict[str, Any] = {"type": "Point", "coordinates": next(point_xy)}
        else:
            geometry = _geometry_json(f.geometry, precision)
        item: dict[str, Any] = {"type": "Feature", "properties": dict(f.properties)}
        if f.id is not None:
            item["id"] = f.id
        item["geometry"] = geometry
        features.append(item)
    canvas = len(features) >= CANVAS_MIN_FEATURES or vertices >= CANVAS_MIN_VERTICES
    return {
        "id": layer.stem,
        "cls": _css_token(layer.stem),
        "title": layer.spec.title,
        "group": layer.spec.group,
        "role": layer.spec.role.value,
        "visible": layer.spec.visible,
        "basemap": is_basemap_layer(layer),
        "labels": layer.spec.labels,
        "description": layer.spec.description,
        "kinds": list(layer.geometry_kinds),
        "renderer": "canvas" if canvas else "svg",
        "style": {
            "color": style.color,
            "fillColor": style.fill_color,
            "fillOpacity": style.fill_opacity,
            "weight": style.weight,
            "radius": style.radius,
            "opacity": style.opacity,
        },
        "data": {"type": "FeatureCollection", "features": features},
    }


def _geometry_json(geom: Any, precision: int) -> dict[str, Any]:
    """GeoJSON geometry with coordinates rounded to ``precision`` decimals."""
    kind = geom.geom_type
    if kind == "GeometryCollection":
        return {"type": kind, "geometries": [_geometry_json(g, precision) for g in geom.geoms]}

    def seq(part: Any) -> list[list[float]]:
        coords = np.round(shapely.get_coordinates(part), precision)
        return coords.tolist()  # type: ignore[no-any-return]

    def rings(poly: Any) -> list[list[list[float]]]:
        return [seq(poly.exterior), *(seq(r) for r in poly.interiors)]

    if kind == "Point":
        coords: Any = seq(geom)[0]
    elif kind in ("LineString", "LinearRing"):
        kind, coords = "LineString", seq(geom)
    elif kind == "Polygon":
        coords = rings(geom)
    elif kind == "MultiPoint":
        coords = seq(geom)
    elif kind == "MultiLineString":
        coords = [seq(g) for g in geom.geoms]
    else:  # MultiPolygon
        coords = [rings(g) for g in geom.geoms]
    return {"type": kind, "coordinates": coords}


def _css_token(stem: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "-", stem.lower())


def _bounds(geodata: Geodata) -> list[list[float]]:
    """[[south, west], [north, east]] of the corridor layers (all layers if there are none)."""
    for roles in ((Role.CORRIDOR,), (Role.CORRIDOR, Role.CONTEXT)):
        geoms = [
            f.geometry
            for layer in geodata.layers
            if layer.spec.role in roles
            for f in layer.features
            if f.geometry is not None and not f.geometry.is_empty
        ]
        if geoms:
            x0, y0, x1, y1 = shapely.total_bounds(np.array(geoms, dtype=object))
            return [[round(y0, 4), round(x0, 4)], [round(y1, 4), round(x1, 4)]]
    return [[23.5, 60.5], [37.5, 77.5]]  # Pakistan, when there is nothing to fit


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
