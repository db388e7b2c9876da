"""The typed model every stage shares: layers, features, styles and options. No I/O."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    import geopandas
    from shapely.geometry.base import BaseGeometry


class Status(StrEnum):
    """Where a corridor element stands; drives the line dash and the popup badge."""

    OPERATIONAL = "operational"
    UNDER_CONSTRUCTION = "under_construction"
    PLANNED = "planned"
    PROPOSED = "proposed"
    #: Built, but not in use now (Torkham: closed to trade since Oct 2025).
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Precision(StrEnum):
    """How well a feature's geometry is known; drives how honestly it is drawn."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    SCHEMATIC = "schematic"


class Role(StrEnum):
    """Corridor layers are the subject (status required); context layers are the setting."""

    CORRIDOR = "corridor"
    CONTEXT = "context"


#: Named figure sizes in millimetres (width, height), for --size.
FIGURE_SIZES: dict[str, tuple[float, float]] = {
    "a4-landscape": (297.0, 210.0),
    "a4-portrait": (210.0, 297.0),
    "slide-16x9": (254.0, 142.875),
    "column": (89.0, 110.0),
}
#: Tile basemaps the page offers: our name -> (label, xyzservices provider name).
TILE_BASEMAPS: dict[str, tuple[str, str]] = {
    "light": ("Light (Esri grey canvas)", "Esri.WorldGrayCanvas"),
    "osm": ("OpenStreetMap", "OpenStreetMap.Mapnik"),
    "satellite": ("Satellite (Esri World Imagery)", "Esri.WorldImagery"),
}
#: The basemap drawn from the context layers, which works offline.
OUTLINE_BASEMAP = "outline"
#: Every --basemap name (any token-free xyzservices provider name works too).
BASEMAP_CHOICES = (*TILE_BASEMAPS, OUTLINE_BASEMAP)

#: Languages the page and the figures speak; the first is the fallback.
LANGUAGES = ("en", "ur", "zh")
#: Those of them written right to left (the figures align their text to the right).
RTL_LANGUAGES = frozenset({"ur"})

#: Kinds of boundary line a context feature may declare with ``boundary_type``.
BOUNDARY_TYPES = ("international", "line_of_control", "disputed", "claim", "indefinite")

#: The region the corridor lives in (lon_min, lat_min, lon_max, lat_max). A feature far
#: outside it is almost always swapped lon/lat or projected metres.
REGION = (55.0, 20.0, 85.0, 40.0)

_CREDIT_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)")

_ISO = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?"
)


def is_iso_date(value: object) -> bool:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm[:ss]``, and a real date.

    One regular grammar, the same on every Python version (``fromisoformat`` accepts
    more forms on some versions than on others)."""
    if not isinstance(value, str):
        return False
    match = _ISO.fullmatch(value.strip())
    if not match:
        return False
    year, month, day, hour, minute, second = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year or 0, month or 1, day or 1)
    except ValueError:
        return False
    return (hour or 0) < 24 and (minute or 0) < 60 and (second or 0) < 60




@dataclass(frozen=True, eq=False)
class Feature:
    """One GeoJSON feature: its place in the file, its properties and its geometry.

    ``geometry`` is a 2-D shapely geometry, or ``None`` for a feature without one
    (allowed by RFC 7946, not drawn) or whose geometry could not be read.
    """

    index: int
    properties: Mapping[str, Any]
    geometry: BaseGeometry | None
    id: str | int | None = None
    #: True when the reader already reported why ``geometry`` is missing.
    unreadable: bool = False
    #: The ``layer/id`` of the whole whose history this part took (see ``part_of``).
    history_from: str | None = None

    @property
    def name(self) -> str | None:
        value = self.properties.get("name")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class LayerSpec:
    """What the manifest (``layers.toml``) says about one layer, with defaults filled in."""

    stem: str
    title: str
    group: str = "Other layers"
    role: Role = Role.CORRIDOR
    order: int = 1000
    visible: bool = True
    color: str | None = None
    fill_color: str | None = None
    fill_opacity: float | None = None
    weight: float | None = None
    radius: float | None = None
    attribution: tuple[str, ...] = ()
    description: str | None = None
    basemap: bool | None = None
    labels: bool = False
    #: Translations of ``title`` and ``group``: {"ur": ..., "zh": ...}.
    title_i18n: Mapping[str, str] = field(default_factory=dict)
    group_i18n: Mapping[str, str] = field(default_factory=dict)
    #: Properties (besides status and precision) the page offers as filters.
    facets: tuple[str, ...] = ()
    #: Whether features take clicks; None means corridor layers do, context layers do not.
    interactive: bool | None = None
    #: Property whose larger values win when labels collide (default: file order).
    label_priority: str | None = None
    #: "layer/id" of the point feature distances along the layer's lines are measured
    #: from (ML-1: Karachi City); its ``km_post``, if any, turns distance into km posts.
    chainage_from: str | None = None


@dataclass(frozen=True, eq=False)
class Layer:
    """One ``*.geojson`` file: its spec and its features, in file order."""

    path: str
    spec: LayerSpec
    features: tuple[Feature, ...]

    @property
    def stem(self) -> str:
        return self.spec.stem

    @property
    def geometry_kinds(self) -> tuple[str, ...]:
        """Sorted subset of ``("line", "point", "polygon")`` present in the layer."""
        kinds: set[str] = set()
        for f in self.features:
            if f.geometry is not None:
                kinds |= geometry_kinds(f.geometry)
        return tuple(sorted(kinds))

    def to_geodataframe(self) -> geopandas.GeoDataFrame:
        """The layer as a GeoDataFrame (EPSG:4326), for analysis in a notebook."""
        import geopandas

        rows = [dict(f.properties) for f in self.features]
        geoms = [f.geometry for f in self.features]
        return geopandas.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


_KIND = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "LinearRing": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}


def geometry_kinds(geom: BaseGeometry) -> set[str]:
    """The kinds (point, line, polygon) a geometry holds; the one mapping of them."""
    if geom.geom_type == "GeometryCollection":
        return set().union(*(geometry_kinds(g) for g in geom.geoms)) if not geom.is_empty else set()
    return {_KIND[geom.geom_type]}


@dataclass(frozen=True)
class MapSettings:
    """The ``[map]`` table of the manifest."""

    title: str = "China–Pakistan Economic Corridor"
    data_date: str | None = None
    #: A short note shown with the legend, e.g. how disputed boundaries are drawn.
    note: str | None = None
    #: Translations of the title and the note: {"ur": ..., "zh": ...}.
    title_i18n: Mapping[str, str] = field(default_factory=dict)
    note_i18n: Mapping[str, str] = field(default_factory=dict)
    #: Credits from the "## Map attribution" list of the folder's SOURCES.md.
    credits: tuple[str, ...] = ()
    #: Named areas (west, south, east, north) for framing figures, e.g. "gwadar".
    views: Mapping[str, tuple[float, float, float, float]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Geodata:
    """A whole geodata folder: its layers in drawing order and the map settings."""

    root: str
    layers: tuple[Layer, ...]
    settings: MapSettings = field(default_factory=MapSettings)
    #: The folder's ``sources.toml``: source id -> {id, title, url | publication, date},
    #: the one object every feature citing that id holds.
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def feature_count(self) -> int:
        return sum(len(layer.features) for layer in self.layers)

    def data_date(self, override: str | None = None, *, derived: bool = False) -> str | None:
        """What "built from geodata of" says: the override, the manifest's ``data_date``,
        else (or with ``derived``) the newest date of a fact in the data: an ``as_of``,
        a history entry, or a cited source."""
        if not derived and (override or self.settings.data_date):
            return override or self.settings.data_date
        best: str | None = None
        for layer in self.layers:
            for f in layer.features:
                props = f.properties
                history = props.get("history")
                entries = history if isinstance(history, list) else []
                dates = [props.get("as_of"), *(e.get("date") for e in entries
                                               if isinstance(e, dict))]
                dates += [s.get("date") for s in cited_sources(props) if isinstance(s, dict)]
                for d in dates:
                    if is_iso_date(d) and (best is None or d.strip()[:10] > best):
                        best = d.strip()[:10]
        return best

    def credits(self, layers: tuple[Layer, ...] | list[Layer] | None = None) -> tuple[str, ...]:
        """The map's credits as text: SOURCES.md's "Map attribution" list, then each
        credit of the (given) layers' ``attribution`` not already named, in layer order."""
        return tuple(text for text, _ in self.credit_links(layers))

    def credit_links(
        self, layers: tuple[Layer, ...] | list[Layer] | None = None
    ) -> tuple[tuple[str, str | None], ...]:
        """The credits as (text, link or None): a SOURCES.md bullet written as
        ``[text](https://…)`` links to the licence it names."""
        found: dict[str, str | None] = {}
        for credit in self.settings.credits:
            match = _CREDIT_LINK.fullmatch(credit)
            text, url = (match[1], match[2]) if match else (credit, None)
            found.setdefault(text, url)
        for layer in self.layers if layers is None else layers:
            for credit in layer.spec.attribution:
                found.setdefault(credit, None)
        return tuple(found.items())


@dataclass(frozen=True)
class LayerStyle:
    """How one layer is drawn, resolved from the manifest and the defaults. Pure data."""

    color: str
    fill_color: str
    fill_opacity: float
    weight: float
    radius: float
    opacity: float = 1.0


@dataclass(frozen=True)
class MapOptions:
    """Everything about a build that is not in the geodata; all have sensible defaults."""

    title: str | None = None
    basemap: str = "light"
    lang: str = "en"
    precision: int = 5
    data_date: str | None = None
    #: Build the corridor as it stood on this ISO date (from the status histories).
    as_of: str | None = None


@dataclass(frozen=True)
class FigureOptions:
    """How a static figure is framed and sized; every field has a default."""

    size: str = "a4-landscape"
    dpi: int = 200
    view: str = "corridor"
    lang: str = "en"
    title: str | None = None
    data_date: str | None = None


def part_of_target(layer_stem: str, ref: Any) -> str | None:
    """The map-wide id (``layer/id``) a ``part_of`` value names: a bare id is a feature of
    the same layer; ``None`` when the value is not a non-empty string."""
    if not isinstance(ref, str) or not ref.strip():
        return None
    ref = ref.strip()
    return ref if "/" in ref else f"{layer_stem}/{ref}"


def cited_sources(props: Mapping[str, Any]) -> list[Any]:
    """Every source a feature cites: its ``sources``, its history entries' and its claims'."""
    def listed(holder: Any) -> list[Any]:
        value = holder.get("sources") if isinstance(holder, Mapping) else None
        return value if isinstance(value, list) else []

    out = list(listed(props))
    history = props.get("history")
    for entry in history if isinstance(history, list) else ():
        out += listed(entry)
    claims = props.get("claims")
    for value in claims.values() if isinstance(claims, Mapping) else ():
        out += value if isinstance(value, list) else []
    return out


def features_by_id(layers: Iterable[Layer]) -> dict[str, Feature]:
    """Features with an id by their map-wide ``layer/id``; of two equal ids (5 and "5") the
    first, as the map document names it."""
    found: dict[str, Feature] = {}
    for layer in layers:
        for f in layer.features:
            if f.id is not None:
                found.setdefault(f"{layer.stem}/{f.id}", f)
    return found
