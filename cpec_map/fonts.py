"""Fonts that travel with the output: the packaged Noto faces for Urdu and Chinese,
subset to the characters used and written as CSS ``@font-face`` rules.

A reader without an Arabic or CJK font would see boxes; the page and the SVG figures
therefore carry the glyphs they show. Each rule serves only the characters it covers
(``unicode-range``), so a page may list the embedded family first and Latin text still
falls through to the next font. Output is byte-stable: fixed subsetter options, the
source fonts' own timestamps, WOFF with zlib.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

ARABIC_FAMILY = "Noto Sans Arabic"
CJK_FAMILY = "Noto Sans CJK SC"


@dataclass(frozen=True)
class _Face:
    """One packaged font and how to cut a web font from it."""

    family: str  # the installed font's name (what matplotlib draws with)
    embedded: str  # the subset's name: never mistaken for a complete installed font
    ranges: tuple[tuple[int, int], ...]  # code points this face serves
    drop_features: frozenset[str]  # layout features not worth their glyphs here
    drop_tables: tuple[str, ...]


_FACES = (
    _Face(
        family=ARABIC_FAMILY,
        embedded="CPEC Noto Sans Arabic",
        ranges=(
            (0x0600, 0x06FF),  # Arabic
            (0x0750, 0x077F),  # Arabic Supplement
            (0x0870, 0x08FF),  # Arabic Extended-B, -A
            (0x10EC0, 0x10EFF),  # Arabic Extended-C
            (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
            (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
            # ZWNJ, ZWJ, LRM, RLM: they steer joining and direction inside Urdu words,
            # so the face that shapes the word must see them
            (0x200C, 0x200F),
            (0x204F, 0x204F),  # reversed semicolon
            (0x2E41, 0x2E41),  # reversed comma
        ),
        # Urdu needs every shaping feature (init, medi, fina, rlig, mark, mkmk, ...);
        # the subsetter's defaults keep them and their GSUB closure
        drop_features=frozenset(),
        drop_tables=("STAT",),
    ),
    _Face(
        family=CJK_FAMILY,
        embedded="CPEC Noto Sans SC",
        ranges=(
            (0x2E80, 0x9FFF),  # radicals, CJK symbols and punctuation, kana, ideographs
            (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
            (0xFE10, 0xFE1F),  # Vertical Forms
            (0xFE30, 0xFE4F),  # CJK Compatibility Forms
            (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
            (0x20000, 0x3FFFF),  # ideograph extensions B and later
        ),
        # locl swaps in Japanese, Korean and traditional forms (the page is simplified
        # Chinese, and their closure would double the subset); text runs horizontally
        drop_features=frozenset({"locl", "vert", "vrt2", "valt", "vkrn", "vpal", "vhal"}),
        drop_tables=("VORG", "vhea", "vmtx"),
    ),
)
#: Installed family -> family of its embedded subset.
EMBEDDED = {face.family: face.embedded for face in _FACES}
#: Name records kept: family and style, plus the copyright and licence the OFL asks
#: every copy of the font to carry.
_NAME_IDS = (0, 1, 2, 13, 14)
#: The Arabic font is variable; the page uses its default instance (matplotlib does too).
_ARABIC_INSTANCE = {"wght": 400, "wdth": 100}


def font_css(text: str) -> str:
    """``@font-face`` rules for the Urdu and Chinese characters of ``text`` (the page's
    map document as JSON, non-ASCII unescaped: every string it holds counts, and taking
    the characters of one string is much faster than walking the document): one rule
    per face needed, ``""`` when none is (English only)."""
    return "\n".join(font_faces(text).values())


def font_faces(text: str) -> dict[str, str]:
    """The ``@font-face`` rule for each packaged face the characters of ``text`` need.

    Keys are the installed family names (:data:`ARABIC_FAMILY`, :data:`CJK_FAMILY`);
    each rule names the face by its :data:`EMBEDDED` family, in this order.
    """
    present = {ord(c) for c in text}
    rules = {}
    for face in _FACES:
        wanted = tuple(sorted(u for u in present if _in(u, face.ranges)))
        if wanted:
            rule = _rule(face, wanted)
            if rule:
                rules[face.family] = rule
    return rules


def font_path(family: str) -> Path:
    """Path of the packaged font file of ``family`` (the CJK one is a collection)."""
    if family == ARABIC_FAMILY:
        import fontpkg_noto_sans_arabic as pkg

        return sorted(Path(pkg.ROOT).joinpath("files").glob("*.ttf"))[0]
    if family == CJK_FAMILY:
        import noto_cjk_sans_otc as pkg

        return Path(pkg.FONT_PATH)
    raise ValueError(f"no packaged font for {family!r}")


def _in(code: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


@cache
def _font_number(family: str) -> int:
    """Index of the family's regular face in its file (0 unless a collection)."""
    from fontTools.ttLib import TTCollection

    path = font_path(family)
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    with TTCollection(str(path), lazy=True) as collection:
        for number, font in enumerate(collection.fonts):
            name = font["name"]
            if (
                name.getDebugName(1) == family
                and name.getDebugName(2) == "Regular"
                and font["OS/2"].usWeightClass == 400
            ):
                return number
    raise ValueError(f"{path}: no regular {family!r} face")


@lru_cache(maxsize=16)
def _rule(face: _Face, codes: tuple[int, ...]) -> str:
    """The rule for the face cut to ``codes`` (those it has), or "" if it has none.

    Cached: a build, and a test session, ask for the same cuts again and again.
    """
    woff, covered = _subset(face, codes)
    if not covered:
        return ""
    data = base64.b64encode(woff).decode("ascii")
    return (
        f'@font-face{{font-family:"{face.embedded}";font-style:normal;font-weight:400;'
        f'font-display:swap;src:url(data:font/woff;base64,{data}) format("woff");'
        f"unicode-range:{_unicode_range(covered)}}}"
    )


def _subset(face: _Face, codes: tuple[int, ...]) -> tuple[bytes, list[int]]:
    """WOFF bytes of the face cut to ``codes``, and the code points its cmap keeps."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    options = subset.Options()
    options.layout_features = [f for f in options.layout_features if f not in face.drop_features]
    options.hinting = False  # browsers rasterise unhinted outlines well; hints are bulk
    options.desubroutinize = True  # compresses better than CFF subroutines at this size
    options.notdef_outline = True  # a missing glyph shows as a box, not as nothing
    options.name_IDs = list(_NAME_IDS)
    options.drop_tables = [*options.drop_tables, *face.drop_tables]
    # recalcTimestamp=False keeps head.modified from the source: no build time in output
    with TTFont(
        font_path(face.family),
        fontNumber=_font_number(face.family),
        lazy=True,
        recalcTimestamp=False,
    ) as font:
        # the source's bounds contain the subset's; recomputing them would run every
        # CFF charstring again, a good part of the build time
        font.recalcBBoxes = "CFF " not in font
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes)
        subsetter.subset(font)
        if "fvar" in font:
            instancer.instantiateVariableFont(font, _ARABIC_INSTANCE, inplace=True)
            for tag in face.drop_tables:  # the instancer may leave axis tables behind
                if tag in font:
                    del font[tag]
            name = font["name"]
            name.names = [n for n in name.names if n.nameID in _NAME_IDS]
        covered = sorted(font.getBestCmap() or ())  # None: the font had none of them
        font.flavor = "woff"
        buffer = io.BytesIO()
        font.save(buffer)
    return buffer.getvalue(), covered


def _unicode_range(codes: list[int]) -> str:
    """``U+60C,U+627-62A``: the code points as CSS ranges, runs merged."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ",".join(f"U+{lo:X}" if lo == hi else f"U+{lo:X}-{hi:X}" for lo, hi in runs)
