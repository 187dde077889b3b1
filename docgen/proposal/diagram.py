"""总体架构图: a layered architecture diagram as PNG, drawn by Graphviz.

    architecture_png([("接入", ["SD-WAN 分支网关"]), ("存储", ["全闪存阵列", "分布式存储"]),
                      ("安全", ["下一代防火墙", "日志审计"])], sites=["总行数据中心", "同城灾备中心"], lang="zh")

The picture is one table, the classic layout of a Chinese 技术方案: the
client's sites on top, then one band per layer (接入, 网络, 计算, 存储, 灾备 …)
with its blocks side by side, and the cross-cutting layers (安全, 运维 —
Security, Operations) as columns down the right-hand side. Graphviz lays it
out as an HTML-like label; the font is Noto Sans CJK SC so Chinese renders.

Bounded, so any selection gives a readable page: at most MAX_LAYERS layers,
MAX_BLOCKS blocks per layer (the rest become "另 N 项" / "N more"),
MAX_SITES sites, labels cut at MAX_WIDTH (16 Chinese characters, 32 letters). The same input gives
the same DOT source and the same PNG.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import unicodedata
from html import escape
from pathlib import Path

from docgen.core.errors import ExternalToolError
from docgen.core.usercache import cache_dir, read_own, write_replacing
from docgen.core.text import clean_text

FONT = "Noto Sans CJK SC"
DPI = 150
MAX_LAYERS = 9
MAX_BLOCKS = 6
MAX_SITES = 6
MAX_WIDTH = 32  # of a label: 16 Chinese characters or 32 letters; longer ones are cut with "…"
_WRAP = 12  # a label wider than this (6 Chinese characters) takes two lines
# Layers drawn as columns on the right: they span every band.
CROSS_CUTTING = {"安全", "运维", "安全体系", "运维管理", "security", "operations", "management"}
_COLUMNS = math.lcm(*range(1, MAX_BLOCKS + 1))  # every band's blocks share the table's width evenly
_LAYER_FILL = "#1F4E79"
_BLOCK_FILL = "#DCE6F1"
_SITE_FILL = "#F2F2F2"
_SIDE_FILL = "#E2EFDA"
_WORDS = {"zh": {"sites": "站点", "more": "另 {n} 项"}, "en": {"sites": "Sites", "more": "{n} more"}}


def _width(text: str) -> int:
    """Display width: a Chinese character counts two, a Latin letter one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _label(text: str) -> str:
    """Cleaned, cut to MAX_WIDTH, escaped for an HTML-like label; a label wider than _WRAP takes two lines."""
    flat = " ".join(clean_text(text).split())
    if _width(flat) > MAX_WIDTH:
        while _width(flat) > MAX_WIDTH - 1:
            flat = flat[:-1]
        flat = flat.rstrip() + "…"
    if _width(flat) <= _WRAP:
        return escape(flat)
    # Break where the two lines are closest in width: at a space, or between two characters
    # of which one is Chinese (never inside a Latin word).
    cuts = [i for i in range(1, len(flat))
            if flat[i] == " " or flat[i - 1] == " "
            or _width(flat[i - 1]) == 2 or _width(flat[i]) == 2]
    if not cuts:
        return escape(flat)
    # Balanced lines, and rather before "(" or at a space than inside a phrase.
    bonus = {" ": 3, "(": 6, "（": 6}
    cut = min(cuts, key=lambda i: abs(_width(flat[:i]) - _width(flat[i:])) - bonus.get(flat[i], 0))
    return escape(flat[:cut].rstrip()) + "<BR/>" + escape(flat[cut:].lstrip())


def _bounded(blocks: list[str], limit: int, lang: str) -> list[str]:
    blocks = [b for b in (" ".join(clean_text(x).split()) for x in blocks) if b]
    if len(blocks) <= limit:
        return blocks
    return blocks[:limit - 1] + [_WORDS[lang]["more"].format(n=len(blocks) - limit + 1)]


def _cell(text: str, fill: str, *, span: int = 1, rowspan: int = 1, bold: bool = False, color: str = "black",
          height: int = 46) -> str:
    label = f"<B>{_label(text)}</B>" if bold else _label(text)
    return (f'<TD COLSPAN="{span}" ROWSPAN="{rowspan}" BGCOLOR="{fill}" HEIGHT="{height}" CELLPADDING="4">'
            f'<FONT COLOR="{color}">{label}</FONT></TD>')


def architecture_dot(layers: list[tuple[str, list[str]]], sites: list[str], lang: str = "zh") -> str:
    """The DOT source of the diagram (architecture_png renders it)."""
    lang = lang if lang in _WORDS else "zh"
    layers = [(" ".join(clean_text(name).split()), _bounded(list(blocks), MAX_BLOCKS, lang))
              for name, blocks in layers[:MAX_LAYERS]]
    layers = [(name, blocks) for name, blocks in layers if name and blocks]
    bands = [(name, blocks) for name, blocks in layers if name.casefold() not in CROSS_CUTTING]
    sides = [(name, blocks) for name, blocks in layers if name.casefold() in CROSS_CUTTING]
    sites = _bounded(list(sites), MAX_SITES, lang)
    rows = []
    if sites:
        rows.append([_cell(_WORDS[lang]["sites"], "#595959", bold=True, color="white")]
                    + [_cell(site, _SITE_FILL, span=_COLUMNS // len(sites)) for site in sites])
    for name, blocks in bands:
        rows.append([_cell(name, _LAYER_FILL, bold=True, color="white")]
                    + [_cell(block, _BLOCK_FILL, span=_COLUMNS // len(blocks)) for block in blocks])
    height = max(len(rows), 1)
    if not rows:  # only cross-cutting layers: they still need a row to stand in
        rows.append([])
    for name, blocks in sides:
        # A side column: its name on top, its blocks sharing the rest of the height.
        rows[0].append(_cell(name, _LAYER_FILL, bold=True, color="white"))
        column = "".join(f"<TR>{_cell(block, _SIDE_FILL, height=30)}</TR>" for block in blocks)
        inner = f'<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="0">{column}</TABLE>'
        if height > 1:
            rows[1].append(f'<TD ROWSPAN="{height - 1}" BGCOLOR="white">{inner}</TD>')
        else:
            rows[0].append(f'<TD BGCOLOR="white">{inner}</TD>')
    body = "".join(f"<TR>{''.join(cells)}</TR>" for cells in rows if cells)
    table = f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="4" COLOR="#7F7F7F">{body}</TABLE>'
    return (
        "digraph architecture {\n"
        f'  graph [dpi={DPI}, margin=0.1, bgcolor="white", fontname="{FONT}"];\n'
        f'  node [shape=plaintext, fontname="{FONT}", fontsize=12];\n'
        f"  architecture [label=<{table}>];\n"
        "}\n"
    )


_PNG_END = b"IEND\xaeB`\x82"


def architecture_png(layers: list[tuple[str, list[str]]], sites: list[str], lang: str = "zh") -> bytes:
    """The diagram as PNG bytes (needs Graphviz's `dot`: apt-get install graphviz).

    Kept in the user cache by its DOT source and the `dot` program's identity: the same client's
    diagram is drawn once, not on every build (Graphviz takes ~0.08 s to start and draw).
    """
    dot = architecture_dot(layers, sites, lang)
    program = shutil.which("dot")
    if program:
        st = Path(program).stat()
        key = hashlib.sha256(f"{program}\0{st.st_size}\0{st.st_mtime_ns}\0{dot}".encode()).hexdigest()
        cached_path = cache_dir() / "diagrams" / f"{key}.png"
        cached = read_own(cached_path)
        if cached and cached.startswith(b"\x89PNG\r\n\x1a\n") and cached.endswith(_PNG_END):  # whole
            return cached
    import graphviz

    try:
        png = graphviz.Source(dot).pipe(format="png", renderer="cairo", quiet=True)
    except graphviz.ExecutableNotFound:
        raise ExternalToolError("the architecture diagram needs Graphviz, but `dot` was not found on PATH; "
                                "install it (Debian/Ubuntu: apt-get install graphviz)") from None
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip()[:300]
        raise ExternalToolError(f"Graphviz could not draw the architecture diagram: {detail}") from None
    if program:
        try:
            write_replacing(cached_path, png)
        except OSError:
            pass  # a read-only home only costs time
    return png
