"""The build, stage by stage: load -> validate -> style/render -> write.

Library code: it never prints or exits. Problems are collected from every stage
and raised once as :class:`CpecMapError`; the CLI decides how to show them.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CpecMapError, Problem, Severity
from .export import (
    embed_path,
    embed_snippet,
    output_format,
    prepare_target,
    sidecar_path,
    write_all,
)
from .load import DEFAULT_MAX_FILE_MB, Progress, load_dir
from .model import FigureOptions, Geodata, MapOptions
from .validate import validate


@dataclass(frozen=True, eq=False)
class Report:
    """What checking a geodata folder found; displays as a table in Jupyter."""

    geodata: Geodata
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{p.severity.value}</td><td>{html_lib.escape(p.file)}</td>"
            f"<td>{'' if p.feature is None else p.feature}</td>"
            f"<td>{html_lib.escape(p.name or '')}</td><td>{html_lib.escape(p.reason)}</td></tr>"
            for p in self.problems
        )
        head = (
            f"<p><b>{len(self.geodata.layers)} layers, {self.geodata.feature_count} features"
            f"</b>: {len(self.errors)} errors, {len(self.warnings)} warnings</p>"
        )
        if not rows:
            return head
        return (
            head + "<table><tr><th>severity</th><th>file</th><th>feature</th><th>name</th>"
            "<th>problem</th></tr>" + rows + "</table>"
        )


@dataclass(frozen=True, eq=False)
class BuildResult:
    """A built map: its HTML, what was written, and the warnings met on the way."""

    geodata: Geodata
    html: str
    problems: tuple[Problem, ...] = ()
    written: tuple[Path, ...] = field(default_factory=tuple)

    def _repr_html_(self) -> str:
        """Show the map inline in Jupyter, sandboxed in an iframe like folium does."""
        return (
            '<iframe style="width:100%;height:600px;border:0" sandbox="allow-scripts '
            f'allow-popups" srcdoc="{html_lib.escape(self.html, quote=True)}"></iframe>'
        )


def check(
    geodata_dir: str | os.PathLike[str],
    *,
    strict: bool = False,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    progress: Progress | None = None,
) -> Report:
    """Load and validate a geodata folder; with ``strict`` every warning counts as an error."""
    geodata, problems = load_dir(geodata_dir, max_file_mb=max_file_mb, progress=progress)
    problems.extend(validate(geodata))
    # file by file, then feature by feature: the order a user fixes them in
    problems.sort(key=lambda p: (p.file, -1 if p.feature is None else p.feature))
    if strict:
        problems = [
            Problem(p.file, p.reason, p.feature, p.name, Severity.ERROR) for p in problems
        ]
    return Report(geodata=geodata, problems=tuple(problems))


def build(
    geodata_dir: str | os.PathLike[str],
    outputs: Sequence[str | os.PathLike[str]] = (),
    options: MapOptions | None = None,
    *,
    figure: FigureOptions | None = None,
    strict: bool = False,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    progress: Progress | None = None,
) -> BuildResult:
    """Check the geodata once, then write every output: the HTML map (with its embed
    snippet) and static figures (each with a caption/alt-text/sources sidecar).

    Raises :class:`CpecMapError` (with every problem) when the geodata has errors,
    and :class:`~cpec_map.errors.UsageError` for unusable folders, options or output
    paths; in both cases nothing is written.
    """
    from .document import check_basemap
    from .render import render_html  # folium is imported only to build

    options = options or MapOptions()
    figure = figure or FigureOptions(
        title=options.title, data_date=options.data_date or options.as_of
    )
    check_basemap(options.basemap)
    targets = [(Path(out), output_format(out)) for out in outputs]
    for path, _ in targets:  # fail on a bad output path or size before any work is done
        prepare_target(path)
    static = sorted({fmt for _, fmt in targets} - {"html"})
    if static:
        from . import figure as figure_module  # matplotlib is imported only when needed

        figure_module.parse_size(figure.size)
    report = check(geodata_dir, strict=strict, max_file_mb=max_file_mb, progress=progress)
    if not report.ok:
        raise CpecMapError(report.problems)
    geodata = report.geodata
    if options.as_of:  # the corridor as it stood then, for the page and the figures alike
        from .history import as_of

        geodata = as_of(geodata, options.as_of)
        if not options.data_date:
            options = dataclasses.replace(options, data_date=options.as_of)
    figures: dict[str, bytes] = {}
    description = None
    if static:
        figure_module.resolve_view(geodata, figure.view)  # a bad --view is a usage error
        if progress is not None:
            progress(f"drawing the static figure ({', '.join(static)})")
        rendered = figure_module.render_figures(geodata, figure, static)
        figures, description = rendered.images, rendered.description
    if progress is not None and geodata.feature_count > 50_000:
        progress(f"rendering {geodata.feature_count:,} features")
    wants_html = any(fmt == "html" for _, fmt in targets) or not targets
    page = render_html(geodata, options).encode("utf-8") if wants_html else b""
    files: list[tuple[Path, bytes]] = []
    pngs = [path for path, fmt in targets if fmt == "png"]
    for path, fmt in targets:
        if fmt == "html":
            snippet = embed_snippet(
                path, options.title or geodata.settings.title, "; ".join(geodata.credits()),
                description.alt if description else None, pngs[0] if pngs else None,
            )
            files += [(path, page), (embed_path(path), snippet.encode("utf-8"))]
        else:
            assert description is not None  # drawn with the figures
            files += [(path, figures[fmt]), (sidecar_path(path), description.to_text().encode())]
    written = write_all(files)  # all or nothing
    return BuildResult(
        geodata=geodata, html=page.decode("utf-8"), problems=report.problems,
        written=tuple(written),
    )
