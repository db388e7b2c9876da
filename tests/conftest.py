"""Shared fixtures: tiny geodata folders written to tmp_path, and a real headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"
CHROMIUM = os.environ.get("CPEC_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the network: outbound socket connections fail loudly."""

    def guard(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise RuntimeError(f"test tried to reach the network: {address}")
        return real_connect(self, address)

    real_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", guard)


def feature(
    name: Any = "Site",
    geometry: Any = None,
    status: Any = "planned",
    **props: Any,
) -> dict[str, Any]:
    """A valid corridor feature; pass keyword arguments to change or add properties."""
    properties: dict[str, Any] = {"name": name, "status": status}
    properties.update(
        {
            "sources": [
                {"title": "Test source", "url": "https://example.org/source", "date": "2026-05-01"}
            ]
        }
    )
    properties.update(props)
    properties = {k: v for k, v in properties.items() if v is not ...}
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry if geometry is not None else {"type": "Point", "coordinates": [67.0, 24.85]},
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


class GeodataFolder:
    """Builds a geodata folder in tmp_path, one call per layer file."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)

    def layer(self, stem: str, content: Any) -> Path:
        target = self.path / f"{stem}.geojson"
        if isinstance(content, bytes):
            target.write_bytes(content)
        elif isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        return target

    def manifest(self, text: str) -> Path:
        target = self.path / "layers.toml"
        target.write_text(text, encoding="utf-8")
        return target

    def __str__(self) -> str:
        return str(self.path)


@pytest.fixture
def geodata(tmp_path: Path) -> GeodataFolder:
    return GeodataFolder(tmp_path / "geodata")


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A copy of the bundled geodata/, so a test may change it."""
    target = tmp_path / "geodata"
    shutil.copytree(GEODATA, target)
    return target
