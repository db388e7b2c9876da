"""The command line: parse arguments, run the pipeline, report problems, pick the exit code.

Exit codes: 0 written (or checked clean), 1 the geodata has problems, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence

from . import __version__
from .errors import CpecMapError, Problem, UsageError, summary
from .load import DEFAULT_MAX_FILE_MB
from .model import BASEMAP_CHOICES, FIGURE_SIZES, FigureOptions, MapOptions, is_iso_date
from .pipeline import build, check

DEFAULT_OUT = "output/cpec_map.html"
#: Lines shown per file before the rest are summarised (all with --debug).
MAX_LINES_PER_FILE = 20


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="make_map.py",
        description=(
            "Build the interactive map of the China-Pakistan Economic Corridor from a "
            "folder of GeoJSON layers."
        ),
        epilog=(
            "Exit codes: 0 written (or --check found no errors); 1 the geodata has "
            "problems; 2 usage error (bad option, missing folder, unwritable output)."
        ),
    )
    p.add_argument(
        "--geodata", metavar="DIR", default="geodata",
        help="folder of *.geojson layers and optional layers.toml (default: geodata)",
    )
    p.add_argument(
        "--out", metavar="PATH", action="append",
        help=f"output file, format from the suffix (.html, .png, .svg, .pdf); repeat for "
        f"several (default: {DEFAULT_OUT})",
    )
    p.add_argument("--title", metavar="TEXT", help="map title (default: from layers.toml)")
    p.add_argument(
        "--basemap", metavar="NAME", default="light",
        help=f"basemap at start: {', '.join(BASEMAP_CHOICES)}, or an xyzservices "
        "provider name (default: light)",
    )
    p.add_argument(
        "--precision", metavar="N", type=int, default=5,
        help="decimals kept in coordinates, 5 is about 1 m (default: 5)",
    )
    p.add_argument(
        "--data-date", metavar="DATE",
        help='date in the "built from geodata of" line (default: layers.toml, else the '
        "newest date in the data)",
    )
    p.add_argument(
        "--as-of", metavar="DATE",
        help="build the map and figures as the corridor stood on DATE, from the status "
        "histories (default: today's data)",
    )
    p.add_argument(
        "--size", metavar="SIZE", default=FigureOptions.size,
        help=f"figure size: {', '.join(FIGURE_SIZES)}, or WxH in mm or in, e.g. 180x120mm "
        f"(default: {FigureOptions.size})",
    )
    p.add_argument(
        "--dpi", metavar="N", type=int, default=FigureOptions.dpi,
        help=f"resolution of PNG figures (default: {FigureOptions.dpi})",
    )
    p.add_argument(
        "--view", metavar="VIEW", default=FigureOptions.view,
        help="figure frame: corridor, a view named in layers.toml [views] (the bundled "
        "data has gwadar, karachi, islamabad, khunjerab, ml1), a layer name, or W,S,E,N in "
        "degrees (default: corridor)",
    )
    p.add_argument(
        "--lang", metavar="LANG", choices=("en", "ur", "zh"), default="en",
        help="language of the figures (labels, legend, title): en, ur (Urdu) or zh (Chinese) "
        "(default: en)",
    )
    p.add_argument(
        "--max-file-mb", metavar="MB", type=float, default=DEFAULT_MAX_FILE_MB,
        help=f"refuse layer files larger than this (default: {DEFAULT_MAX_FILE_MB})",
    )
    p.add_argument("--check", action="store_true", help="validate the geodata, write nothing")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--quiet", action="store_true", help="print only problems")
    p.add_argument(
        "--debug", action="store_true", help="list every problem; show tracebacks"
    )
    p.add_argument("--version", action="version", version=f"cpec-map {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code instead of exiting (for tests and shims)."""
    for stream in (sys.stdout, sys.stderr):  # a non-UTF-8 console must not crash a report
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not 0 <= args.precision <= 10:
        return _usage(f"--precision {args.precision}: choose 0..10 decimals")
    if not args.max_file_mb > 0:  # also refuses nan
        return _usage("--max-file-mb must be positive")
    if not 30 <= args.dpi <= 1200:
        return _usage(f"--dpi {args.dpi}: choose 30..1200")
    if args.data_date is not None and not is_iso_date(args.data_date):
        return _usage(f"--data-date {args.data_date}: use an ISO date such as 2026-11-29")
    if args.as_of is not None and not is_iso_date(args.as_of):
        return _usage(f"--as-of {args.as_of}: use an ISO date such as 2024-06-30")

    def progress(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        if args.check:
            report = check(
                args.geodata, strict=args.strict, max_file_mb=args.max_file_mb,
                progress=progress,
            )
            _show(report.problems, args.debug)
            if not report.ok:
                print(f"{args.geodata}: {summary(report.problems)}", file=sys.stderr)
                return 1
            if not args.quiet:
                gd = report.geodata
                print(
                    f"{args.geodata}: {len(gd.layers)} layers, {gd.feature_count} features, "
                    f"{summary(report.problems)}"
                )
            return 0
        options = MapOptions(
            title=args.title, basemap=args.basemap, precision=args.precision,
            data_date=args.data_date or args.as_of, as_of=args.as_of,
        )
        figure = FigureOptions(
            size=args.size, dpi=args.dpi, view=args.view, lang=args.lang, title=args.title,
            data_date=args.data_date or args.as_of,
        )
        result = build(
            args.geodata, args.out or [DEFAULT_OUT], options, figure=figure,
            strict=args.strict, max_file_mb=args.max_file_mb, progress=progress,
        )
    except CpecMapError as exc:
        _show(exc.problems, args.debug)
        print(f"{args.geodata}: {summary(exc.problems)}; nothing written", file=sys.stderr)
        return 1
    except UsageError as exc:
        return _usage(str(exc))
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, or data no rule foresaw: say so without a traceback
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"{args.geodata}: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback); nothing written",
                file=sys.stderr,
            )
        return 1

    _show(result.problems, args.debug)
    if not args.quiet:
        gd = result.geodata
        seconds = time.perf_counter() - started
        print(
            f"built {len(gd.layers)} layers, {gd.feature_count} features in {seconds:.1f} s"
        )
        for path in result.written:
            print(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KB)")
    return 0


def _show(problems: Sequence[Problem], show_all: bool) -> None:
    per_file: dict[str, int] = {}
    for problem in problems:
        n = per_file[problem.file] = per_file.get(problem.file, 0) + 1
        if show_all or n <= MAX_LINES_PER_FILE:
            print(problem, file=sys.stderr)
    for file, n in per_file.items():
        if not show_all and n > MAX_LINES_PER_FILE:
            print(
                f"{file}: ... and {n - MAX_LINES_PER_FILE} more problems (--debug lists all)",
                file=sys.stderr,
            )


def _usage(message: str) -> int:
    print(f"make_map.py: error: {message}", file=sys.stderr)
    return 2
