"""Resolve a validated geodata folder into the map document: one JSON-able dict that
the page reads and nothing else.

The document is versioned and described by ``resources/map_document.schema.json``.
It holds everything decided at build time, once: layers, features with ids unique
across the map, names per language, the resolved style of every feature and legend
entry (from :func:`style.feature_style`, the one place style rules live), filter
facets, the interface strings per language, and the geometry. The page's runtime
only reads it; later stages (vector tiles, timelines, citations) add members
without changing the ones here, and bump ``version`` when they must.
"""

from __future__ import annotations

import heapq
import html
import json
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import shapely
import xyzservices.providers as xyz
from pyproj import Geod

from . import resources
from .errors import UsageError
from .history import entries as history_entries
from .history import timeline_dates
from .model import (
    BASEMAP_CHOICES,
    LANGUAGES,
    OUTLINE_BASEMAP,
    TILE_BASEMAPS,
    Feature,
    Geodata,
    Layer,
    LayerStyle,
    MapOptions,
    Precision,
    Role,
    Status,
    geometry_kinds,
    part_of_target,
)
from .style import (
    DEFAULT_UNCERTAINTY_M,
    STYLE_KEYS,
    feature_style,
    is_basemap_layer,
    layer_swatch,
    legend_key,
    resolve_styles,
)

#: Bumped whenever a member changes meaning or shape (adding members does not).
SCHEMA_VERSION = 1
SCHEMA_ID = "https://cpec-map.invalid/schema/map-document/1"

#: Above these sizes a layer is drawn on canvas: SVG slows down with many thousand paths.
CANVAS_MIN_FEATURES = 3000
CANVAS_MIN_VERTICES = 150_000

#: Properties the document lifts out of ``props`` into members of their own.
PROMOTED = frozenset(
    {"name", "name_ur", "name_zh", "status", "as_of", "precision", "uncertainty_m",
     "description", "sources", "history", "claims", "part_of"}
)
_GEOD = Geod(ellps="WGS84")


def feature_uid(layer: Layer, feature: Feature) -> str:
    """The feature's id across the whole map: ``layer/id``, or ``layer/#index`` without one."""
    own = feature.id if feature.id is not None else f"#{feature.index}"
    return f"{layer.stem}/{own}"


def build_document(geodata: Geodata, options: MapOptions) -> dict[str, Any]:
    """The map document of a validated geodata folder (see the module docstring)."""
    styles = resolve_styles(geodata.layers)
    table = _StyleTable()
    strings = ui_strings()
    layers = []
    used: set[str] = set()
    for layer in geodata.layers:
        if not any(f.geometry is not None and not f.geometry.is_empty for f in layer.features):
            continue  # nothing to draw (a list of what is not on the map, say)
        layers.append(_layer(layer, styles[layer.stem], table, options.precision, used, geodata))
    settings = geodata.settings
    title = options.title or settings.title
    basemaps = [_tile_basemap(key, label, name) for key, (label, name) in TILE_BASEMAPS.items()]
    default = options.basemap
    if default not in TILE_BASEMAPS and default != OUTLINE_BASEMAP:
        basemaps.append(_tile_basemap("custom", default, default))
        default = "custom"
    basemaps.append({"id": OUTLINE_BASEMAP, "name": "basemap.outline", "offline": True})
    legend = _legend(table)
    unmapped = _unmapped(geodata, used)
    shared = _share_sources(geodata, layers, unmapped)
    return {
        "$schema": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "lang": options.lang if options.lang in LANGUAGES else LANGUAGES[0],
        "languages": list(LANGUAGES),
        "title": _i18n(title, {} if options.title else settings.title_i18n),
        "note": _i18n(settings.note, settings.note_i18n) if settings.note else None,
        "dataDate": geodata.data_date(options.data_date),
        "attribution": " | ".join(
            f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">'
            f"{html.escape(text)}</a>" if url else html.escape(text)
            for text, url in geodata.credit_links()
        ),
        "credits": list(geodata.credits()),
        "bounds": _bounds(geodata),
        "basemaps": basemaps,
        "basemap": default,
        "facets": _facets(geodata),
        "timeline": {"dates": timeline_dates(geodata), "asOf": options.as_of},
        "legend": legend,
        "styles": table.rows,
        "strings": strings,
        "layers": layers,
        "unmapped": unmapped,
        "sources": shared,
    }


def _history(f: Feature) -> list[dict[str, Any]]:
    """A feature's status history for the page: date and status of each entry, with its
    note and sources unless the history is its whole's (the part's popup links the whole,
    which has them: twenty schematic links of ML-1 would otherwise repeat them all)."""
    out = []
    for e in history_entries(f.properties):
        entry: dict[str, Any] = {"date": e["date"].strip(), "status": e["status"]}
        if f.history_from is None:
            entry["sources"] = e.get("sources", [])
            if isinstance(e.get("note"), str):
                entry["note"] = e["note"]
        out.append(entry)
    return out


def _share_sources(
    geodata: Geodata, layers: list[dict[str, Any]], unmapped: list[dict[str, Any]]
) -> dict[str, Any]:
    """Store each source of ``sources.toml`` once, in the document's ``sources`` table,
    and refer to it by id wherever a feature cites it (its list, its history entries, its
    claims): a report cited by forty features, or by a section's history that its parts
    share, is written once, not forty times. Inline sources stay where they are."""
    registry = geodata.sources
    table: dict[str, Any] = {}

    def refs(listed: Any) -> Any:
        if not isinstance(listed, list):
            return listed
        out = []
        for src in listed:
            sid = src.get("id") if isinstance(src, dict) else None
            if isinstance(sid, str) and registry.get(sid) is src:  # not another tool's id
                table[sid] = src
                out.append(sid)
            else:
                out.append(src)
        return out

    items = [f for layer in layers for f in layer["features"]] + unmapped
    for item in items:
        if "sources" in item:
            item["sources"] = refs(item["sources"])
        for entry in item.get("history", ()):
            if "sources" in entry:
                entry["sources"] = refs(entry["sources"])
        if isinstance(item.get("claims"), dict):
            item["claims"] = {k: refs(v) for k, v in item["claims"].items()}
    return {sid: table[sid] for sid in sorted(table)}


def _unmapped(geodata: Geodata, used: set[str]) -> list[dict[str, Any]]:
    """Features without geometry: named in the sources, but not locatable. The page
    lists them (with their sources) instead of drawing a guess."""
    out = []
    for layer in geodata.layers:
        for f in layer.features:
            if f.geometry is not None or f.unreadable:
                continue
            props = f.properties
            uid = _unique(feature_uid(layer, f), used)
            item: dict[str, Any] = {
                "id": uid,
                "layer": _i18n(layer.spec.title, layer.spec.title_i18n),
                "name": _names(props),
            }
            for key, member in (("status", "status"), ("as_of", "asOf"),
                                ("unmapped_reason", "reason"), ("description", "description")):
                if isinstance(props.get(key), str):
                    item[member] = props[key]
            if isinstance(props.get("sources"), list):
                item["sources"] = props["sources"]
            history = _history(f)
            if history:  # the list follows the timeline too
                item["history"] = history
            out.append(item)
    return out


def _i18n(text: str | None, translations: Mapping[str, str]) -> dict[str, str]:
    """Text per language: English always, the others where the data gives them."""
    out = {"en": text or ""}
    out.update({k: v for k, v in translations.items() if v})
    return out


@cache
def ui_strings() -> dict[str, dict[str, str]]:
    """Interface strings per language from ``resources/i18n/<lang>.json``."""
    return {lang: json.loads(resources.asset(f"i18n/{lang}.json")) for lang in LANGUAGES}


class _StyleTable:
    """Resolved styles, each stored once and referred to by index (most features share)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self._index: dict[str, int] = {}
        self._memo: dict[tuple[Any, ...], int] = {}

    def feature(self, style: LayerStyle, props: Mapping[str, Any], kind: str) -> int:
        """Index of ``feature_style(style, props, kind)``, resolved once per combination
        of the properties it reads (style.STYLE_KEYS)."""
        key = (style, kind, *(_hashable(props.get(k)) for k in STYLE_KEYS))
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self.add(feature_style(style, props, kind))
        return found

    def add(self, style: dict[str, Any]) -> int:
        key = json.dumps(style, sort_keys=True)
        if key not in self._index:
            self._index[key] = len(self.rows)
            self.rows.append(style)
        return self._index[key]


def _layer(
    layer: Layer,
    style: LayerStyle,
    table: _StyleTable,
    precision: int,
    used: set[str],
    geodata: Geodata,
) -> dict[str, Any]:
    spec = layer.spec
    located = [f for f in layer.features if f.geometry is not None and not f.geometry.is_empty]
    geoms = np.array([f.geometry for f in located], dtype=object)
    vertices = int(shapely.get_num_coordinates(geoms).sum()) if len(geoms) else 0
    chainage = _chainage(layer, geodata, precision) if spec.chainage_from else {}
    ranks = _label_ranks(layer, located) if spec.labels else {}
    # points, the common case of big layers, are rounded in one vectorised call
    is_point = shapely.get_type_id(geoms) == 0 if len(geoms) else np.zeros(0, dtype=bool)
    point_xy = iter(np.round(shapely.get_coordinates(geoms[is_point]), precision).tolist())
    features = []
    for f, point in zip(located, is_point, strict=True):
        geometry = (
            {"type": "Point", "coordinates": next(point_xy)}
            if point else geometry_json(f.geometry, precision)
        )
        features.append(_feature(layer, f, geometry, style, table, used, ranks, chainage))
    canvas = len(features) >= CANVAS_MIN_FEATURES or vertices >= CANVAS_MIN_VERTICES
    kinds = list(layer.geometry_kinds)
    interactive = spec.interactive if spec.interactive is not None else (
        spec.role is Role.CORRIDOR
    )
    return {
        "id": spec.stem,
        "cls": re.sub(r"[^a-z0-9_-]", "-", spec.stem.lower()),
        "title": _i18n(spec.title, spec.title_i18n),
        "group": _i18n(spec.group, spec.group_i18n),
        "role": spec.role.value,
        "visible": spec.visible,
        "interactive": interactive,
        "basemap": is_basemap_layer(layer),
        "labels": spec.labels,
        "description": spec.description,
        "kinds": kinds,
        "renderer": "canvas" if canvas else "svg",
        "swatch": {k: table.add(v) for k, v in layer_swatch(layer, style).items()},
        "facets": list(spec.facets),
        "chainageFrom": _chainage_origin_doc(geodata, spec.chainage_from) if chainage else None,
        "features": features,
    }


def _unique(uid: str, used: set[str]) -> str:
    """``uid``, or ``uid~2``, ``uid~3``…: "5" and 5, or an id that looks like "#3", must
    still name one feature each."""
    out, n = uid, 1
    while out in used:
        n += 1
        out = f"{uid}~{n}"
    used.add(out)
    return out


def _names(props: Mapping[str, Any]) -> dict[str, str]:
    """A feature's name per language (``name``, ``name_ur``, ``name_zh``), where given."""
    out = {}
    for lang, key in zip(LANGUAGES, ("name", "name_ur", "name_zh"), strict=True):
        value = props.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value):
            out[lang] = str(value)
    return out


def _hashable(value: Any) -> Any:
    """A memo key for a property value (lists and dicts are rare and compared as text)."""
    if isinstance(value, (list, dict)):
        return ("json", json.dumps(value, sort_keys=True, default=str))
    return (type(value).__name__, value)


def _feature(
    layer: Layer,
    f: Feature,
    geometry: dict[str, Any],
    style: LayerStyle,
    table: _StyleTable,
    used: set[str],
    ranks: Mapping[int, int],
    chainage: Mapping[int, list[float | None]],
) -> dict[str, Any]:
    props = f.properties
    uid = _unique(feature_uid(layer, f), used)
    out: dict[str, Any] = {"id": uid, "name": _names(props)}
    for key, member in (("status", "status"), ("precision", "precision"), ("as_of", "asOf")):
        value = props.get(key)
        if isinstance(value, str):
            out[member] = value
    kinds = sorted(geometry_kinds(f.geometry))
    out["style"] = {k: table.feature(style, props, k) for k in kinds}
    if props.get("precision") == Precision.APPROXIMATE.value and "point" in kinds:
        radius = props.get("uncertainty_m")
        ok = isinstance(radius, (int, float)) and not isinstance(radius, bool) and radius > 0
        out["uncertainty"] = float(radius) if ok else DEFAULT_UNCERTAINTY_M
        out["style"]["uncertainty"] = table.feature(style, props, "uncertainty")
    history = _history(f)
    for entry in history:  # each status it had, with the look it had then (the timeline)
        status = {**props, "status": entry["status"]}
        entry["style"] = {k: table.feature(style, status, k) for k in out["style"]}
    if history:
        out["history"] = history
    part_of = part_of_target(layer.stem, props.get("part_of"))
    if part_of is not None:  # the whole it belongs to (and takes its history from)
        out["partOf"] = part_of
    if isinstance(props.get("description"), str):
        out["description"] = props["description"]
    if "sources" in props:
        out["sources"] = props["sources"]
    if isinstance(props.get("claims"), dict):
        out["claims"] = props["claims"]
    rest = {k: v for k, v in props.items() if k not in PROMOTED}
    if rest:
        out["props"] = rest
    if f.index in ranks:
        out["rank"] = ranks[f.index]
    if f.index in chainage:
        out["chainage"] = chainage[f.index]
    out["geometry"] = geometry
    return out


def _legend(table: _StyleTable) -> list[dict[str, Any]]:
    """The legend key with its sample styles stored in the style table."""
    out = []
    for entry in legend_key():
        item = dict(entry)
        item["samples"] = {k: table.add(v) for k, v in entry["samples"].items()}
        out.append(item)
    return out


def _facets(geodata: Geodata) -> list[dict[str, Any]]:
    """Filters the page offers: status and precision, then each facet a layer declares,
    with the values that occur (in lifecycle order for status, else sorted)."""
    facets: list[dict[str, Any]] = []
    declared: dict[str, list[str]] = {}
    for layer in geodata.layers:
        for name in layer.spec.facets:
            declared.setdefault(name, [])

    def values(key: str) -> list[str]:
        found = {
            v for layer in geodata.layers for f in layer.features
            if f.geometry is not None and isinstance(v := f.properties.get(key), str) and v
        }
        return sorted(found)

    statuses = set(values("status")) | {  # past statuses too: the timeline shows them
        e["status"] for layer in geodata.layers for f in layer.features
        if f.geometry is not None for e in history_entries(f.properties)
    }
    facets.append({"id": "status", "label": "facet.status",
                   "values": [s.value for s in Status if s.value in statuses]})
    precisions = set(values("precision"))
    facets.append({"id": "precision", "label": "facet.precision",
                   "values": [p.value for p in Precision if p.value in precisions]})
    for name in sorted(declared):
        if name in ("status", "precision"):
            continue
        facets.append({"id": name, "label": f"prop.{name}", "values": values(name)})
    return [f for f in facets if f["values"]]


def _label_ranks(layer: Layer, located: Sequence[Feature]) -> dict[int, int]:
    """Label priority of each feature (0 first): the manifest's ``label_priority``
    property, larger first, ties and features without it in file order."""
    key = layer.spec.label_priority

    def weight(f: Feature) -> float:
        value = f.properties.get(key) if key else None
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return -float(value) if ok and math.isfinite(value) else math.inf

    ordered = sorted(located, key=lambda f: (weight(f), f.index))
    return {f.index: rank for rank, f in enumerate(ordered)}


# --- chainage ----------------------------------------------------------------------------


def chainage_origin(geodata: Geodata, ref: str) -> tuple[Feature, Layer] | None:
    """The point feature a ``chainage_from = "layer/id"`` reference names, if any."""
    stem, _, own = ref.partition("/")
    for layer in geodata.layers:
        if layer.stem != stem:
            continue
        for f in layer.features:
            if f.geometry is None or f.geometry.geom_type != "Point":
                continue
            if str(f.id) == own or (f.id is None and own == f"#{f.index}"):
                return f, layer
    return None


def _chainage_origin_doc(geodata: Geodata, ref: str | None) -> dict[str, Any] | None:
    found = chainage_origin(geodata, ref or "")
    if found is None:
        return None
    feature, layer = found
    names = _names(feature.properties)
    post = feature.properties.get("km_post")
    ok = isinstance(post, (int, float)) and not isinstance(post, bool) and math.isfinite(post)
    return {"id": feature_uid(layer, feature), "name": names, "kmPost": post if ok else None}


def _chainage(layer: Layer, geodata: Geodata, precision: int) -> dict[int, list[float | None]]:
    """Distance (km, geodesic on WGS84) from the origin along the layer's lines to every
    vertex of every line feature, by feature index, in the order of the vertices in the
    feature's geometry. The lines form a network (branches, loops): a vertex's chainage
    is its shortest distance from the origin through it. Vertices the network does not
    connect to the origin have ``None``."""
    found = chainage_origin(geodata, layer.spec.chainage_from or "")
    if found is None:
        return {}
    origin = found[0].geometry
    scale = 10**precision
    nodes: dict[tuple[int, int], int] = {}
    coords: list[tuple[float, float]] = []
    edges: dict[int, list[tuple[int, float]]] = {}
    per_feature: dict[int, list[list[int]]] = {}

    def node(x: float, y: float) -> int:
        key = (round(x * scale), round(y * scale))
        if key not in nodes:
            nodes[key] = len(coords)
            coords.append((x, y))
        return nodes[key]

    for f in layer.features:
        if f.geometry is None:
            continue
        parts = list(_lines(f.geometry))
        if not parts:
            continue
        ids = []
        for part in parts:
            xy = shapely.get_coordinates(part)
            seq = [node(x, y) for x, y in xy]
            ids.append(seq)
            if len(xy) > 1:
                lengths = _GEOD.line_lengths(xy[:, 0], xy[:, 1])
                for a, b, d in zip(seq, seq[1:], lengths, strict=False):
                    edges.setdefault(a, []).append((b, d))
                    edges.setdefault(b, []).append((a, d))
        per_feature[f.index] = ids
    if not coords:
        return {}
    xy = np.array(coords)
    _, _, gaps = _GEOD.inv(np.full(len(xy), origin.x), np.full(len(xy), origin.y),
                           xy[:, 0], xy[:, 1])
    start = int(np.argmin(gaps))
    dist = {start: 0.0}
    queue = [(0.0, start)]
    while queue:
        d, a = heapq.heappop(queue)
        if d > dist.get(a, math.inf):
            continue
        for b, w in edges.get(a, ()):
            if d + w < dist.get(b, math.inf):
                dist[b] = d + w
                heapq.heappush(queue, (d + w, b))
    out: dict[int, list[float | None]] = {}
    for index, parts in per_feature.items():
        out[index] = [
            round(dist[n] / 1000, 2) if n in dist else None for seq in parts for n in seq
        ]
    return out


def _lines(geom: Any) -> Iterable[Any]:
    kind = geom.geom_type
    if kind in ("LineString", "LinearRing"):
        yield geom
    elif kind in ("MultiLineString", "GeometryCollection"):
        for g in geom.geoms:
            yield from _lines(g)


# --- geometry and basemaps -----------------------------------------------------------------


def geometry_json(geom: Any, precision: int) -> dict[str, Any]:
    """GeoJSON geometry with coordinates rounded to ``precision`` decimals."""
    kind = geom.geom_type
    if kind == "GeometryCollection":
        return {"type": kind, "geometries": [geometry_json(g, precision) for g in geom.geoms]}

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
    found = _provider(provider_name)
    out: dict[str, Any] = {
        "id": key,
        "name": f"basemap.{key}" if key in TILE_BASEMAPS else label,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["url"] = found.build_url(fill_subdomain=False)
        out["attribution"] = found.html_attribution
        out["maxZoom"] = int(found.get("max_zoom", 19))
    if "subdomains" in found:
        out["subdomains"] = found["subdomains"]
    return out
