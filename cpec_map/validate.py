"""Rules over the model: each returns problems, none raises, prints or touches files.

``# ERR:`` rules stop a build; ``# WARN:`` rules are reported and only stop a build
under ``--strict``. Geometry rules run vectorised over a layer so that a file of a
hundred thousand features is checked in about a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import shapely

from .errors import Problem, Severity
from .model import (
    BOUNDARY_TYPES,
    REGION,
    Feature,
    Geodata,
    Layer,
    Precision,
    Role,
    Status,
    cited_sources,
    features_by_id,
    is_iso_date,
    part_of_target,
)

_STATUSES = ", ".join(s.value for s in Status)
_PRECISIONS = ", ".join(p.value for p in Precision)
#: How far (degrees) outside REGION a feature may lie before the region rule fires.
REGION_MARGIN = 5.0
_DAY = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def validate(geodata: Geodata) -> list[Problem]:
    """All problems of a loaded geodata folder, in file then feature order."""
    problems: list[Problem] = []
    for layer in geodata.layers:
        problems.extend(validate_layer(layer))
    problems.extend(_check_references(geodata))
    problems.extend(_check_source_list(geodata))
    problems.extend(_check_data_date(geodata))
    return problems


def _check_source_list(geodata: Geodata) -> Iterable[Problem]:
    """Every entry of sources.toml is a proper source; unused entries are reported."""
    path = f"{geodata.root.rstrip('/')}/sources.toml"
    used = {
        s["id"]
        for layer in geodata.layers
        for f in layer.features
        for s in cited_sources(f.properties)
        if isinstance(s, dict) and isinstance(s.get("id"), str)
    }
    for key, entry in geodata.sources.items():
        found: list[Problem] = []

        def add(reason: str, severity: Severity = Severity.ERROR, k: str = key,
                out: list[Problem] = found) -> None:
            out.append(Problem(path, f"[{k}]: {reason.replace('source 1 ', '')}",
                               severity=severity))

        _check_source(1, dict(entry), add)
        yield from found
        if key not in used:
            # WARN: an unused source is harmless, but usually a typo in a reference.
            yield Problem(path, f"[{key}] is not referenced by any feature",
                          severity=Severity.WARNING)


def _check_data_date(geodata: Geodata) -> Iterable[Problem]:
    """A pinned data_date older than the newest fact would tell readers the data is
    older than it is."""
    pinned = geodata.settings.data_date
    newest = geodata.data_date(None, derived=True)
    if pinned and newest and pinned.strip()[:10] < newest:
        # ERR: "built from geodata of" must not predate a fact the map shows.
        yield Problem(
            f"{geodata.root.rstrip('/')}/layers.toml",
            f"[map] data_date {pinned} is older than the newest fact in the data ({newest}); "
            "update it or remove it (it is then derived from the data)",
        )


def _check_references(geodata: Geodata) -> Iterable[Problem]:
    """Rules that span layers: what the manifest names must exist in the data."""
    points = {
        f"{layer.stem}/{f.id if f.id is not None else '#' + str(f.index)}"
        for layer in geodata.layers
        for f in layer.features
        if f.geometry is not None and f.geometry.geom_type == "Point"
    }
    ids = features_by_id(geodata.layers)
    for layer in geodata.layers:
        for f in layer.features:
            if "part_of" in f.properties:
                reason = _part_of_reason(layer.stem, f, ids)
                if reason:
                    yield Problem(layer.path, reason, f.index, f.name)
    for layer in geodata.layers:
        ref = layer.spec.chainage_from
        if ref is not None and ref not in points:
            # ERR: distances along the line would be measured from nowhere.
            yield Problem(
                layer.path,
                f"chainage_from {ref!r} (layers.toml) names no point feature "
                "(expected \"layer/id\", e.g. \"ml1_stations/ml1-st-karachi-city\")",
            )
        if ref is not None and "line" not in layer.geometry_kinds:
            # WARN: chainage is measured along lines; a layer without any has none.
            yield Problem(layer.path, "chainage_from is set but the layer has no lines",
                          severity=Severity.WARNING)


def _part_of_reason(stem: str, f: Feature, ids: Mapping[str, Feature]) -> str | None:
    """Why a ``part_of`` reference is broken (the part would show a status of its own)."""
    ref = f.properties["part_of"]
    target_id = part_of_target(stem, ref)
    if target_id is None:
        return f"part_of {_short(ref)} must be the id of another feature (\"id\" or \"layer/id\")"
    target = ids.get(target_id)
    if target is None:
        return f"part_of {_short(ref)} names no feature (looked for {target_id})"
    if target is f:
        return "part_of names the feature itself"
    if "part_of" in target.properties:
        return f"part_of {_short(ref)} names a part of another feature; name the whole"
    return None


def validate_layer(layer: Layer) -> list[Problem]:
    """All problems of one layer: per-feature properties, geometry, and layer-wide rules."""
    problems: list[Problem] = []
    if not layer.features:
        # WARN: an empty layer draws nothing; usually an export went wrong.
        problems.append(Problem(layer.path, "layer has no features", severity=Severity.WARNING))
    seen_ids: dict[Any, int] = {}
    for feature in layer.features:
        if feature.unreadable and not feature.properties:
            continue  # the reader reported it; there is nothing else to check
        name = feature.name

        def add(reason: str, severity: Severity = Severity.ERROR, f=feature, n=name) -> None:
            problems.append(Problem(layer.path, reason, f.index, n, severity))

        if feature.id is not None:
            if feature.id in seen_ids:
                # ERR: ids identify features in permalinks and change logs.
                add(f"duplicate id {feature.id!r} (first used by feature {seen_ids[feature.id]})")
            else:
                seen_ids[feature.id] = feature.index
        _check_properties(feature.properties, layer.spec.role, add, feature.history_from)
        reason = feature.properties.get("unmapped_reason")
        if feature.geometry is None and not feature.unreadable and not (
            isinstance(reason, str) and reason.strip()
        ):
            # WARN: RFC 7946 allows it; the map lists it under "Not on the map", and a
            # reader should learn why it is not drawn.
            add('has no geometry (null): it is listed under "Not on the map"; add '
                '"unmapped_reason" to say why it cannot be located', Severity.WARNING)
    problems.extend(_check_geometries(layer))
    problems.sort(key=lambda p: -1 if p.feature is None else p.feature)
    return problems


def _check_properties(
    props: dict[str, Any], role: Role, add: Any, history_from: str | None = None
) -> None:
    name = props.get("name")
    if name is None:
        add('missing "name" property')  # ERR: every feature needs a label and a popup title
    elif not isinstance(name, str):
        add(f'"name" must be a string, not {_short(name)}')
    elif not _visible(name):
        add('"name" is empty')

    status = props.get("status")
    if status is None:
        if role is Role.CORRIDOR:
            # ERR: a corridor element without a status would be drawn as if it existed.
            add(
                f'missing "status" (one of {_STATUSES}); for a context layer set '
                'role = "context" in layers.toml'
            )
    elif not isinstance(status, str) or status not in Status._value2member_map_:
        add(f"unknown status {_short(status)} (expected one of {_STATUSES})")

    precision = props.get("precision")
    if precision is not None and (
        not isinstance(precision, str) or precision not in Precision._value2member_map_
    ):
        add(f"unknown precision {_short(precision)} (expected one of {_PRECISIONS})")

    radius = props.get("uncertainty_m")
    if radius is not None and (
        isinstance(radius, bool) or not isinstance(radius, (int, float)) or not radius > 0
    ):
        add(f'"uncertainty_m" must be a positive number of metres, not {_short(radius)}')

    as_of = props.get("as_of")
    if as_of is not None and not is_iso_date(as_of):
        add(f'"as_of" {_short(as_of)} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)')

    btype = props.get("boundary_type")
    if btype is not None and (not isinstance(btype, str) or btype not in BOUNDARY_TYPES):
        add(f"unknown boundary_type {_short(btype)} (expected one of {', '.join(BOUNDARY_TYPES)})")
    if props.get("disputed") is not None and not isinstance(props["disputed"], bool):
        add(f'"disputed" must be true or false, not {_short(props["disputed"])}')
    for key in ("name_ur", "name_zh"):
        if props.get(key) is not None and not isinstance(props[key], str):
            add(f'"{key}" must be text, not {_short(props[key])}')

    description = props.get("description")
    if description is not None and not isinstance(description, str):
        add(f'"description" must be text, not {_short(description)}')

    if history_from is None:
        _check_history(props, add)
    else:  # the whole's entries are checked on the whole; only agreement is the part's
        _check_agreement(props, add, history_from)
    _check_claims(props, add)

    sources = props.get("sources")
    if sources is None:
        if role is Role.CORRIDOR:
            # WARN: the map still draws it, but a reader cannot check it.
            add('has no "sources"; readers cannot check where it comes from', Severity.WARNING)
        return
    if not isinstance(sources, list) or not sources:
        add('"sources" must be a non-empty list of {title, url, date} objects')
        return
    for n, source in enumerate(sources, 1):
        _check_source(n, source, add)


def _check_history(props: dict[str, Any], add: Any) -> None:
    """``history``: dated entries (status, date, sources) in order; the feature's
    current ``status`` and ``as_of`` must follow from the last one."""
    history = props.get("history")
    if history is None:
        return
    if not isinstance(history, list) or not history:
        add('"history" must be a non-empty list of {date, status, sources} entries')
        return
    previous = None
    for n, entry in enumerate(history, 1):
        if not isinstance(entry, dict):
            add(f"history entry {n} must be an object with date, status and sources")
            continue
        date, status = entry.get("date"), entry.get("status")
        if not is_iso_date(date) or not _DAY.fullmatch(str(date).strip()):
            # ERR: the timeline compares dates as text, day precision at most.
            add(f"history entry {n}: date {_short(date)} is not a date like YYYY-MM-DD "
                "(or YYYY-MM, YYYY)")
            date = None
        if not isinstance(status, str) or status not in Status._value2member_map_:
            add(f"history entry {n}: unknown status {_short(status)} (expected one of {_STATUSES})")
        if date and previous and date.strip() < previous:
            # ERR: the timeline reads the history in order.
            add(f"history entry {n} ({date}) is dated before entry {n - 1} ({previous})")
        previous = date.strip() if date else previous
        listed = entry.get("sources")
        if listed is None:
            add(f"history entry {n} has no sources", Severity.WARNING)
        elif not isinstance(listed, list) or not listed:
            add(f"history entry {n}: sources must be a non-empty list")
        else:
            for m, source in enumerate(listed, 1):
                _check_source(m, source, lambda r, sev=Severity.ERROR, n=n: add(
                    f"history entry {n}: {r}", sev))
    _check_agreement(props, add)


def _check_agreement(props: dict[str, Any], add: Any, whole: str | None = None) -> None:
    """The stated ``status`` and ``as_of`` must agree with the last history entry: the
    feature's own, or (for a part) its ``whole``'s."""
    history = props.get("history")
    last = history[-1] if isinstance(history, list) and history else None
    if not isinstance(last, dict):
        return
    status, as_of, last_date = props.get("status"), props.get("as_of"), last.get("date")
    if isinstance(last.get("status"), str) and status != last["status"]:
        # ERR: the map would show one status and the timeline (or the whole) another.
        whose, fix = (("its history", "change one of them") if whole is None else
                      (f"the history of its whole {whole}", "remove it to follow the whole"))
        add(f"status {_short(status)} disagrees with {whose} (last entry {last_date}: "
            f'{last["status"]}); {fix}')
    if is_iso_date(as_of) and is_iso_date(last_date) and as_of.strip() < last_date.strip():
        of = "" if whole is None else " of its whole"
        add(f'"as_of" {as_of} is older than the last history entry{of} ({last_date})')


def _check_claims(props: dict[str, Any], add: Any) -> None:
    """``claims``: the sources of single figures (length, cost, capacity, a date), as
    {property: [sources]}; each claim must name a property the feature has."""
    claims = props.get("claims")
    if claims is None:
        return
    if not isinstance(claims, dict):
        add('"claims" must be an object of {property: [sources]}')
        return
    for key, listed in claims.items():
        if key not in props:
            add(f'claim for "{key}", a property the feature does not have', Severity.WARNING)
        if not isinstance(listed, list) or not listed:
            add(f'claim "{key}": sources must be a non-empty list')
            continue
        for m, source in enumerate(listed, 1):
            _check_source(
                m, source, lambda r, sev=Severity.ERROR, k=key: add(f'claim "{k}": {r}', sev)
            )


def _check_source(n: int, source: Any, add: Any) -> None:
    if isinstance(source, str):
        # ERR: a reference must name an entry of sources.toml.
        add(f"source {n} {source!r} is not defined in sources.toml")
        return
    if not isinstance(source, dict):
        add(f"source {n} must be an object with title, url (or publication) and date")
        return
    title = source.get("title")
    if not isinstance(title, str) or not title.strip():
        add(f'source {n} has no "title"')
    url, publication = source.get("url"), source.get("publication")
    if url is None and publication is None:
        add(f'source {n} needs a "url" or a "publication"')
    if url is not None and not (isinstance(url, str) and _URL.match(url.strip())):
        # WARN: shown as plain text; only http(s) URLs become links.
        add(f"source {n} url {_short(url)} is not an http(s) URL", Severity.WARNING)
    # "date" is when the source was published; "accessed" when an undated one was read.
    if source.get("date") is None and source.get("accessed") is None:
        add(f'source {n} has no "date" (or "accessed" for an undated page)', Severity.WARNING)
    for key in ("date", "accessed"):
        value = source.get(key)
        if value is not None and not is_iso_date(value):
            add(f"source {n} {key} {_short(value)} is not an ISO date (YYYY-MM-DD, YYYY-MM, YYYY)")


def _visible(text: str) -> bool:
    """Whether text has a character that shows (not only spaces and zero-width marks)."""
    return bool(re.sub(r"[\s\u200b-\u200f\u2060\ufeff\u202a-\u202e]", "", text))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- geometry ---------------------------------------------------------------------------


def _check_geometries(layer: Layer) -> Iterable[Problem]:
    located = [f for f in layer.features if f.geometry is not None]
    if not located:
        return
    geoms = np.array([f.geometry for f in located], dtype=object)
    empty = shapely.is_empty(geoms)
    bounds = shapely.bounds(geoms)
    in_range = (
        (bounds[:, 0] >= -180)
        & (bounds[:, 2] <= 180)
        & (bounds[:, 1] >= -90)
        & (bounds[:, 3] <= 90)
    )
    valid = np.ones(len(located), dtype=bool)
    check = ~empty & in_range
    valid[check] = shapely.is_valid(geoms[check])
    lo_x, lo_y, hi_x, hi_y = REGION
    far = ~empty & in_range & (
        (bounds[:, 2] < lo_x - REGION_MARGIN)
        | (bounds[:, 0] > hi_x + REGION_MARGIN)
        | (bounds[:, 3] < lo_y - REGION_MARGIN)
        | (bounds[:, 1] > hi_y + REGION_MARGIN)
    )
    for i in np.flatnonzero(empty | ~in_range | ~valid | far):
        feature, geom = located[i], geoms[i]
        if empty[i]:
            # ERR: an empty geometry is an export error, not "no location".
            reason = f"empty {geom.geom_type} geometry"
        elif not in_range[i]:
            reason = _range_reason(geom)  # ERR
        elif not valid[i]:
            # ERR: invalid polygons draw wrongly and break area and overlay maths.
            reason = (
                f"invalid geometry: {shapely.is_valid_reason(geom)} "
                "(repair it, e.g. QGIS 'Fix geometries' or shapely.make_valid)"
            )
        else:
            yield Problem(
                layer.path, _region_reason(bounds[i]), feature.index, feature.name,
                Severity.WARNING,
            )
            continue
        yield Problem(layer.path, reason, feature.index, feature.name)


def _range_reason(geom: Any) -> str:
    coords = shapely.get_coordinates(geom)
    bad_x = np.flatnonzero(np.abs(coords[:, 0]) > 180)
    bad_y = np.flatnonzero(np.abs(coords[:, 1]) > 90)
    if bad_x.size and (not bad_y.size or bad_x[0] <= bad_y[0]):
        value, axis, limit = coords[bad_x[0], 0], "longitude", "-180..180"
    else:
        value, axis, limit = coords[bad_y[0], 1], "latitude", "-90..90"
    reason = f"{axis} {value:g} is outside {limit}"
    if np.abs(coords).max() > 1000:
        reason += (
            " (coordinates look like projected metres; cpec-map needs WGS84 lon/lat: "
            "reproject, e.g. ogr2ogr -t_srs EPSG:4326)"
        )
    elif axis == "latitude" and _in_region(coords[:, 1], coords[:, 0]):
        reason += " (are longitude and latitude swapped? GeoJSON is [lon, lat])"
    return reason


def _in_region(xs: np.ndarray, ys: np.ndarray) -> bool:
    lo_x, lo_y, hi_x, hi_y = REGION
    m = REGION_MARGIN
    return bool(
        np.all((xs >= lo_x - m) & (xs <= hi_x + m) & (ys >= lo_y - m) & (ys <= hi_y + m))
    )


def _region_reason(b: np.ndarray) -> str:
    lo_x, lo_y, hi_x, hi_y = REGION
    if b[0] == b[2] and b[1] == b[3]:
        where = f"lies at lon {b[0]:.2f}, lat {b[1]:.2f}"
    else:
        where = f"spans lon {b[0]:.2f}..{b[2]:.2f}, lat {b[1]:.2f}..{b[3]:.2f}"
    reason = f"{where}, far outside the corridor region ({lo_x:g}–{hi_x:g} E, {lo_y:g}–{hi_y:g} N)"
    if _in_region(np.array([b[1], b[3]]), np.array([b[0], b[2]])):
        reason += "; longitude and latitude look swapped (GeoJSON is [lon, lat])"
    return reason
