"""Shared fixtures: tiny geodata folders written to tmp_path, and a real headless Chromium."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from cpec_map.load import load_dir
from cpec_map.model import Geodata

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"
CHROMIUM = os.environ.get("CPEC_CHROMIUM", "/usr/bin/chromium")
SVG = "{http://www.w3.org/2000/svg}"


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
def sites_and_route(geodata: GeodataFolder) -> Geodata:
    """Two named sites (Urdu and Chinese names, one approximate) and a schematic line:
    small data for figure tests."""
    geodata.layer("sites", collection(
        feature("Gwadar Port", {"type": "Point", "coordinates": [62.33, 25.11]}, status="operational",
                name_ur="گوادر بندرگاہ", name_zh="瓜达尔港"),
        feature("Dhabeji SEZ", {"type": "Point", "coordinates": [67.50, 24.81]}, precision="approximate",
                uncertainty_m=5000, name_ur="دھابیجی", name_zh="达贝吉"),
    ))
    geodata.layer("route", collection(feature(
        "ML-1", {"type": "LineString", "coordinates": [[67.0, 24.85], [68.37, 25.38], [71.5, 34.0]]},
        precision="schematic")))
    geodata.manifest('[views]\nsouth = [62.0, 24.5, 68.5, 25.6]\n')
    data, _ = load_dir(geodata.path)
    return data


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A copy of the bundled geodata/, so a test may change it."""
    target = tmp_path / "geodata"
    shutil.copytree(GEODATA, target)
    return target


# --- a real headless Chromium, shared by every browser test -------------------------------

@pytest.fixture(scope="session")
def shipped_map(tmp_path_factory) -> Path:
    """The bundled geodata built once for the tests that only read it."""
    out = tmp_path_factory.mktemp("shipped") / "cpec_map.html"
    from cpec_map import build_map

    build_map(GEODATA, out)
    return out



BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but Chromium is missing at {CHROMIUM} (.ci/run installs it)")
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A page with the map loaded, and every console message and page error it produced."""

    def __init__(self, page: Any):
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def drawn(self, layer: str) -> int:
        return self.eval("id => cpecMap.groups[id].getLayers().length", layer)

    def state(self) -> dict:
        return self.eval("() => cpecMap.store.get()")

    def layers_tab(self) -> None:
        self.page.locator('.cpec-tab[data-tab="layers"]').click()


def open_map(browser, html: Path, *, offline: bool = False, size=(1280, 800), fragment: str = "") -> Opened:
    """Open a built map in a new page; tiles are answered with a blank PNG (or refused)."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    opened = Opened(page)

    def route(r):
        url = r.request.url
        opened.requests.append(url)
        if url.startswith("file:"):
            return r.continue_()
        if offline:
            return r.abort()
        return r.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    page.route("**/*", route)
    page.goto(html.as_uri() + (f"#{fragment}" if fragment else ""))
    page.wait_for_selector("[data-cpec-ready]", timeout=15_000)
    return opened
