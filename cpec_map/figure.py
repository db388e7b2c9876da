"""Static figures for reports (PNG, SVG, PDF), drawn with matplotlib from the same
layers and styles as the HTML map. The only matplotlib user; imported lazily.

The map is drawn in longitude/latitude with the aspect corrected for the view's
mid-latitude (north up, distances true along the centre parallel, which is what
the scale bar measures). Output is byte-stable: fixed metadata, fixed SVG ids.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import Geod

from .document import ui_strings
from .errors import UsageError
from .fonts import ARABIC_FAMILY, CJK_FAMILY, EMBEDDED, font_faces, font_path
from .model import (
    FIGURE_SIZES,
    RTL_LANGUAGES,
    FigureOptions,
    Geodata,
    Layer,
    LayerStyle,
    Role,
    geometry_kinds,
)
from .style import (
    DEFAULT_UNCERTAINTY_M,
    feature_style,
    layer_swatch,
    legend_key,
    legend_matches,
    resolve_styles,
)

SIZES = FIGURE_SIZES
MM_PER_INCH = 25.4
#: Margin (fraction of the span) added around a view's bounding box.
VIEW_MARGIN = 0.04
#: Smallest span (degrees) of a figure, so that a view of one point still shows its setting.
MIN_SPAN = 0.25
SEA = "#dde8ef"
LAND = "#f6f3ec"
INK = "#1d2b36"
GREY = "#4d5b66"
LATIN_FONTS = ["DejaVu Sans"]
_GEOD = Geod(ellps="WGS84")
_SVG_NS = "{http://www.w3.org/2000/svg}"


def parse_size(text: str) -> tuple[float, float]:
    """Figure size in inches from a preset name or ``WxH`` with ``mm`` (default) or ``in``."""
    if text in SIZES:
        w, h = SIZES[text]
        return w / MM_PER_INCH, h / MM_PER_INCH
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|in)?\s*", text)
    if not match:
        raise UsageError(
            f"--size {text}: use a preset ({', '.join(SIZES)}) or WxH in mm or in, e.g. 180x120mm"
        )
    w, h, unit = float(match[1]), float(match[2]), match[3] or "mm"
    factor = 1.0 if unit == "in" else 1 / MM_PER_INCH
    w_in, h_in = w * factor, h * factor
    if not (1 <= w_in <= 60 and 1 <= h_in <= 60):
        raise UsageError(f"--size {text}: each side must be between 1 and 60 inches")
    return w_in, h_in


def resolve_view(geodata: Geodata, view: str) -> tuple[float, float, float, float]:
    """Bounding box (west, south, east, north) of a named view, a layer or a 'W,S,E,N' box."""
    views = geodata.settings.views
    if view in views:
        return views[view]
    if view == "corridor":
        return _bounds(
            f.geometry
            for la in geodata.layers
            if la.spec.role is Role.CORRIDOR
            for f in la.features
        )
    layers = {la.stem: la for la in geodata.layers}
    if view in layers:
        return _bounds(f.geometry for f in layers[view].features)
    parts = view.split(",")
    if len(parts) == 4:
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            pass
        else:
            if -180 <= west < east <= 180 and -90 <= south < north <= 90:
                return west, south, east, north
            raise UsageError(f"--view {view}: need west < east and south < north, in degrees")
    names = ", ".join(["corridor", *sorted(views), "a layer name", "or W,S,E,N"])
    raise UsageError(f"--view {view}: unknown view (choose {names})")


def _bounds(geoms: Iterable[Any]) -> tuple[float, float, float, float]:
    found = [g for g in geoms if g is not None and not g.is_empty]
    if not found:
        return (60.5, 23.5, 77.5, 37.5)
    x0, y0, x1, y1 = shapely.total_bounds(np.array(found, dtype=object))
    return float(x0), float(y0), float(x1), float(y1)


# --- drawing ------------------------------------------------------------------------------


def draw(geodata: Geodata, options: FigureOptions) -> Any:
    """The matplotlib Figure of the geodata, framed and sized as the options say."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fonts = _fonts(options.lang)
    width_in, height_in = parse_size(options.size)
    west, south, east, north = resolve_view(geodata, options.view)
    scale = min(1.0, max(0.55, math.sqrt(width_in * height_in) / math.sqrt(11.69 * 8.27)))
    styles = resolve_styles(geodata.layers)

    with matplotlib.rc_context(_rc(fonts, scale)):
        fig = Figure(figsize=(width_in, height_in), dpi=options.dpi)
        FigureCanvasAgg(fig)  # a canvas of our own: no pyplot, no global state
        landscape = width_in / height_in > 1.15
        visible = [la for la in geodata.layers if la.spec.visible]
        entries = _legend_entries(
            visible, styles, scale, shapely.box(west, south, east, north), options.lang
        )
        legend_w = 0.25 if landscape else 0.0
        # portrait: the legend sits under the map in two columns; reserve its height
        line_in = 7.5 * scale * 1.75 / 72
        legend_h = 0.0 if landscape else (math.ceil(len(entries) / 2) + 2) * line_in
        top = 1 - (0.62 * scale + 0.15) / height_in  # room for the title block
        bottom = (0.42 * scale + 0.08 + legend_h) / height_in
        ax = fig.add_axes((0.02, bottom, 0.96 - legend_w, top - bottom))
        ax.set_facecolor(SEA)
        for side in ax.spines.values():
            side.set_color(GREY)
            side.set_linewidth(0.6)
        ax.set_xticks([])
        ax.set_yticks([])

        _frame(ax, fig, (west, south, east, north), _coverage(geodata))

        _land(ax, geodata)
        for z, layer in enumerate(geodata.layers, start=2):
            if layer.spec.visible:
                _draw_layer(ax, layer, styles[layer.stem], z, scale)

        furniture = [_scale_bar(ax, scale), _north_arrow(ax, scale)]
        fig.canvas.draw()  # lays out the text that label placement measures
        renderer = fig.canvas.get_renderer()
        _labels(
            ax,
            visible,
            options.lang,
            scale,
            renderer,
            [a.get_window_extent(renderer) for group in furniture for a in group],
        )
        # the frame grew to fill the axes: the legend lists what is actually shown
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        entries = _legend_entries(visible, styles, scale, shapely.box(x0, y0, x1, y1), options.lang)
        _place_legend(fig, ax, entries, landscape, scale, bottom, options.lang)
        _title_block(fig, geodata, options, scale)
        _footer(fig, geodata, visible, scale, options.lang)
    return fig


def _frame(
    ax: Any,
    fig: Any,
    view: tuple[float, float, float, float],
    coverage: tuple[float, float, float, float] | None,
) -> None:
    """Set limits that contain the view and fill the axes at the mid-latitude's aspect.

    Filling the axes widens or heightens the view; it never widens it past the land the
    basemap layers cover (beyond it, land would look like sea): then the axes shrink
    to the map instead.
    """
    west, south, east, north = view
    grow_x, grow_y = (
        max(0.0, MIN_SPAN - (east - west)) / 2,
        max(0.0, MIN_SPAN - (north - south)) / 2,
    )
    west, east, south, north = west - grow_x, east + grow_x, south - grow_y, north + grow_y
    dx, dy = (east - west) * VIEW_MARGIN, (north - south) * VIEW_MARGIN
    west, east, south, north = west - dx, east + dx, south - dy, north + dy
    aspect = 1 / math.cos(math.radians((south + north) / 2))  # y degree / x degree on paper
    box = ax.get_position()
    box_ratio = (box.width * fig.get_figwidth()) / (box.height * fig.get_figheight())
    span_x, span_y = east - west, (north - south) * aspect
    if span_x / span_y < box_ratio:  # too narrow: widen
        grow = (span_y * box_ratio - span_x) / 2
        west, east = west - grow, east + grow
    else:  # too flat: heighten
        grow = (span_x / box_ratio - span_y) / 2 / aspect
        south, north = south - grow, north + grow
    clamped = False
    if coverage is not None:
        c_west, c_south, c_east, c_north = coverage
        if view[0] >= c_west and view[2] <= c_east and (west < c_west or east > c_east):
            west, east, clamped = max(west, c_west), min(east, c_east), True
        if view[1] >= c_south and view[3] <= c_north and (south < c_south or north > c_north):
            south, north, clamped = max(south, c_south), min(north, c_north), True
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    if clamped:
        ax.set_aspect(aspect, adjustable="box", anchor="NW")
        ax.apply_aspect()


def _rc(fonts: list[str], scale: float) -> dict[str, Any]:
    return {
        "font.family": fonts,
        "font.size": 9 * scale,
        "svg.fonttype": "none",
        "svg.hashsalt": "cpec-map",
        "pdf.fonttype": 42,
        "hatch.linewidth": 0.6,
        "lines.solid_capstyle": "round",
        "lines.dash_capstyle": "round",
        "axes.unicode_minus": False,
    }


@functools.cache
def _fonts(lang: str) -> list[str]:
    """Font family list for a language, registering the packaged Noto fonts it needs
    (once per process: matplotlib's font list is global)."""
    from matplotlib import font_manager

    if lang == "en":
        return LATIN_FONTS
    family = {"ur": ARABIC_FAMILY, "zh": CJK_FAMILY}.get(lang)
    if family:
        font_manager.fontManager.addfont(str(font_path(family)))
        return [*LATIN_FONTS, family]
    raise UsageError(f"--lang {lang}: choose en, ur or zh")


@contextlib.contextmanager
def _quiet_font_fallback() -> Iterator[None]:
    """The Urdu and CJK fonts have no bold face; matplotlib falls back to regular and
    logs a warning for every bold text. That is expected here, not news for the user."""
    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _dash(pattern: Sequence[float] | None) -> Any:
    return "solid" if not pattern else (0, tuple(pattern))


def _draw_layer(ax: Any, layer: Layer, style: LayerStyle, z: int, scale: float) -> None:
    """Draw a layer with :func:`style.feature_style`, the rules the page uses too."""
    from matplotlib.patches import Ellipse, PathPatch

    context = layer.spec.role is Role.CONTEXT
    px = 0.75 * scale  # one screen pixel of the page, in points
    for feature in layer.features:
        geom, props = feature.geometry, feature.properties
        if geom is None or geom.is_empty:
            continue
        for part in _parts(geom):
            kind = part.geom_type
            if kind == "Polygon":
                s = feature_style(style, props, "polygon")
                fill = s["fillOpacity"]
                ax.add_patch(
                    PathPatch(
                        _polygon_path(part),
                        facecolor=_rgba(s["fillColor"], fill) if fill else "none",
                        edgecolor=_rgba(s["color"], s["opacity"]),
                        linewidth=s["weight"] * px,
                        linestyle=_dash(s["dash"]),
                        hatch="////" if s["hatch"] else None,
                        hatchcolor=_rgba(s["color"], 0.5) if s["hatch"] else None,
                        zorder=z,
                    )
                )
            elif kind == "LineString":
                s = feature_style(style, props, "line")
                xy = np.asarray(part.coords)
                ax.plot(
                    xy[:, 0],
                    xy[:, 1],
                    color=s["color"],
                    linewidth=s["weight"] * px,
                    alpha=s["opacity"],
                    linestyle=_dash(s["dash"]),
                    zorder=z + (0 if context else 100),
                )
            elif kind == "Point":
                if props.get("precision") == "approximate":
                    u = feature_style(style, props, "uncertainty")
                    radius = props.get("uncertainty_m")
                    ok = isinstance(radius, (int, float)) and not isinstance(radius, bool)
                    radius = radius if ok and radius > 0 else DEFAULT_UNCERTAINTY_M
                    dlat = radius / 111_320
                    dlon = dlat / math.cos(math.radians(part.y))
                    ax.add_patch(
                        Ellipse(
                            (part.x, part.y),
                            2 * dlon,
                            2 * dlat,
                            facecolor=_rgba(u["fillColor"], u["fillOpacity"]),
                            edgecolor=_rgba(u["color"], u["opacity"]),
                            linewidth=u["weight"] * 0.6 * scale,
                            linestyle=_dash(u["dash"]),
                            zorder=z + 150,
                        )
                    )
                s = feature_style(style, props, "point")
                ax.plot(
                    [part.x],
                    [part.y],
                    marker="o",
                    linestyle="none",
                    markersize=s["radius"] * 1.5 * scale,
                    markerfacecolor=_rgba(s["fillColor"], s["fillOpacity"]),
                    markeredgecolor=_rgba(s["color"], s["opacity"]),
                    markeredgewidth=1.2 * scale,
                    zorder=z + 200,
                )


def _coverage(geodata: Geodata) -> tuple[float, float, float, float] | None:
    """Extent of the land the basemap layers draw, if they draw any."""
    from .style import is_basemap_layer

    geoms = [f.geometry for la in geodata.layers if is_basemap_layer(la) for f in la.features]
    return _bounds(geoms) if any(g is not None for g in geoms) else None


def _land(ax: Any, geodata: Geodata) -> None:
    """Land under everything, from the layers that feed the offline outline basemap."""
    from matplotlib.patches import PathPatch

    from .style import is_basemap_layer

    for layer in geodata.layers:
        if not is_basemap_layer(layer):
            continue
        for feature in layer.features:
            for part in _parts(feature.geometry) if feature.geometry is not None else ():
                if part.geom_type == "Polygon":
                    ax.add_patch(
                        PathPatch(_polygon_path(part), facecolor=LAND, edgecolor="none", zorder=1)
                    )


def _polygon_path(polygon: Any) -> Any:
    """A matplotlib path of a shapely polygon, holes included."""
    from matplotlib.path import Path as MplPath

    return MplPath.make_compound_path(
        *(
            MplPath(np.asarray(r.coords)[:, :2], closed=True)
            for r in (polygon.exterior, *polygon.interiors)
        )
    )


def _features_in(layer: Layer, box: Any) -> list[Any]:
    """The layer's features that reach into ``box`` (vectorised: layers can be large)."""
    located = [f for f in layer.features if f.geometry is not None]
    if not located:
        return []
    hits = shapely.intersects(np.array([f.geometry for f in located], dtype=object), box)
    return [f for f, hit in zip(located, hits, strict=True) if hit]


def _parts(geom: Any) -> Iterable[Any]:
    if hasattr(geom, "geoms"):
        for g in geom.geoms:
            yield from _parts(g)
    else:
        yield geom


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(color, alpha)


def _label_text(props: Any, lang: str) -> str | None:
    """A short label: ``label`` if given, else the name without a trailing "(...)"."""
    keys = ("label", "name") if lang == "en" else (f"name_{lang}", "label", "name")
    for key in keys:
        value = props.get(key)
        if isinstance(value, str) and value.strip():
            short = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", value.strip())
            return short or value.strip()
    return None


def _labels(
    ax: Any, layers: Sequence[Layer], lang: str, scale: float, renderer: Any, obstacles: list[Any]
) -> None:
    """Greedy label placement: corridor sites first, then labelled layers; none overlap
    each other, the scale bar or the north arrow, and none leave the map."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = list(obstacles)
    candidates = []
    for layer in layers:
        corridor = layer.spec.role is Role.CORRIDOR
        if not (layer.spec.labels or corridor) or "point" not in layer.geometry_kinds:
            continue
        if corridor and layer.stem.endswith("stations"):
            continue  # stations are many; the legend and the line tell their story
        for f in layer.features:
            g = f.geometry
            if g is None or g.geom_type != "Point" or not (x0 <= g.x <= x1 and y0 <= g.y <= y1):
                continue
            text = _label_text(f.properties, lang)
            if text:
                pop = f.properties.get("population")
                rank = (0 if corridor else 1, -(pop if isinstance(pop, (int, float)) else 0))
                candidates.append((rank, text, g.x, g.y, corridor))
    candidates.sort(key=lambda c: c[0])
    pad = 4 * scale
    offsets = [
        (pad, 0, "left", "center"),
        (-pad, 0, "right", "center"),
        (0, pad, "center", "bottom"),
        (0, -pad, "center", "top"),
    ]
    for _rank, text, x, y, corridor in candidates:
        for ox, oy, ha, va in offsets:
            label = ax.annotate(
                text,
                (x, y),
                xytext=(ox, oy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=(7.5 if corridor else 7) * scale,
                color=INK,
                # the packaged Urdu and CJK fonts have no bold face
                fontweight="bold" if corridor and lang == "en" else "normal",
                zorder=500,
                bbox=_halo(scale),
            )
            box = label.get_window_extent(renderer).expanded(1.05, 1.15)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(b) for b in placed):
                placed.append(box)
                break
            label.remove()


def _halo(scale: float) -> dict[str, Any]:
    """A soft white box behind text. (A stroke path effect would look finer but turns the
    text into outlines in SVG and PDF, and a report's text must stay text.)"""
    return {
        "boxstyle": f"round,pad={0.12 * scale:.3f}",
        "facecolor": "white",
        "edgecolor": "none",
        "alpha": 0.72,
    }


def _nice(value: float) -> float:
    exp = 10 ** math.floor(math.log10(value))
    return max(m * exp for m in (1, 2, 5, 10) if m * exp <= value)


def _scale_bar(ax: Any, scale: float) -> list[Any]:
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    lat = (y0 + y1) / 2
    width_km = _GEOD.inv(x0, lat, x1, lat)[2] / 1000
    km = _nice(width_km / 5)
    deg = km / (_GEOD.inv(0, lat, 1, lat)[2] / 1000)
    left, base = x1 - (x1 - x0) * 0.04 - deg, y0 + (y1 - y0) * 0.035
    h = (y1 - y0) * 0.008
    artists = []
    for i in range(2):
        artists.append(
            ax.add_patch(
                Rectangle(
                    (left + i * deg / 2, base),
                    deg / 2,
                    h,
                    facecolor=INK if i == 0 else "white",
                    edgecolor=INK,
                    linewidth=0.6 * scale,
                    zorder=600,
                )
            )
        )
    for x, text in ((left, "0"), (left + deg, f"{km:g} km")):
        artists.append(
            ax.text(
                x,
                base + h * 1.8,
                text,
                ha="center",
                va="bottom",
                fontsize=7 * scale,
                color=INK,
                zorder=600,
                bbox=_halo(scale),
            )
        )
    return artists


def _north_arrow(ax: Any, scale: float) -> list[Any]:
    return [
        ax.annotate(
            "N",
            xy=(0.035, 0.955),
            xytext=(0.035, 0.875),
            xycoords="axes fraction",
            ha="center",
            va="center",
            fontsize=10 * scale,
            fontweight="bold",
            color=INK,
            zorder=600,
            arrowprops={"arrowstyle": "-|>", "color": INK, "linewidth": 1.2 * scale},
            bbox=_halo(scale),
        )
    ]


def _strings(lang: str) -> dict[str, str]:
    """The interface strings of ``lang`` (the page's), English where one is missing."""
    all_strings = ui_strings()
    return {**all_strings["en"], **all_strings.get(lang, {})}


def _legend_entries(
    layers: Sequence[Layer], styles: dict[str, LayerStyle], scale: float, view: Any,
    lang: str = "en",
) -> list[tuple[Any, str, bool]]:
    """Legend rows (handle, text, is a heading) for what the view shows: corridor layers,
    then the keys in use, in the figure's language (the same key, samples and labels as
    the page's legend: style.legend_key)."""
    from matplotlib.lines import Line2D

    shown = [(la, _features_in(la, view)) for la in layers]
    found = [(f.properties, geometry_kinds(f.geometry)) for _, feats in shown for f in feats]
    strings = _strings(lang)
    entries: list[tuple[Any, str, bool]] = []
    for layer, feats in shown:
        if layer.spec.role is Role.CORRIDOR and feats:
            swatch = layer_swatch(layer, styles[layer.stem])
            title = layer.spec.title_i18n.get(lang) or layer.spec.title
            entries.append((_handle(swatch, scale), title, False))
    sections = {"status": "legend.status", "precision": "legend.location",
                "boundaries": "legend.boundaries"}
    heading = None
    for entry in legend_key():
        if not any(legend_matches(entry, props, kinds) for props, kinds in found):
            continue
        if sections[entry["section"]] != heading:
            heading = sections[entry["section"]]
            entries.append((Line2D([], [], linestyle="none"), strings[heading], True))
        entries.append((_handle(entry["samples"], scale), strings[entry["label"]], False))
    return entries


def _handle(samples: dict[str, dict[str, Any]], scale: float) -> Any:
    """A legend handle drawn from resolved sample styles (polygon, line, point)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    px = 0.75 * scale
    if "polygon" in samples and len(samples) == 1:
        s = samples["polygon"]
        return Patch(
            facecolor=_rgba(s["fillColor"], max(s["fillOpacity"], 0.15)) if not s["hatch"]
            else "none",
            edgecolor=_rgba(s["color"], s["opacity"]),
            linestyle=_dash(s["dash"]),
            hatch="////" if s["hatch"] else None,
        )
    line, point = samples.get("line"), samples.get("point")
    ring = samples.get("uncertainty")
    kwargs: dict[str, Any] = {"linestyle": "none"}
    if line:
        kwargs.update(color=_rgba(line["color"], line["opacity"]),
                      linewidth=min(line["weight"], 4) * px, linestyle=_dash(line["dash"]))
    if point and not ring:
        kwargs.update(
            marker="o",
            markersize=min(point["radius"], 6.0) * 1.4 * scale,
            markerfacecolor=_rgba(point["fillColor"], point["fillOpacity"]),
            markeredgecolor=_rgba(point["color"], point["opacity"]),
            markeredgewidth=1.0 * scale,
        )
    if ring:  # the uncertainty circle is what an approximate site adds
        kwargs.update(marker="o", markersize=9 * scale,
                      markerfacecolor=_rgba(ring["fillColor"], ring["fillOpacity"]),
                      markeredgecolor=ring["color"], markeredgewidth=0.6)
    return Line2D([], [], **kwargs)


def _place_legend(
    fig: Any, ax: Any, entries: list[tuple[Any, str, bool]], landscape: bool, scale: float,
    bottom: float, lang: str = "en",
) -> None:
    if not entries:
        return
    box = ax.get_position()
    if landscape:
        anchor, ncol = (box.x1 + 0.012, box.y1), 1
    else:
        anchor, ncol = (0.02, bottom - 0.008), 2
    rtl = lang in RTL_LANGUAGES
    legend = fig.legend(
        [h for h, _, _ in entries],
        [t for _, t, _ in entries],
        loc="upper left",
        bbox_to_anchor=anchor,
        ncol=ncol,
        frameon=False,
        fontsize=7.5 * scale,
        handlelength=2.6,
        borderaxespad=0,
        title=_strings(lang)["legend.title"],
        title_fontproperties={"weight": "bold", "size": 9 * scale},
        alignment="right" if rtl else "left",
        markerfirst=not rtl,  # Urdu reads right to left: the key follows its text
    )
    for text, (_, _, heading) in zip(legend.get_texts(), entries, strict=True):
        if heading:
            text.set_fontweight("bold")


def _title_block(fig: Any, geodata: Geodata, options: FigureOptions, scale: float) -> None:
    settings = geodata.settings
    title = options.title or settings.title_i18n.get(options.lang) or settings.title
    rtl = options.lang in RTL_LANGUAGES
    x, ha = (0.98, "right") if rtl else (0.02, "left")
    fig.text(
        x,
        1 - 0.12 / fig.get_figheight(),
        title,
        ha=ha,
        va="top",
        fontsize=14 * scale,
        fontweight="bold",
        color=INK,
    )
    date = geodata.data_date(options.data_date)
    if date:
        fig.text(
            x,
            1 - (0.16 + 0.26 * scale) / fig.get_figheight(),
            _strings(options.lang)["app.built"].format(date=date),
            ha=ha,
            va="top",
            fontsize=8 * scale,
            color=GREY,
        )


def _footer(
    fig: Any, geodata: Geodata, layers: Sequence[Layer], scale: float, lang: str = "en"
) -> None:
    """Credits (in English: they are licence terms) and the map's note in its language."""
    credit = geodata.credits(list(layers))
    lines = []
    if credit:
        lines.append(
            "Data: " + "; ".join(credit) + ". Sources of every feature: see the "
            "interactive map's popups and the geodata's SOURCES.md."
        )
    note = geodata.settings.note_i18n.get(lang) or geodata.settings.note
    if note:
        lines.append(note)
    import textwrap

    width = int(fig.get_figwidth() * 16 / scale)
    wrapped = "\n".join(textwrap.fill(line, width) for line in lines)
    rtl = lang in RTL_LANGUAGES  # as the title and legend
    fig.text(
        0.98 if rtl else 0.02,
        0.06 / fig.get_figheight(),
        wrapped,
        ha="right" if rtl else "left",
        multialignment="right" if rtl else "left",
        va="bottom",
        fontsize=6.5 * scale,
        color=GREY,
        linespacing=1.3,
    )


# --- saving -------------------------------------------------------------------------------

#: Metadata that would otherwise carry the date or the library version into the file.
_METADATA = {
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "svg": {"Date": None, "Creator": None},
}


@dataclass(frozen=True)
class Description:
    """What a figure shows, in words a report can use: caption, alt text, sources."""

    caption: str
    alt: str
    note: str | None
    sources: tuple[str, ...]

    def to_text(self) -> str:
        lines = ["Caption:", self.caption, "", "Alt text:", self.alt, ""]
        if self.note:
            lines += ["Note:", self.note, ""]
        lines.append(f"Sources ({len(self.sources)}):")
        lines += [f"- {s}" for s in self.sources]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Rendered:
    """A figure in each requested format, and the description of what it shows."""

    images: dict[str, bytes]
    description: Description


def render_figures(geodata: Geodata, options: FigureOptions, formats: Iterable[str]) -> Rendered:
    """The figure in each format (png, svg, pdf), drawn once; equal input gives equal bytes."""
    import matplotlib

    with _quiet_font_fallback():
        fig = draw(geodata, options)
    (x0, x1), (y0, y1) = fig.axes[0].get_xlim(), fig.axes[0].get_ylim()
    images = {}
    with _quiet_font_fallback(), matplotlib.rc_context(_rc(_fonts(options.lang), 1.0)):
        for fmt in sorted(set(formats)):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=options.dpi, metadata=_METADATA[fmt])
            images[fmt] = _embed_fonts(buffer.getvalue()) if fmt == "svg" else buffer.getvalue()
    return Rendered(images, describe(geodata, options, (x0, y0, x1, y1)))


def _embed_fonts(svg: bytes) -> bytes:
    """The SVG with the Noto faces its text uses embedded as ``@font-face`` rules, each
    subset to that text and named first wherever its family is: text stays text (it can
    be searched and copied) and still reads where Urdu or CJK fonts are not installed."""
    source = svg.decode("utf-8")
    text = "".join("".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{_SVG_NS}text"))
    faces = {
        family: rule
        for family, rule in font_faces(text).items()
        if f"'{family}'" in source  # a face only where matplotlib drew with that font
    }
    if not faces:
        return svg

    def first(match: re.Match[str]) -> str:
        names = match[1]
        for family in faces:
            if f"'{family}'" in names:
                names = f"'{EMBEDDED[family]}', {names}"
        return f"font-family: {names}"

    source = re.sub(r"font-family: ([^;\"]+)", first, source)
    style = '<style type="text/css">' + "\n".join(faces.values()) + "</style>"
    source = re.sub(r"<svg\b[^>]*>", lambda m: f"{m[0]}\n {style}", source, count=1)
    return source.encode("utf-8")


def describe(
    geodata: Geodata,
    options: FigureOptions,
    frame: tuple[float, float, float, float] | None = None,
) -> Description:
    """Caption, alt text and sources of a figure, from the data in its ``frame`` (the area
    actually drawn; by default the requested view)."""
    west, south, east, north = frame or resolve_view(geodata, options.view)
    box = shapely.box(west, south, east, north)
    title = options.title or geodata.settings.title
    date = geodata.data_date(options.data_date)
    if options.view == "corridor":
        where = "the whole corridor"
    elif options.view in geodata.settings.views or options.view in {
        la.stem for la in geodata.layers
    }:
        where = f"the {options.view} area"
    else:
        where = "the area shown"
    caption = f"{title}: {where}" + (f", from geodata of {date}." if date else ".")
    parts, context = [], []
    sources: dict[tuple[str, str], str] = {}
    for layer in geodata.layers:
        shown = _features_in(layer, box) if layer.spec.visible else []
        if not shown:
            continue
        if layer.spec.role is Role.CONTEXT:
            context.append(layer.spec.title)
        else:
            counts: dict[str, int] = {}
            for f in shown:
                status = str(f.properties.get("status", "unknown")).replace("_", " ")
                counts[status] = counts.get(status, 0) + 1
            detail = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
            noun = "feature" if len(shown) == 1 else "features"
            parts.append(f"{layer.spec.title}: {len(shown)} {noun} ({detail})")
        for f in shown:
            for src in f.properties.get("sources") or []:
                if isinstance(src, dict) and src.get("title"):
                    at = src.get("url") or src.get("publication") or ""
                    when = src.get("date") or (
                        f"accessed {src['accessed']}" if src.get("accessed") else ""
                    )
                    sources[(str(src["title"]), str(at))] = str(when)
    alt = (
        f"Map of {where} ({west:.1f}–{east:.1f}° E, {south:.1f}–{north:.1f}° N) showing "
        + ("; ".join(parts) or "no corridor features")
        + (". Drawn over " + ", ".join(context) if context else "")
        + ". Line dashes show status (solid operational, dashed planned, dotted proposed); "
        "circles around sites show location uncertainty; faded lines are schematic; "
        "disputed areas are hatched."
    )
    listed = tuple(
        t + (f", {at}" if at else "") + (f" ({when})" if when else "")
        for (t, at), when in sorted(sources.items())
    )
    return Description(caption, alt, geodata.settings.note, listed)
