"""cpec-map: a sourced, self-contained map of the China–Pakistan Economic Corridor.

The public API is small: :func:`build_map` renders (and optionally writes) the
interactive map of a geodata folder, :func:`validate_dir` checks a folder without
writing anything. Both return objects that display inline in Jupyter.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from .errors import CpecMapError, Problem, Severity, UsageError
from .model import MapOptions
from .pipeline import BuildResult, Report, build, check

__version__ = "0.1.0"

__all__ = [
    "BuildResult",
    "CpecMapError",
    "MapOptions",
    "Problem",
    "Report",
    "Severity",
    "UsageError",
    "__version__",
    "build_map",
    "validate_dir",
]


def build_map(
    geodata: str | os.PathLike[str] = "geodata",
    out: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    *,
    title: str | None = None,
    basemap: str = "light",
    strict: bool = False,
) -> BuildResult:
    """Build the interactive map of a geodata folder.

    Parameters
    ----------
    geodata
        Folder of ``*.geojson`` layers (and an optional ``layers.toml``).
    out
        Path(s) to write; ``None`` only renders (the result shows inline in Jupyter).
    title, basemap
        Override the manifest's title; choose the basemap shown at start.
    strict
        Treat warnings as errors.

    Raises
    ------
    CpecMapError
        The geodata has errors; ``.problems`` lists every one of them.
    """
    outs: list[str | os.PathLike[str]]
    if out is None:
        outs = []
    elif isinstance(out, (str, os.PathLike)):
        outs = [out]
    else:
        outs = list(out)
    return build(geodata, outs, MapOptions(title=title, basemap=basemap), strict=strict)


def validate_dir(geodata: str | os.PathLike[str] = "geodata", *, strict: bool = False) -> Report:
    """Check a geodata folder and return every problem found; never writes or raises on data."""
    return check(geodata, strict=strict)
