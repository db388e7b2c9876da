"""Embedded fonts: subset to exactly the characters used, shaping kept, byte-stable, and
carried by the SVG figures as well as the page."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from conftest import ROOT, SVG
from fontTools.ttLib import TTFont

from cpec_map import fonts
from cpec_map.figure import render_figures
from cpec_map.fonts import ARABIC_FAMILY, CJK_FAMILY, EMBEDDED, font_css, font_path
from cpec_map.model import FigureOptions

URDU = ("گوادر بندرگاہ", "نقشہ", "مقامات")
CHINESE = ("瓜达尔港（在建）", "地图", "站点")
#: A map document in miniature: strings at several depths, in dicts and lists.
DOCUMENT: dict[str, Any] = {
    "title": "CPEC",
    "strings": {
        "en": {"title": "Map", "layers": "Layers"},
        "ur": {"title": URDU[1], "layers": "پرتیں"},
        "zh": {"title": CHINESE[1], "layers": "图层"},
    },
    "layers": [
        {
            "title": {"en": "Sites", "ur": URDU[2], "zh": CHINESE[2]},
            "features": [
                {"name": {"en": "Gwadar Port", "ur": URDU[0], "zh": CHINESE[0]}, "props": {}},
                {"name": {"en": "Karachi"}, "geometry": {"coordinates": [67.0, 24.8]}},
            ],
        }
    ],
}
ARABIC_USED = set("".join([*URDU, "پرتیں"]).replace(" ", ""))
CJK_USED = set("".join([*CHINESE, "图层"]))
#: The document as the page carries it: JSON text, non-ASCII unescaped.
TEXT = json.dumps(DOCUMENT, ensure_ascii=False)


def faces(css: str) -> dict[str, tuple[TTFont, set[int]]]:
    """Each @font-face rule's family -> (its decoded font, the code points of its unicode-range)."""
    found = {}
    for rule in re.findall(r"@font-face\{[^}]*\}", css):
        family = re.search(r'font-family:"([^"]+)"', rule)[1]
        data = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\) format\(\"woff\"\)", rule)[1]
        assert "font-display:swap" in rule
        found[family] = (TTFont(io.BytesIO(base64.b64decode(data))), _ranges(rule))
    return found


def _ranges(rule: str) -> set[int]:
    codes: set[int] = set()
    for part in re.search(r"unicode-range:([^;}]+)", rule)[1].split(","):
        lo, _, hi = part.removeprefix("U+").partition("-")
        codes.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    return codes


def cmap(font: TTFont) -> set[str]:
    return {chr(c) for c in font.getBestCmap()}


def test_each_face_holds_exactly_the_characters_the_document_uses() -> None:
    found = faces(font_css(TEXT))
    assert list(found) == [EMBEDDED[ARABIC_FAMILY], EMBEDDED[CJK_FAMILY]]
    arabic, arabic_range = found[EMBEDDED[ARABIC_FAMILY]]
    cjk, cjk_range = found[EMBEDDED[CJK_FAMILY]]
    assert cmap(arabic) == ARABIC_USED  # no space, no Latin: those fall through
    assert cmap(cjk) == CJK_USED  # the full-width brackets too
    assert "北" not in cmap(cjk) and "ث" not in cmap(arabic)  # common, but not used here
    assert {chr(c) for c in arabic_range} == ARABIC_USED
    assert {chr(c) for c in cjk_range} == CJK_USED
    # a web font, not a copy of the file: no hinting, no vertical metrics, one small name table
    assert "prep" not in arabic and "fpgm" not in arabic and "fvar" not in arabic
    assert "vmtx" not in cjk and "VORG" not in cjk
    for font in (arabic, cjk):
        assert {n.nameID for n in font["name"].names} <= {0, 1, 2, 13, 14}
        assert font["name"].getDebugName(13)  # the OFL travels with every copy
    # Chinese needs no glyph beyond its characters (and .notdef): no Japanese, Korean or
    # traditional forms (locl), no vertical punctuation (vert)
    assert len(cjk.getGlyphOrder()) == len(CJK_USED) + 1


def test_urdu_keeps_its_joining_forms_and_shaping_features() -> None:
    arabic, _ = faces(font_css(TEXT))[EMBEDDED[ARABIC_FAMILY]]
    features = {r.FeatureTag for r in arabic["GSUB"].table.FeatureList.FeatureRecord}
    assert {"init", "medi", "fina", "rlig"} <= features
    marks = {r.FeatureTag for r in arabic["GPOS"].table.FeatureList.FeatureRecord}
    assert {"mark", "kern"} <= marks
    # initial, medial and final forms are reached only through GSUB, never through the cmap
    assert len(arabic.getGlyphOrder()) > 2 * len(ARABIC_USED)


def test_a_font_is_embedded_only_for_what_needs_it() -> None:
    english = {"strings": {"en": {"title": "Map"}}, "layers": [{"name": {"en": "Gwadar – Port ©"}}]}
    assert font_css(json.dumps(english, ensure_ascii=False)) == ""
    only_chinese = faces(font_css(json.dumps({"name": {"zh": "瓜达尔港"}}, ensure_ascii=False)))
    assert list(only_chinese) == [EMBEDDED[CJK_FAMILY]]
    # a character in the CJK range that the font does not have: no empty face is sent
    missing = "\U00031350"
    with TTFont(font_path(CJK_FAMILY), fontNumber=fonts._font_number(CJK_FAMILY), lazy=True) as full:
        assert ord(missing) not in full.getBestCmap()
    assert font_css(json.dumps({"name": {"zh": missing}}, ensure_ascii=False)) == ""


def test_the_sc_face_is_found_by_name_in_the_collection() -> None:
    with TTFont(font_path(CJK_FAMILY), fontNumber=fonts._font_number(CJK_FAMILY), lazy=True) as font:
        assert (font["name"].getDebugName(1), font["name"].getDebugName(2)) == (CJK_FAMILY, "Regular")
    assert fonts._font_number(ARABIC_FAMILY) == 0


def test_same_document_same_bytes_in_process_and_across_processes() -> None:
    first = font_css(TEXT)
    fonts._rule.cache_clear()  # really cut the fonts again
    assert font_css(TEXT) == first
    code = (
        "import hashlib, sys; from cpec_map.fonts import font_css; "
        "print(hashlib.sha256(font_css(sys.stdin.read()).encode()).hexdigest())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=TEXT, capture_output=True, text=True,
        cwd=ROOT, check=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": "7"},
    )
    assert done.stdout.strip() == hashlib.sha256(first.encode()).hexdigest()


# --- SVG figures --------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "family", "label", "script"), [
    ("ur", ARABIC_FAMILY, "گوادر بندرگاہ", ("ARABIC",)),
    ("zh", CJK_FAMILY, "瓜达尔港", ("CJK", "FULLWIDTH")),
])
def test_svg_carries_the_font_of_its_labels(sites_and_route, lang: str, family: str, label: str, script) -> None:
    svg = render_figures(sites_and_route, FigureOptions(lang=lang, dpi=72), ["svg"]).images["svg"]
    assert render_figures(sites_and_route, FigureOptions(lang=lang, dpi=72), ["svg"]).images["svg"] == svg
    root = ET.fromstring(svg)
    styles = "".join("".join(s.itertext()) for s in root.iter(f"{SVG}style"))
    found = faces(styles)
    assert list(found) == [EMBEDDED[family]]  # one face: the Latin font is not embedded
    font, _ = found[EMBEDDED[family]]
    texts = {t.text or "": t.get("style", "") for t in root.iter(f"{SVG}text")}
    assert label in texts
    drawn = {c for text in texts for c in text if unicodedata.name(c, "").startswith(script)}
    assert cmap(font) == drawn  # every character the figure draws in this font, nothing else
    assert "北" not in cmap(font)
    # the label names the embedded family first, the installed one after
    families = re.search(r"font-family: ([^;]+)", texts[label])[1]
    assert families.startswith(f"'{EMBEDDED[family]}', ") and f"'{family}'" in families


def test_english_svg_embeds_no_font(sites_and_route) -> None:
    svg = render_figures(sites_and_route, FigureOptions(lang="en", dpi=72), ["svg"]).images["svg"].decode()
    assert "@font-face" not in svg and "CPEC Noto" not in svg


# --- a real browser: the subset shapes Urdu as the full font does -------------------------


@pytest.mark.browser
def test_subset_shapes_urdu_like_the_full_font(browser) -> None:
    words = [*URDU, "پاکستان"]
    css = font_css(" ".join([*words, "\u200c".join("پاکستان")]))
    full = base64.b64encode(font_path(ARABIC_FAMILY).read_bytes()).decode("ascii")
    # the same unicode-range: spaces come from the fallback for both
    covered = re.search(r"unicode-range:[^;}]+", css)[0]
    css += f'\n@font-face{{font-family:"Full";src:url(data:font/ttf;base64,{full});{covered}}}'
    spans = "".join(
        f'<span dir="rtl" class="{cls}">{text}</span><br>'
        for text in [*words, "\u200c".join("پاکستان")]
        for cls in ("sub", "full")
    )
    page_html = (
        f"<!doctype html><meta charset=utf-8><style>{css}\n"
        '.sub{font:40px "CPEC Noto Sans Arabic",monospace}.full{font:40px "Full",monospace}'
        f"</style><body>{spans}</body>"
    )
    page = browser.new_page()
    try:
        page.set_content(page_html)
        page.evaluate("document.fonts.ready")
        statuses = page.evaluate("[...document.fonts].map(f => f.family + ' ' + f.status)")
        widths = page.evaluate("[...document.querySelectorAll('span')].map(s => s.getBoundingClientRect().width)")
    finally:
        page.close()
    assert statuses == ["CPEC Noto Sans Arabic loaded", "Full loaded"]
    pairs = list(zip(widths[::2], widths[1::2], strict=True))
    for word, (subset_width, full_width) in zip(words, pairs, strict=False):
        assert subset_width == pytest.approx(full_width, abs=0.5), word
    joined, apart = pairs[len(words) - 1][0], pairs[len(words)][0]
    assert abs(joined - apart) > 5  # joining forms really apply (ZWNJ keeps letters apart)
