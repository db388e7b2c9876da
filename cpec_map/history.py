"""The corridor as of a date, from each feature's status history.

A feature's ``history`` is a list of dated entries (status, date, sources); its
current ``status`` and ``as_of`` follow from the last one. :func:`as_of` turns a
geodata folder into what it said on a given day: features not yet announced are left
out, the others carry the status they had then. The HTML timeline does the same in
the page, from the same entries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .model import Feature, Geodata, is_iso_date


def entries(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The well-formed history entries of a feature (dated, with a status), in order."""
    history = props.get("history")
    if not isinstance(history, list):
        return []
    return [
        e for e in history
        if isinstance(e, dict) and is_iso_date(e.get("date")) and isinstance(e.get("status"), str)
    ]


def state_on(props: Mapping[str, Any], date: str) -> dict[str, Any] | None:
    """The last history entry on or before ``date`` (ISO dates compare as text: "2025"
    counts from the start of 2025); ``None`` when the feature had no status yet.
    A feature without a history is taken as it is."""
    found = entries(props)
    if not found:
        return {"status": props.get("status"), "date": props.get("as_of")}
    day = date.strip()
    before = [e for e in found if e["date"].strip() <= day]
    return before[-1] if before else None


def as_of(geodata: Geodata, date: str) -> Geodata:
    """The geodata as it stood on ``date``: later features dropped, statuses of then."""
    day = date.strip()
    layers = []
    for layer in geodata.layers:
        kept: list[Feature] = []
        for feature in layer.features:
            found = entries(feature.properties)
            # the page of that date must not know what came after
            before = [e for e in found if e["date"].strip() <= day]
            if not found:
                kept.append(feature)
            elif before:
                props = dict(feature.properties, history=before)
                props["status"], props["as_of"] = before[-1]["status"], before[-1]["date"]
                kept.append(dataclasses.replace(feature, properties=props))
        layers.append(dataclasses.replace(layer, features=tuple(kept)))
    return dataclasses.replace(geodata, layers=tuple(layers))


def timeline_dates(geodata: Geodata) -> list[str]:
    """Every date on which a feature on the map appeared or its status changed, in order.
    An entry that only confirms the status before it (a later report that the port is
    still working) is no stop on the timeline: nothing on the map changes there."""
    dates: set[str] = set()
    for layer in geodata.layers:
        for f in layer.features:
            if f.geometry is None:
                continue
            before = None
            for e in entries(f.properties):
                if e["status"] != before:
                    dates.add(e["date"].strip())
                before = e["status"]
    return sorted(dates)
