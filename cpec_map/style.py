"""Resolve how each layer and feature is drawn: the one place style rules live.

Pure data in, pure data out. :func:`feature_style` decides every feature's look from
its layer's style and its properties; the map document carries the results to the
page and the static figures read the same function, so both outputs share one look
and a rule changes in one place (pinned by tests/golden/style_table.json).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .model import Layer, LayerStyle, Precision, Role, Status

#: Okabe–Ito based palette (with Paul Tol's indigo for its purple, which a protanope or
#: deuteranope could not tell from the blue): distinct under colour-vision deficiency
#: (tests/test_accessibility.py simulates it) and in print.
CORRIDOR_PALETTE = (
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#332288", "#8c6d31",
)
CONTEXT_PALETTE = ("#5f6b73", "#7d8a92", "#4a4a4a", "#8f8f8f")

#: Line dash (SVG ``stroke-dasharray``, in multiples of the line weight) for each status.
STATUS_DASH: dict[Status, tuple[float, ...] | None] = {
    Status.OPERATIONAL: None,
    Status.UNDER_CONSTRUCTION: (4, 2),
    Status.PLANNED: (2, 2),
    Status.PROPOSED: (0.1, 2),
    Status.SUSPENDED: (6, 2, 1, 2),
}
#: Dash of boundary lines by ``boundary_type``; disputed lines are never drawn solid.
BOUNDARY_DASH: dict[str, tuple[float, ...] | None] = {
    "international": None,
    "line_of_control": (6, 3, 1, 3),
    "disputed": (3, 3),
    "claim": (1, 3),
    "indefinite": (1, 3),
}
#: Fill opacity of a site's marker by status; planned and proposed sites are hollow
#: (white), anything else gets DEFAULT_POINT_FILL. Shared by the page and the figures.
POINT_FILL: dict[Status, float] = {Status.OPERATIONAL: 0.9, Status.UNDER_CONSTRUCTION: 0.55}
HOLLOW_STATUSES = frozenset({Status.PLANNED, Status.PROPOSED})
SUSPENDED_FILL = "#9e9e9e"
DEFAULT_POINT_FILL = 0.8
#: Opacity multiplier for schematic geometry: visibly "drawn between known points".
SCHEMATIC_OPACITY = 0.55
#: Uncertainty circle radius (metres) for an approximate point that does not say its own.
DEFAULT_UNCERTAINTY_M = 2000.0


def resolve_styles(layers: Sequence[Layer]) -> dict[str, LayerStyle]:
    """Style of every layer, keyed by file stem; colours are assigned deterministically.

    A layer without a colour of its own gets the next palette colour that no other
    layer uses (manifest colours included), so a new layer never looks like an old one.
    """
    styles: dict[str, LayerStyle] = {}
    taken = {la.spec.color.lower() for la in layers if la.spec.color}
    for layer in layers:
        spec = layer.spec
        context = spec.role is Role.CONTEXT
        color = spec.color
        if color is None:
            color = _free_colour(CONTEXT_PALETTE if context else CORRIDOR_PALETTE, taken)
            taken.add(color)
        styles[layer.stem] = LayerStyle(
            color=color,
            fill_color=spec.fill_color or color,
            fill_opacity=spec.fill_opacity if spec.fill_opacity is not None else (
                0.06 if context else 0.25
            ),
            weight=spec.weight if spec.weight is not None else (1.2 if context else 3.0),
            radius=spec.radius if spec.radius is not None else (4.0 if context else 6.0),
        )
    return styles


def _free_colour(palette: Sequence[str], taken: set[str]) -> str:
    """The first palette colour not taken; past the palette, evenly spread hues."""
    for color in palette:
        if color.lower() not in taken:
            return color
    step = 0
    while True:  # golden-angle hues at a fixed lightness: distinct and deterministic
        color = _hsl_hex((step * 137.508) % 360, 0.65, 0.42)
        step += 1
        if color not in taken:
            return color


def _hsl_hex(hue: float, sat: float, light: float) -> str:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue / 360, light, sat)
    return "#{:02x}{:02x}{:02x}".format(*(round(v * 255) for v in (r, g, b)))


_STATUSES = frozenset(s.value for s in Status)


def _status(props: Mapping[str, Any]) -> Status | None:
    value = props.get("status")
    return Status(value) if isinstance(value, str) and value in _STATUSES else None


#: The only properties :func:`feature_style` reads: features that agree on these (and on
#: their layer and kind) look the same, so a build resolves each combination once.
STYLE_KEYS = ("status", "precision", "boundary_type", "disputed")


def feature_style(style: LayerStyle, props: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """How one feature is drawn: the one place the styling rules live.

    ``kind`` is ``point``, ``line``, ``polygon`` or ``uncertainty`` (the circle around
    an approximate site). The result is plain JSON-able data read by the page and by
    the static figures alike: colours, ``weight`` (px), ``opacity``, ``fillColor`` and
    ``fillOpacity``, ``dash`` (a dash pattern in multiples of ``weight``, or None),
    ``hatch`` (disputed areas), and for points ``radius`` and ``symbol``.
    """
    status = _status(props)
    schematic = props.get("precision") == Precision.SCHEMATIC.value
    opacity = style.opacity * (SCHEMATIC_OPACITY if schematic else 1.0)
    if kind == "uncertainty":
        return {
            "color": style.color, "weight": 1.0, "opacity": 0.8, "dash": [4.0, 4.0],
            "fillColor": style.color, "fillOpacity": 0.08, "hatch": False,
        }
    if kind == "point":
        hollow = status in HOLLOW_STATUSES
        fill = POINT_FILL.get(status, DEFAULT_POINT_FILL) if status else DEFAULT_POINT_FILL
        suspended = status is Status.SUSPENDED
        symbol = (
            "filled" if status is None or status is Status.OPERATIONAL
            else "half" if status is Status.UNDER_CONSTRUCTION
            else "hollow" if status is Status.PLANNED
            else "suspended" if suspended
            else "hollow-dashed"
        )
        return {
            "color": style.color, "weight": 2.0, "opacity": opacity, "radius": style.radius,
            # a suspended site is grey inside its layer's ring: built, not working now
            "fillColor": "#ffffff" if hollow else SUSPENDED_FILL if suspended else style.fill_color,
            "fillOpacity": 0.9 if hollow or suspended else fill,
            "dash": [1.0, 1.5] if status is Status.PROPOSED else None,
            "hatch": False, "symbol": symbol,
        }
    pattern = STATUS_DASH.get(status) if status else None
    btype = props.get("boundary_type")
    disputed = props.get("disputed") is True
    if isinstance(btype, str) and btype in BOUNDARY_DASH:
        pattern = BOUNDARY_DASH[btype]
    elif disputed and pattern is None:
        pattern = BOUNDARY_DASH["disputed"]
    fill = style.fill_opacity
    if kind == "polygon" and status is Status.PLANNED:
        fill /= 2
    elif kind == "polygon" and status is Status.PROPOSED:
        fill = 0.0
    return {
        "color": style.color, "weight": style.weight, "opacity": opacity,
        "fillColor": style.fill_color, "fillOpacity": fill if kind == "polygon" else 0.0,
        "dash": list(pattern) if pattern else None,
        "hatch": kind == "polygon" and disputed,
    }


#: The neutral ink legend samples are drawn in, and the grey of boundary samples.
LEGEND_INK = LayerStyle(color="#333333", fill_color="#333333", fill_opacity=0.25, weight=2.5,
                        radius=5.0)
LEGEND_GREY = LayerStyle(color="#555555", fill_color="#555555", fill_opacity=0.06, weight=1.5,
                         radius=4.0)


def legend_key() -> list[dict[str, Any]]:
    """Every key entry a legend may show, each with its resolved sample styles.

    ``match`` (property -> value) says which features an entry explains, ``kinds``
    (if given) which geometries; ``label`` is an interface string key. A legend lists
    an entry while a shown feature matches it.
    """
    entries: list[dict[str, Any]] = []
    for status in Status:
        props = {"status": status.value}
        entries.append({
            "section": "status", "label": f"status.{status.value}", "match": props,
            "samples": {k: feature_style(LEGEND_INK, props, k) for k in ("line", "point")},
        })
    approx = {"precision": Precision.APPROXIMATE.value}
    entries.append({
        "section": "precision", "label": "precision.approximate", "match": approx,
        "samples": {"uncertainty": feature_style(LEGEND_INK, approx, "uncertainty"),
                    "point": feature_style(LEGEND_INK, {}, "point")},
    })
    schematic = {"precision": Precision.SCHEMATIC.value}
    entries.append({
        "section": "precision", "label": "precision.schematic", "match": schematic,
        "samples": {"line": feature_style(LEGEND_INK, schematic, "line")},
    })
    disputed = {"disputed": True}
    entries.append({
        "section": "boundaries", "label": "legend.disputed_area", "match": disputed,
        "kinds": ["polygon"],
        "samples": {"polygon": feature_style(LEGEND_GREY, disputed, "polygon")},
    })
    for btype in ("line_of_control", "disputed", "claim", "indefinite"):
        props = {"boundary_type": btype}
        entries.append({
            "section": "boundaries", "label": f"boundary.{btype}", "match": props,
            "kinds": ["line"],
            "samples": {"line": feature_style(LEGEND_GREY, props, "line")},
        })
    return entries


def legend_matches(entry: Mapping[str, Any], props: Mapping[str, Any], kinds: set[str]) -> bool:
    """Whether a feature (its properties and geometry kinds) is explained by an entry."""
    if "kinds" in entry and not kinds & set(entry["kinds"]):
        return False
    return all(props.get(k) == v for k, v in entry["match"].items())


def layer_swatch(layer: Layer, style: LayerStyle) -> dict[str, dict[str, Any]]:
    """The layer's sample in a legend: drawn with the status most of its features have,
    so a layer of planned (hollow) sites is shown hollow, not filled."""
    counts: dict[str | None, int] = {}
    for f in layer.features:
        status = f.properties.get("status")
        key = status if isinstance(status, str) else None
        counts[key] = counts.get(key, 0) + 1
    common = max(sorted(counts, key=str), key=counts.__getitem__) if counts else None
    props = {"status": common} if common else {}
    kinds = layer.geometry_kinds
    if "polygon" in kinds and len(kinds) > 1:
        kinds = tuple(k for k in kinds if k != "polygon")  # a line or site says more
    return {k: feature_style(style, props, k) for k in kinds}


def is_basemap_layer(layer: Layer) -> bool:
    """Whether a layer feeds the offline outline basemap: context polygons by default."""
    if layer.spec.basemap is not None:
        return layer.spec.basemap
    return layer.spec.role is Role.CONTEXT and layer.geometry_kinds == ("polygon",)
