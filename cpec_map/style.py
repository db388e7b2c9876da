"""Resolve how each layer is drawn: manifest values first, then role-based defaults.

Pure data in, pure data out: the renderer turns these into Leaflet options and the
static-figure exporter into matplotlib ones, so both outputs share one look.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .model import Layer, LayerStyle, Precision, Role, Status

#: Okabe–Ito based palette: distinct for the common colour-vision deficiencies and in print.
CORRIDOR_PALETTE = (
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a4fa0", "#8c6d31",
)
CONTEXT_PALETTE = ("#5f6b73", "#7d8a92", "#4a4a4a", "#8f8f8f")

#: Line dash (SVG ``stroke-dasharray``, in multiples of the line weight) for each status.
STATUS_DASH: dict[Status, tuple[float, ...] | None] = {
    Status.OPERATIONAL: None,
    Status.UNDER_CONSTRUCTION: (4, 2),
    Status.PLANNED: (2, 2),
    Status.PROPOSED: (0.1, 2),
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
DEFAULT_POINT_FILL = 0.8
#: Opacity multiplier for schematic geometry: visibly "drawn between known points".
SCHEMATIC_OPACITY = 0.55
#: Uncertainty circle radius (metres) for an approximate point that does not say its own.
DEFAULT_UNCERTAINTY_M = 2000.0


def resolve_styles(layers: Sequence[Layer]) -> dict[str, LayerStyle]:
    """Style of every layer, keyed by file stem; colours are assigned deterministically."""
    styles: dict[str, LayerStyle] = {}
    used = {"corridor": 0, "context": 0}
    for layer in layers:
        spec = layer.spec
        context = spec.role is Role.CONTEXT
        color = spec.color
        if color is None:
            palette = CONTEXT_PALETTE if context else CORRIDOR_PALETTE
            key = "context" if context else "corridor"
            color = palette[used[key] % len(palette)]
            used[key] += 1
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


def status_key() -> list[dict[str, Any]]:
    """Legend rows for the statuses, in lifecycle order."""
    return [
        {"value": s.value, "label": s.label, "dash": list(d) if (d := STATUS_DASH[s]) else None}
        for s in Status
    ]


def precision_key() -> list[dict[str, Any]]:
    """Legend rows explaining how precision is drawn."""
    return [
        {"value": Precision.EXACT.value, "label": "Mapped location"},
        {"value": Precision.APPROXIMATE.value, "label": "Approximate site (circle: uncertainty)"},
        {"value": Precision.SCHEMATIC.value, "label": "Schematic alignment (faded)"},
    ]


def is_basemap_layer(layer: Layer) -> bool:
    """Whether a layer feeds the offline outline basemap: context polygons by default."""
    if layer.spec.basemap is not None:
        return layer.spec.basemap
    return layer.spec.role is Role.CONTEXT and layer.geometry_kinds == ("polygon",)
