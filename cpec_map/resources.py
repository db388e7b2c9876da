"""The one reader of package data: Leaflet from ``xstatic-leaflet`` and our own assets.

Everything the HTML map needs is read here and inlined by the renderer, so a saved
map opens with no network. Results are cached: a build reads each asset once.
"""

from __future__ import annotations

import base64
import re
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet
import xstatic.pkg.leaflet_gesturehandling as xgesture


@cache
def asset(name: str) -> str:
    """Text of one of our packaged assets (``resources/<name>``)."""
    return resources.files("cpec_map").joinpath("resources", name).read_text(encoding="utf-8")


def _joined(folder: str, suffix: str) -> str:
    """The files of ``resources/<folder>`` ending in ``suffix``, in file-name order."""
    files = resources.files("cpec_map").joinpath("resources", folder).iterdir()
    named = sorted((p.name, p) for p in files if p.name.endswith(suffix))
    return "\n".join(p.read_text(encoding="utf-8") for _, p in named)


def _without_source_map(script: str) -> str:
    """A minified script without its trailing source-map comment (the map is not shipped)."""
    return re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "", script)


@lru_cache(maxsize=1)
def runtime_js() -> str:
    """Our runtime: ``resources/js/*.js`` in file-name order, in one function scope."""
    return f"(function () {{\n{_joined('js', '.js')}\n}})();\n"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """Our stylesheet: ``resources/css/*.css`` in file-name order."""
    return _joined("css", ".css")


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    """Leaflet's minified script."""
    return _without_source_map((Path(xleaflet.BASE_DIR) / "leaflet.js").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined as data URIs (no relative URLs left)."""
    base = Path(xleaflet.BASE_DIR)
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = (base / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)


@lru_cache(maxsize=1)
def gesture_handling() -> tuple[str, str]:
    """Leaflet.GestureHandling (script, stylesheet): in an article, scrolling the page
    does not zoom the map; zoom needs Ctrl/Cmd or two fingers, and a hint says so."""
    base = Path(xgesture.BASE_DIR)
    script = (base / "leaflet-gesture-handling.min.js").read_text(encoding="utf-8")
    return _without_source_map(script), (
        base / "leaflet-gesture-handling.min.css"
    ).read_text(encoding="utf-8")
