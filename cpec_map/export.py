"""Write outputs safely: to a temporary file beside the target, then renamed into place.

A failed or interrupted build therefore never leaves a half-written map, and never
replaces a good map with a broken one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from pathlib import Path

from .errors import UsageError

#: Output formats by file suffix: the interactive map, or a static figure (matplotlib).
FORMATS = {".html": "html", ".htm": "html", ".png": "png", ".svg": "svg", ".pdf": "pdf"}


def output_format(path: str | os.PathLike[str]) -> str:
    """The format of an output path from its suffix, or a UsageError naming the choices."""
    if Path(path).is_dir():
        raise UsageError(f"{path}: is a folder; give a file name such as {Path(path) / 'map.html'}")
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise UsageError(f"{path}: unknown output format {suffix or '(no suffix)'!r} ({known})")
    return FORMATS[suffix]


def prepare_target(path: str | os.PathLike[str]) -> Path:
    """Check, before any work is done, that the output can be written; create nothing.

    Returns the file to write: a symbolic link is followed, so the file it points to
    is updated and the link kept.
    """
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name such as {Path(path) / 'map.html'}")
    ancestor = target.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UsageError(f"{path}: cannot create folder {target.parent}: {ancestor} is a file")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise UsageError(f"{path}: folder {ancestor} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise UsageError(f"{path}: file is not writable")
    return target


def write_all(files: list[tuple[str | os.PathLike[str], bytes]]) -> list[Path]:
    """Write several files all or nothing: each goes to a temporary file beside its
    target (fsynced), and only when every one is staged are they renamed into place.

    A failure leaves every existing file as it was and no temporary file behind.
    """
    staged: list[tuple[str, Path, int]] = []
    shown = [Path(path) for path, _ in files]  # reported as the user gave them
    try:
        for path, data in files:
            target = prepare_target(path)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(
                    dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
                )
                staged.append((tmp, target, _final_mode(target)))
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:
                raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from exc
        for tmp, target, mode in staged:
            try:
                os.chmod(tmp, mode)
                os.replace(tmp, target)
            except OSError as exc:  # rare: the folder changed under us mid-way
                raise UsageError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        for tmp, _, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    return shown


def _final_mode(target: Path) -> int:
    """Keep an existing file's permissions; new files get the usual 0666 minus the umask."""
    if target.exists():
        return target.stat().st_mode & 0o777
    return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    # reading the umask means setting it; do it once, not on every write
    mask = os.umask(0)
    os.umask(mask)
    return mask


def embed_snippet(
    map_path: Path, title: str, data_credit: str, alt: str | None, image: Path | None
) -> str:
    """HTML to paste into an article: a responsive iframe of the map, a caption with a
    link to the full map, and a static image for readers whose browser runs no scripts."""
    from html import escape

    src = escape(map_path.name, quote=True)
    parts = [
        f"<!-- cpec-map embed: keep {map_path.name} beside the page that includes this -->",
        '<figure class="cpec-map-embed" style="margin:1em 0;max-width:100%">',
        '<div style="position:relative;width:100%;aspect-ratio:4/3;min-height:320px">',
        f'<iframe src="{src}#embed" title="{escape("Interactive map: " + title, quote=True)}" '
        'loading="lazy" allowfullscreen referrerpolicy="strict-origin-when-cross-origin" '
        'style="position:absolute;inset:0;width:100%;height:100%;border:0"></iframe>',
        "</div>",
        f'<figcaption style="font-size:.9em">{escape(title)}. '
        f'<a href="{src}">Open the interactive map</a>'
        + (f". Data: {escape(data_credit)}" if data_credit else "") + ".</figcaption>",
    ]
    if image is not None:
        # the image as seen from the page that holds the map
        rel = Path(os.path.relpath(image.resolve(), map_path.resolve().parent)).as_posix()
        parts.append(
            f'<noscript><a href="{src}"><img src="{escape(rel, quote=True)}" '
            f'alt="{escape(alt or title, quote=True)}" style="max-width:100%;height:auto">'
            "</a></noscript>"
        )
    parts.append("</figure>")
    return "\n".join(parts) + "\n"


def embed_path(map_path: Path) -> Path:
    """``output/cpec_map.html`` -> ``output/cpec_map.embed.html``."""
    return map_path.with_name(map_path.stem + ".embed.html")


def sidecar_path(figure_path: Path) -> Path:
    """``output/cpec_map.pdf`` -> ``output/cpec_map.pdf.txt``: caption, alt text, sources."""
    return figure_path.with_name(figure_path.name + ".txt")
