"""Read a geodata folder: the manifest and every ``*.geojson`` file, into the model.

Reading is forgiving where RFC 7946 readers usually are (UTF-8 BOM, 3-D positions,
a bare Feature) and exact about everything else: each structural problem becomes a
:class:`~cpec_map.errors.Problem` naming the file and feature, and the feature is
kept without geometry so later rules can still report on its properties.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from .errors import Problem, Severity, UsageError
from .model import (
    LANGUAGES,
    Feature,
    Geodata,
    Layer,
    LayerSpec,
    MapSettings,
    Role,
    features_by_id,
    is_iso_date,
    part_of_target,
)

MANIFEST = "layers.toml"
SOURCES = "SOURCES.md"
#: The folder's sources, each defined once as [ID] and referenced by id from features.
SOURCE_LIST = "sources.toml"
#: The list of credits in SOURCES.md that the map's attribution line is built from.
_CREDITS_SECTION = re.compile(r"^##\s+Map attribution\s*$(.*?)(?=^#|\Z)", re.M | re.S)
#: Files larger than this are refused unless the caller raises the limit: a GeoJSON
#: of this size would make an HTML map that no browser opens comfortably.
DEFAULT_MAX_FILE_MB = 256
#: Files above this size get a progress line: reading them takes noticeable time.
PROGRESS_MIN_BYTES = 5_000_000

_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "crs84",
    "epsg:4326",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:4326",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "http://www.opengis.net/def/crs/epsg/0/4326",
}

Progress = Callable[[str], None]


def load_dir(
    root: str | os.PathLike[str],
    *,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    progress: Progress | None = None,
) -> tuple[Geodata, list[Problem]]:
    """Read every layer of a geodata folder.

    Returns the geodata (layers sorted by manifest ``order``, then file name) and the
    problems met while reading. Raises :class:`UsageError` only when the folder
    itself is unusable (missing, not a folder, no ``*.geojson`` in it).
    """
    folder = Path(root)
    shown = str(root)
    if not folder.exists():
        raise UsageError(f"{shown}: no such folder (pass --geodata DIR)")
    if not folder.is_dir():
        raise UsageError(f"{shown}: not a folder (pass --geodata DIR)")

    problems: list[Problem] = []
    settings, specs = _read_manifest(folder, shown, problems)
    settings = dataclasses.replace(settings, credits=_read_credits(folder, shown, problems))
    registry = _read_source_list(folder, shown, problems)
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read the folder: {exc.strerror or exc}") from exc
    paths = []
    broken = False
    for p in entries:
        if p.suffix.lower() != ".geojson" or p.name.startswith("."):
            continue  # hidden files (editor backups, macOS "._" files) are not layers
        if p.is_symlink() and not p.exists():
            problems.append(Problem(os.path.join(shown, p.name), "broken symbolic link"))
            broken = True
        elif p.is_file():
            paths.append(p)
    if not paths and not broken:
        raise UsageError(f"{shown}: no *.geojson files in this folder")

    stems = {p.stem for p in paths}
    for stem in sorted(set(specs) - stems):
        problems.append(
            Problem(
                os.path.join(shown, MANIFEST),
                f"[layers.{stem}] names no file: {stem}.geojson is not in the folder",
                severity=Severity.WARNING,
            )
        )

    layers = []
    seen: dict[str, str] = {}
    for path in paths:
        display = os.path.join(shown, path.name)
        if path.stem in seen:
            # ERR: the stem names the layer in the manifest, the page and permalinks.
            problems.append(Problem(display, f"same layer name as {seen[path.stem]}; rename one"))
            continue
        seen[path.stem] = path.name
        spec = specs.get(path.stem) or default_spec(path.stem)
        features = _read_layer(path, display, problems, max_file_mb, progress)
        if features is not None:
            features = tuple(_with_sources_and_history(f, registry) for f in features)
            layers.append(Layer(path=display, spec=spec, features=features))
    layers.sort(key=lambda layer: (layer.spec.order, layer.stem))
    layers = _share_histories(layers)
    geodata = Geodata(root=shown, layers=tuple(layers), settings=settings, sources=registry)
    return geodata, problems


def _read_source_list(folder: Path, shown: str, problems: list[Problem]) -> dict[str, Any]:
    """``sources.toml``: one ``[ID]`` table per source (title, url or publication, date),
    as id -> entry (with its ``id``). The entries are checked by the validator; here they
    only need to be tables."""
    path = folder / SOURCE_LIST
    display = os.path.join(shown, SOURCE_LIST)
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        problems.append(Problem(display, f"cannot read the file: {exc.strerror or exc}"))
        return {}
    except UnicodeDecodeError as exc:
        problems.append(Problem(display, f"not UTF-8 text (byte {exc.start})"))
        return {}
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(display, f"TOML syntax error: {exc}"))
        return {}
    registry = {}
    for key, entry in data.items():
        if isinstance(entry, dict):
            registry[key] = {**entry, "id": key}  # one object, cited wherever the id is
        else:
            reason = f"{key} must be a table [{key}] with title, url, date"
            problems.append(Problem(display, reason))
    return registry


def _resolve(sources: Any, registry: Mapping[str, Any]) -> Any:
    """A sources list with each known id replaced by its entry, the same object for every
    citation (the map document stores it once). Unknown ids stay strings, for the
    validator to name."""
    if not isinstance(sources, list):
        return sources
    return [registry.get(s, s) if isinstance(s, str) else s for s in sources]


def _with_sources_and_history(feature: Feature, registry: Mapping[str, Any]) -> Feature:
    """The feature with source ids resolved (in ``sources``, in each ``history`` entry
    and in ``claims``), and its current state taken from its history."""
    props = feature.properties
    history = props.get("history")
    listed = props.get("sources")
    has_ids = isinstance(listed, list) and any(isinstance(s, str) for s in listed)
    claims = props.get("claims")
    if not has_ids and not isinstance(history, list) and not isinstance(claims, dict):
        return feature
    out = dict(props)
    if isinstance(claims, dict):  # claim-level sources: property -> sources
        out["claims"] = {key: _resolve(value, registry) for key, value in claims.items()}
    if "sources" in props:
        out["sources"] = _resolve(props["sources"], registry)
    if isinstance(history, list):
        entries = [
            {**e, "sources": _resolve(e["sources"], registry)}
            if isinstance(e, dict) and "sources" in e else e
            for e in history
        ]
        _state_from_history(out, entries)
    return dataclasses.replace(feature, properties=out)


def _state_from_history(props: dict[str, Any], history: list[Any]) -> None:
    """Set ``history`` and, where the feature does not state them, ``status`` and
    ``as_of`` from its last entry: the history is the record, the current state follows."""
    props["history"] = history
    last = history[-1] if history and isinstance(history[-1], dict) else {}
    for key, member in (("status", "status"), ("as_of", "date")):
        if key not in props and isinstance(last.get(member), str):
            props[key] = last[member]


def _share_histories(layers: list[Layer]) -> list[Layer]:
    """A feature that is ``part_of`` another (a schematic link of an ML-1 section) and has
    no history of its own takes the history of the whole, so a change of status is one
    entry on the whole, not one on each part. Unknown targets are left to the validator."""
    by_id = features_by_id(layers)
    out = []
    for layer in layers:
        changed = False
        features = []
        for f in layer.features:
            whole_id = part_of_target(layer.stem, f.properties.get("part_of")) or ""
            target = by_id.get(whole_id)
            history = target.properties.get("history") if target is not None else None
            if target is not f and isinstance(history, list) and "history" not in f.properties:
                props = dict(f.properties)
                _state_from_history(props, history)
                f = dataclasses.replace(f, properties=props, history_from=whole_id)
                changed = True
            features.append(f)
        out.append(dataclasses.replace(layer, features=tuple(features)) if changed else layer)
    return out


def _read_credits(folder: Path, shown: str, problems: list[Problem]) -> tuple[str, ...]:
    """The bullets of the "## Map attribution" section of SOURCES.md, if there is one:
    licences are explained there, so the credits the map shows are kept beside them."""
    path = folder / SOURCES
    if not path.is_file():
        return ()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(os.path.join(shown, SOURCES), f"cannot read the file: {exc}"))
        return ()
    match = _CREDITS_SECTION.search(text)
    if not match:
        return ()
    bullets = re.findall(r"^\s*[-*]\s+(.+?)\s*$", match.group(1), re.M)
    return tuple(dict.fromkeys(b for b in bullets if b))


def default_spec(stem: str) -> LayerSpec:
    """The spec of a layer the manifest does not mention: a readable title, corridor role."""
    title = re.sub(r"[_\-]+", " ", stem).strip() or stem
    return LayerSpec(stem=stem, title=title[:1].upper() + title[1:])


# --- the manifest -----------------------------------------------------------------------

_SPEC_TYPES: Mapping[str, tuple[type, ...]] = {
    "title": (str,),
    "group": (str,),
    "role": (str,),
    "order": (int,),
    "visible": (bool,),
    "color": (str,),
    "fill_color": (str,),
    "fill_opacity": (int, float),
    "weight": (int, float),
    "radius": (int, float),
    "attribution": (str, list),
    "description": (str,),
    "basemap": (bool,),
    "labels": (bool,),
    "title_ur": (str,),
    "title_zh": (str,),
    "group_ur": (str,),
    "group_zh": (str,),
    "facets": (list,),
    "interactive": (bool,),
    "label_priority": (str,),
    "chainage_from": (str,),
}
#: Manifest keys that translate another key: "title_ur" -> ("title", "ur").
_I18N_KEYS = {
    f"{base}_{lang}": (base, lang) for base in ("title", "group") for lang in LANGUAGES[1:]
}


def _read_manifest(
    folder: Path, shown: str, problems: list[Problem]
) -> tuple[MapSettings, dict[str, LayerSpec]]:
    path = folder / MANIFEST
    display = os.path.join(shown, MANIFEST)
    if not path.is_file():
        return MapSettings(), {}
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        problems.append(Problem(display, f"cannot read the file: {exc.strerror or exc}"))
        return MapSettings(), {}
    except UnicodeDecodeError as exc:
        problems.append(Problem(display, f"not UTF-8 text (byte {exc.start})"))
        return MapSettings(), {}
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(display, f"TOML syntax error: {exc}"))
        return MapSettings(), {}

    def bad(reason: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(display, reason, severity=severity))

    for key in sorted(set(data) - {"map", "layers", "views"}):
        bad(
            f"unknown table [{key}] ignored (expected [map], [views] and [layers.NAME])",
            Severity.WARNING,
        )
    views: dict[str, tuple[float, float, float, float]] = {}
    views_table = data.get("views", {})
    if not isinstance(views_table, dict):
        bad("[views] must be a table of NAME = [west, south, east, north]")
        views_table = {}
    for name, box in views_table.items():
        ok = (
            isinstance(box, list)
            and len(box) == 4
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in box)
        )
        if ok and -180 <= box[0] < box[2] <= 180 and -90 <= box[1] < box[3] <= 90:
            views[name] = (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
        else:
            bad(f"[views] {name} must be [west, south, east, north] in degrees, not {box!r}")

    map_table = data.get("map", {})
    settings = MapSettings(views=views)
    if isinstance(map_table, dict):
        title = map_table.get("title", settings.title)
        data_date = map_table.get("data_date")
        if not isinstance(title, str) or not title.strip():
            bad("[map] title must be a non-empty string")
            title = settings.title
        if data_date is not None:
            data_date = str(data_date)
            if not is_iso_date(data_date):
                bad(f"[map] data_date {data_date!r} is not an ISO date (YYYY-MM-DD)")
                data_date = None
        note = map_table.get("note")
        if note is not None and not isinstance(note, str):
            bad("[map] note must be a string")
            note = None
        translations: dict[str, dict[str, str]] = {"title": {}, "note": {}}
        for base in translations:
            for lang in LANGUAGES[1:]:
                value = map_table.get(f"{base}_{lang}")
                if value is None:
                    continue
                if isinstance(value, str) and value.strip():
                    translations[base][lang] = value.strip()
                else:
                    bad(f"[map] {base}_{lang} must be a non-empty string")
        known = {"title", "data_date", "note"} | {
            f"{base}_{lang}" for base in translations for lang in LANGUAGES[1:]
        }
        for key in sorted(set(map_table) - known):
            bad(f"[map] unknown key {key!r} ignored", Severity.WARNING)
        settings = MapSettings(
            title=title.strip(),
            data_date=data_date,
            note=note,
            views=views,
            title_i18n=translations["title"],
            note_i18n=translations["note"],
        )
    else:
        bad("[map] must be a table")

    specs: dict[str, LayerSpec] = {}
    layers_table = data.get("layers", {})
    if not isinstance(layers_table, dict):
        bad("[layers] must be a table of [layers.NAME] tables")
        return settings, specs
    for stem, table in layers_table.items():
        if not isinstance(table, dict):
            bad(f"[layers.{stem}] must be a table")
            continue
        values: dict[str, Any] = {}
        for key, value in table.items():
            types = _SPEC_TYPES.get(key)
            if types is None:
                bad(f"[layers.{stem}] unknown key {key!r} ignored", Severity.WARNING)
                continue
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                kind = " or ".join(t.__name__ for t in types)
                bad(f"[layers.{stem}] {key} must be {kind}, not {value!r}")
                continue
            values[key] = value
        for key in ("color", "fill_color"):
            if key in values and not _HEX_COLOR.fullmatch(values[key]):
                bad(f"[layers.{stem}] {key} {values[key]!r} is not a hex colour like #1f77b4")
                del values[key]
        if "attribution" in values:
            given = values["attribution"]
            given = [given] if isinstance(given, str) else given
            if not all(isinstance(c, str) and c.strip() for c in given):
                bad(f"[layers.{stem}] attribution must be text or a list of texts")
                del values["attribution"]
            else:
                values["attribution"] = tuple(c.strip() for c in given)
        if "role" in values:
            try:
                values["role"] = Role(values["role"])
            except ValueError:
                bad(f"[layers.{stem}] role {values['role']!r} must be 'corridor' or 'context'")
                del values["role"]
        for key, low, high in (("fill_opacity", 0, 1), ("weight", 0, 50), ("radius", 0, 100)):
            if key in values and not low <= values[key] <= high:
                bad(f"[layers.{stem}] {key} {values[key]} is outside {low}..{high}")
                del values[key]
        if "title" in values and not values["title"].strip():
            bad(f"[layers.{stem}] title is empty")
            del values["title"]
        for key, (base, lang) in _I18N_KEYS.items():
            if key in values:
                text = values.pop(key).strip()
                if text:
                    values.setdefault(f"{base}_i18n", {})[lang] = text
                else:
                    bad(f"[layers.{stem}] {key} is empty")
        if "facets" in values:
            facets = values["facets"]
            if all(isinstance(f, str) and f.strip() for f in facets):
                values["facets"] = tuple(dict.fromkeys(f.strip() for f in facets))
            else:
                bad(f"[layers.{stem}] facets must be a list of property names")
                del values["facets"]
        values.setdefault("title", default_spec(stem).title)
        specs[stem] = LayerSpec(stem=stem, **values)
    return settings, specs


# --- one layer file ---------------------------------------------------------------------


def _read_layer(
    path: Path,
    display: str,
    problems: list[Problem],
    max_file_mb: float,
    progress: Progress | None,
) -> tuple[Feature, ...] | None:
    """Parse one file; ``None`` when nothing usable could be read (problems say why)."""
    try:
        display.encode("utf-8")
    except UnicodeEncodeError:
        problems.append(
            Problem(
                display.encode("utf-8", "replace").decode("utf-8"),
                "file name is not valid UTF-8; rename the file",
            )
        )
        return None
    size = path.stat().st_size
    if size > max_file_mb * 1e6:
        problems.append(
            Problem(
                display,
                f"file is {size / 1e6:.0f} MB, over the {max_file_mb:g} MB limit "
                "(simplify it, or raise the limit with --max-file-mb)",
            )
        )
        return None
    if progress is not None and size > PROGRESS_MIN_BYTES:
        progress(f"reading {display} ({size / 1e6:.0f} MB)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(display, f"cannot read the file: {exc.strerror or exc}"))
        return None
    if not raw.strip():
        problems.append(Problem(display, "file is empty"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(display, f"not UTF-8 text: byte {exc.start} (line {line}) cannot be decoded")
        )
        return None
    if _SURROGATE_ESCAPE.search(text):
        bad = _lone_surrogate(text)
        if bad:
            problems.append(Problem(display, f"invalid text: {bad}"))
            return None
    # Check numbers one by one only when the text has one that may be out of range.
    hooks: dict[str, Any] = {}
    if _HUGE_NUMBER.search(text):
        hooks = {"parse_float": _finite}
    try:
        doc = json.loads(text, parse_constant=_reject_constant, **hooks)
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(display, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        )
        return None
    except ValueError as exc:  # NaN / Infinity, which JSON does not allow; 1e999
        reason = str(exc)
        if "int_max_str_digits" in reason or "Exceeds the limit" in reason:
            reason = "an integer has more than 4,300 digits"
        problems.append(Problem(display, f"invalid JSON: {reason}"))
        return None
    except RecursionError:
        problems.append(Problem(display, "invalid JSON: nested too deeply to read"))
        return None

    if not isinstance(doc, dict):
        problems.append(
            Problem(display, f"top level is a JSON {_json_type(doc)}, not a GeoJSON object")
        )
        return None
    kind = doc.get("type")
    if kind == "Feature":
        items: list[Any] = [doc]
    elif kind == "FeatureCollection":
        items = doc.get("features")  # type: ignore[assignment]
        if not isinstance(items, list):
            problems.append(Problem(display, 'FeatureCollection has no "features" array'))
            return None
    else:
        problems.append(
            Problem(
                display,
                f"top-level type is {kind!r}; expected 'FeatureCollection' (or one 'Feature')",
            )
        )
        return None

    _check_crs(doc.get("crs"), display, problems)
    strict = bool(_BOOL_IN_ARRAY.search(text))
    points: list[tuple[int, float, float, dict[str, Any], Any]] = []
    features = [
        _read_feature(i, item, display, problems, strict, points) for i, item in enumerate(items)
    ]
    if points:
        built = shapely.points(np.array([(x, y) for _, x, y, _, _ in points], dtype=float))
        for (i, _, _, props, fid), geometry in zip(points, built, strict=True):
            features[i] = Feature(index=i, properties=props, geometry=geometry, id=fid)
    return tuple(f for f in features if f is not None)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:30]} is out of range")
    return value


def _lone_surrogate(text: str) -> str | None:
    """Name the first unpaired UTF-16 surrogate escape, which is not Unicode text."""
    for match in _SURROGATE_ESCAPE.finditer(text):
        code = int(match.group()[2:], 16)
        after = text[match.end() : match.end() + 6]
        before = text[max(0, match.start() - 6) : match.start()]
        paired = (code < 0xDC00 and re.fullmatch(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", after)) or (
            code >= 0xDC00 and re.fullmatch(r"\\u[dD][89abAB][0-9a-fA-F]{2}", before)
        )
        if not paired:
            line = text.count("\n", 0, match.start()) + 1
            return f"unpaired surrogate {match.group()} at line {line} (not valid Unicode)"
    return None


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _check_crs(crs: Any, display: str, problems: list[Problem]) -> None:
    if crs is None:
        return
    name = None
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        name = crs["properties"].get("name")
    if isinstance(name, str) and name.strip().lower() in _WGS84_NAMES:
        problems.append(
            Problem(
                display,
                f'legacy "crs" member ({name}) ignored: RFC 7946 GeoJSON is always WGS84 lon/lat',
                severity=Severity.WARNING,
            )
        )
        return
    problems.append(
        Problem(
            display,
            f'legacy "crs" member declares {name or json.dumps(crs)[:80]}; cpec-map reads only '
            "WGS84 longitude/latitude (RFC 7946): reproject the file, e.g. "
            "ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson",
        )
    )


def _read_feature(
    index: int,
    item: Any,
    display: str,
    problems: list[Problem],
    strict: bool,
    points: list[tuple[int, float, float, dict[str, Any], Any]],
) -> Feature | None:
    """One feature; a Point's position is only checked here and appended to ``points``
    (``None`` is returned for it), so that all points of a file are built in one call."""
    if not isinstance(item, dict):
        problems.append(Problem(display, f"is a JSON {_json_type(item)}, not a Feature", index))
        return Feature(index=index, properties={}, geometry=None, unreadable=True)
    props = item.get("properties")
    if props is None:
        props = {}
    elif not isinstance(props, dict):
        problems.append(Problem(display, '"properties" must be an object or null', index))
        props = {}
    name = props.get("name") if isinstance(props.get("name"), str) else None

    def bad(reason: str) -> Feature:
        problems.append(Problem(display, reason, index, name))
        return Feature(index=index, properties=props, geometry=None, id=fid, unreadable=True)

    fid = item.get("id")
    if fid is not None and (not isinstance(fid, (str, int, float)) or isinstance(fid, bool)):
        problems.append(
            Problem(
                display, f"id must be a string or a number, not {json.dumps(fid)[:40]}", index, name
            )
        )
        fid = None
    if item.get("type") != "Feature":
        return bad(f"type is {item.get('type')!r}, expected 'Feature'")
    if "geometry" not in item:
        return bad('no "geometry" member (use "geometry": null for a feature without one)')
    geom = item["geometry"]
    if geom is None:
        return Feature(index=index, properties=props, geometry=None, id=fid)
    if isinstance(geom, dict) and geom.get("type") == "Point" and "coordinates" in geom:
        try:
            x, y = _position(geom["coordinates"])
        except GeometryError as exc:
            return bad(f"bad geometry: {exc}")
        points.append((index, x, y, props, fid))
        return None
    try:
        geometry = parse_geometry(geom, strict=strict)
    except GeometryError as exc:
        return bad(f"bad geometry: {exc}")
    return Feature(index=index, properties=props, geometry=geometry, id=fid)


# --- geometry ---------------------------------------------------------------------------


class GeometryError(ValueError):
    """A GeoJSON geometry object that does not follow RFC 7946's structure."""


#: ``true``/``false`` as an array element somewhere in a file: then positions are checked
#: one by one (numpy would silently read them as 1 and 0).
_BOOL_IN_ARRAY = re.compile(r"[\[,]\s*(?:true|false)\s*[,\]]")
#: A three-digit exponent: a number that may not fit a float (json reads 1e999 as inf).
#: Long integers need no check here: positions compare them exactly against the range.
_HUGE_NUMBER = re.compile(r"[eE]\+?0*[1-9]\d\d")
#: A JSON string escape of a UTF-16 surrogate: lone ones are not Unicode text.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def parse_geometry(obj: Any, *, strict: bool = False) -> shapely.Geometry:
    """Build a 2-D shapely geometry from a GeoJSON geometry object, checking its structure.

    Heights (and any further ordinates) are dropped; coordinates are checked to be
    finite numbers, lines to have two positions and rings to be closed with four.
    ``strict`` checks every position one by one, which also catches ``true``/``false``
    that the fast numpy path would read as 1 and 0 (the reader turns it on when a file
    has booleans inside arrays at all).
    """
    return _GeometryParser(strict).parse(obj)


class _GeometryParser:
    """One parse, with its choice of fast (numpy) or strict (per position) reading."""

    def __init__(self, strict: bool):
        self.strict = strict

    def parse(self, obj: Any) -> shapely.Geometry:
        if not isinstance(obj, dict):
            raise GeometryError(f"geometry is a JSON {_json_type(obj)}, not an object")
        kind = obj.get("type")
        if not isinstance(kind, str):
            raise GeometryError(f"geometry type must be text, not {json.dumps(kind)[:40]}")
        if kind == "GeometryCollection":
            parts = obj.get("geometries")
            if not isinstance(parts, list):
                raise GeometryError('GeometryCollection has no "geometries" array')
            return shapely.geometrycollections([self.parse(p) for p in parts])
        builders = {
            "Point": self.point,
            "MultiPoint": self.multipoint,
            "LineString": self.linestring,
            "MultiLineString": self.multilinestring,
            "Polygon": self.polygon,
            "MultiPolygon": self.multipolygon,
        }
        if kind not in builders:
            raise GeometryError(f"unknown geometry type {kind!r}")
        if "coordinates" not in obj:
            raise GeometryError(f'{kind} has no "coordinates"')
        return builders[kind](obj["coordinates"])

    def positions(self, coords: Any, what: str, minimum: int) -> np.ndarray:
        """An (n, 2) float array from a JSON array of positions, or a clear GeometryError."""
        if not isinstance(coords, list):
            raise GeometryError(f"{what} coordinates must be an array of positions")
        arr = None
        if not self.strict:
            try:
                arr = np.asarray(coords)
            except (ValueError, OverflowError):  # ragged (2-D and 3-D mixed), or malformed
                arr = None
            if arr is not None and (
                arr.dtype.kind not in "iuf" or arr.ndim != 2 or arr.shape[1] < 2
            ):
                arr = None
        if arr is None:
            arr = np.asarray([_position(c) for c in coords], dtype=float).reshape(-1, 2)
        arr = np.ascontiguousarray(arr[:, :2], dtype=float)
        if len(arr) < minimum:
            raise GeometryError(f"{what} needs at least {minimum} positions, has {len(arr)}")
        return arr

    def point(self, coords: Any) -> shapely.Geometry:
        x, y = _position(coords)
        return shapely.points(x, y)

    def multipoint(self, coords: Any) -> shapely.Geometry:
        if not isinstance(coords, list):
            raise GeometryError("MultiPoint coordinates must be an array of positions")
        if not coords:
            return shapely.from_wkt("MULTIPOINT EMPTY")
        return shapely.multipoints(self.positions(coords, "MultiPoint", 1))

    def linestring(self, coords: Any) -> shapely.Geometry:
        return shapely.linestrings(self.positions(coords, "LineString", 2))

    def ring(self, coords: Any) -> np.ndarray:
        arr = self.positions(coords, "polygon ring", 4)
        if not np.array_equal(arr[0], arr[-1]):
            raise GeometryError(
                f"polygon ring is not closed: first position {arr[0].tolist()} "
                f"differs from last {arr[-1].tolist()}"
            )
        return arr

    def polygon(self, coords: Any) -> shapely.Geometry:
        if not isinstance(coords, list) or not coords:
            raise GeometryError("Polygon coordinates must be a non-empty array of rings")
        rings = [self.ring(r) for r in coords]
        return shapely.Polygon(rings[0], rings[1:])  # holes may differ in length

    def multilinestring(self, coords: Any) -> shapely.Geometry:
        parts = self._parts(coords, self.linestring, "MultiLineString")
        return (
            shapely.multilinestrings(parts) if parts else shapely.from_wkt("MULTILINESTRING EMPTY")
        )

    def multipolygon(self, coords: Any) -> shapely.Geometry:
        parts = self._parts(coords, self.polygon, "MultiPolygon")
        return shapely.multipolygons(parts) if parts else shapely.from_wkt("MULTIPOLYGON EMPTY")

    @staticmethod
    def _parts(coords: Any, build: Callable[[Any], Any], what: str) -> list[Any]:
        if not isinstance(coords, list):
            raise GeometryError(f"{what} coordinates must be an array")
        return [build(c) for c in coords]


def _position(pos: Any) -> tuple[float, float]:
    if not isinstance(pos, list) or len(pos) < 2:
        raise GeometryError(f"position {json.dumps(pos)[:40]} is not [longitude, latitude]")
    x, y = pos[0], pos[1]
    for v in (x, y):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise GeometryError(f"position {json.dumps(pos)[:40]} holds a non-number")
        if abs(v) > 1e15 or not math.isfinite(v):
            raise GeometryError(f"position {json.dumps(pos)[:40]} holds a number out of range")
    return float(x), float(y)
