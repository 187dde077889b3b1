"""Markdown → Word content for a docxtpl template (`{{p body }}`).

Two stages. `markdown_to_word` parses once (markdown-it-py tokens, see below)
into a small frozen block model; the WordprocessingML is built per document,
at render time, because style ids, numbering ids and hyperlink relationships
belong to the document being rendered (a Chinese Word template may call
"Heading 1" style id "1"; every numbered list needs its own w:numId so it
restarts at 1 — docxtpl #425).

Why markdown-it-py rather than Python-Markdown: it follows CommonMark, so the
Markdown people actually write works — a list right after a paragraph line
and lists nested by two spaces (Python-Markdown makes both one flat
paragraph) — and its tokens carry decoded text (entities, escapes, code),
whereas Python-Markdown's tree holds htmlStash placeholders and
HTML-escaped code that must be undone by hand.

User text is never markup: inline or block HTML comes out as the literal text
typed (`R&D <Ltd>` stays `R&D <Ltd>`), `{{ 7*7 }}` stays literal (the
fragment is produced by Jinja, never parsed by it), and every string is
XML-escaped by lxml when serialized.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from markdown_it import MarkdownIt

from docgen.core.errors import InputError
from docgen.core.markdown_xml import (
    DEFAULT_TABLE_WIDTH_CM,
    TWIPS_PER_CM,
    Block,
    Figure,
    Inline,
    Para,
    Table,
    fragment_xml,
)
from docgen.core.text import clean_text

MAX_HEADING = 3  # deeper Markdown headings become Heading 3
MAX_LIST_LEVEL = 3  # List Bullet 3 / List Number 3 are the deepest styles we have
# Block nesting markdown-it allows: a quote is one level, a list two (list and
# item). Deeper content would be dropped silently, so it is refused instead.
MAX_NESTING = 20


class FragmentParts(Protocol):
    """What a fragment needs from the document being rendered (docgen.core.render)."""

    def style_id(self, style_name: str) -> str: ...

    def restart_numbering(self, style_name: str = "List Number") -> int: ...

    def hyperlink(self, url: str) -> str: ...


@dataclass(frozen=True)
class WordFragment:
    """Markdown converted for Word; insert with `{{p var }}` in a template.

    Under autoescape Jinja calls `__html__()`, which builds the XML for the
    document being rendered — only right where `{{p var }}` stands (a plain
    `{{ var }}` inside a line would put paragraphs inside a run: use
    `{{ var|string }}` there). `str()` is the plain text, for checks, search
    and `|string`, so the fragment never leaks raw XML as text.
    """

    blocks: tuple[Block, ...]
    plain_text: str

    def to_xml(self, parts: FragmentParts) -> str:
        """WordprocessingML body elements (w:p / w:tbl) for one document."""
        return fragment_xml(self.blocks, parts)

    def __html__(self) -> str:
        from docgen.core.render import current_parts  # render imports us for templates

        return self.to_xml(current_parts())

    def __str__(self) -> str:
        return self.plain_text


# --- parsing ---------------------------------------------------------------------

def _refuse_deep_nesting(state, start_line: int, end_line: int, silent: bool) -> bool:
    """A block rule tried first on every block: refuses one nested MAX_NESTING levels deep."""
    if state.level >= MAX_NESTING:
        raise InputError(f"Markdown nested too deeply at line {start_line + 1} of the text: quotes (>) may "
                         f"nest {MAX_NESTING - 1} levels, lists {MAX_NESTING // 2 - 1}; flatten it")
    return False


# maxNesting one above ours, so markdown-it reaches the guard instead of dropping the rest.
_PARSER = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING + 1}).enable(["table", "strikethrough"])
_PARSER.block.ruler.before("table", "refuse_deep_nesting", _refuse_deep_nesting)
_LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://")
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
# CJK characters: a soft line break between two of them is no space.
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")


def markdown_to_word(text: str, *, heading_offset: int = 0,
                     table_width_cm: float = DEFAULT_TABLE_WIDTH_CM, images_from: Path | None = None) -> WordFragment:
    """Convert Markdown to a WordFragment.

    `heading_offset=1` turns `#` into Heading 2 (a body under a Heading 1
    that carries its title); headings deeper than 3 become Heading 3.
    `table_width_cm` is the fixed width of tables: the page's text width by
    default; pass the cell's width when the fragment goes into a table cell.
    Quotes and lists nested deeper than MAX_NESTING raise InputError with the
    line of `text` (the caller knows the file).

    `images_from` is the folder of the Markdown file: a paragraph that is only
    `![caption](images/x.png)` becomes that picture, read from inside this folder
    (never a URL, an absolute path or a path leaving it). Without it, an
    image's alt text stands in for the picture.
    """
    if not isinstance(heading_offset, int) or not 0 <= heading_offset < MAX_HEADING:
        raise ValueError(f"heading_offset must be 0, 1 or 2, not {heading_offset!r}")
    if not table_width_cm > 0:
        raise ValueError(f"table_width_cm must be positive, not {table_width_cm!r}")
    tokens = _PARSER.parse(clean_text(text))
    builder = _BlockBuilder(heading_offset, round(table_width_cm * TWIPS_PER_CM), images_from)
    blocks = tuple(builder.run(tokens))
    return WordFragment(blocks, _plain_text(blocks))


@dataclass
class _ListState:
    ordered: bool
    key: int | None
    item_para: int | None = None  # index in blocks of the current item's paragraph


class _BlockBuilder:
    """Walks the flat token stream with a stack of open lists and quotes."""

    def __init__(self, heading_offset: int, table_width: int, images_from: Path | None = None):
        self.images_from = images_from
        self.heading_offset = heading_offset
        self.table_width = table_width
        self.lists: list[_ListState] = []
        self.quote_depth = 0
        self.next_list_key = 0
        self.blocks: list[Block] = []

    def run(self, tokens) -> list[Block]:
        i = 0
        while i < len(tokens):
            i = self._token(tokens, i)
        return self.blocks

    def _token(self, tokens, i: int) -> int:
        token = tokens[i]
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            self.lists.append(_ListState(ordered, self._new_list_key() if ordered else None))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self.lists[-1].item_para = None
        elif kind == "blockquote_open":
            self.quote_depth += 1
        elif kind == "blockquote_close":
            self.quote_depth -= 1
        elif kind == "heading_open":
            level = min(int(token.tag[1:]) + self.heading_offset, MAX_HEADING)
            self.blocks.append(Para(f"Heading {level}", _inlines(tokens[i + 1].children)))
            return i + 3
        elif kind == "paragraph_open":
            children = [c for c in tokens[i + 1].children or [] if not (c.type == "text" and not c.content.strip())]
            if self.images_from is not None and len(children) == 1 and children[0].type == "image":
                self.blocks.append(_figure(children[0], self.images_from))
            else:
                self._paragraph(_inlines(tokens[i + 1].children))
            return i + 3
        elif kind in ("fence", "code_block"):
            code = token.content[:-1] if token.content.endswith("\n") else token.content
            self.blocks.append(Para("Code Block", (Inline(code),)))
        elif kind == "html_block":  # shown as typed, never interpreted
            self._paragraph((Inline(token.content.rstrip("\n")),))
        elif kind == "hr":
            self.blocks.append(Para("Normal", (), rule=True))
        elif kind == "table_open":
            end = _closing(tokens, i)
            self.blocks.append(_table(tokens[i:end + 1], self.table_width))
            return end + 1
        return i + 1

    def _new_list_key(self) -> int:
        self.next_list_key += 1
        return self.next_list_key

    def _paragraph(self, inlines: tuple[Inline, ...]) -> None:
        if not self.lists:
            self.blocks.append(Para("Quote" if self.quote_depth else "Normal", inlines))
            return
        state = self.lists[-1]
        if state.item_para is not None:
            # A further paragraph of one list item: right after the item's own
            # text it continues it on a new line; after nested content (a
            # sub-list, code) it can only follow as a plain paragraph.
            if state.item_para == len(self.blocks) - 1:
                last = self.blocks[-1]
                self.blocks[-1] = Para(last.style, last.inlines + (Inline("\n"),) + inlines,
                                       last.list_key)
            else:
                self.blocks.append(Para("Normal", inlines))
            return
        state.item_para = len(self.blocks)
        level = min(len(self.lists), MAX_LIST_LEVEL)
        base = "List Number" if state.ordered else "List Bullet"
        style = base if level == 1 else f"{base} {level}"
        self.blocks.append(Para(style, inlines, state.key))


MAX_PICTURE_BYTES = 5 << 20


def _figure(token, folder: Path) -> Figure:
    """The PNG a section names, from inside its own folder only; anything else is an error naming it."""
    src = token.attrs.get("src", "")
    caption = token.content
    where = f"picture {src!r}"
    if "://" in src or src.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", src):
        raise InputError(f"{where}: only a picture file beside the section can be used (images/x.png), "
                         "never a URL or an absolute path")
    root = Path(folder).resolve()
    path = (root / src).resolve()
    if root not in path.parents:
        raise InputError(f"{where}: the path leaves the section's folder")
    if not path.is_file():
        raise InputError(f"{where}: no such file in {root}")
    data = path.read_bytes() if path.stat().st_size <= MAX_PICTURE_BYTES else b""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise InputError(f"{where}: expected a PNG file of at most {MAX_PICTURE_BYTES >> 20} MB")
    return Figure(data, caption, 14.0)


def _closing(tokens, i: int) -> int:
    """Index of the token closing the one opened at i."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _table(tokens, width: int) -> Table:
    rows: list[tuple[tuple[Inline, ...], ...]] = []
    aligns: list[str | None] = []
    cells: list[tuple[Inline, ...]] = []
    header_rows = 0
    for token in tokens:
        if token.type == "tr_open":
            cells = []
        elif token.type == "th_open":
            match = _ALIGN.search(str(token.attrs.get("style", "")))
            aligns.append(match.group(1) if match else None)
        elif token.type == "inline":
            cells.append(_inlines(token.children))
        elif token.type == "tr_close":
            rows.append(tuple(cells))
        elif token.type == "thead_close":
            header_rows = len(rows)
    return Table(tuple(rows[:header_rows]), tuple(rows[header_rows:]), tuple(aligns), width)


def _inlines(children) -> tuple[Inline, ...]:
    out: list[Inline] = []
    bold = italic = strike = 0
    links: list[str | None] = []
    children = children or []
    for j, child in enumerate(children):
        kind = child.type
        href = links[-1] if links else None
        fmt = dict(bold=bold > 0, italic=italic > 0, strike=strike > 0, href=href)
        if kind == "text" or kind == "html_inline":
            out.append(Inline(child.content, **fmt))
        elif kind == "code_inline":
            out.append(Inline(child.content, code=True, **fmt))
        elif kind == "image":  # alt text stands in for the picture
            out.append(Inline(child.content, **fmt))
        elif kind == "softbreak":
            out.append(Inline(_soft_break(children, j), **fmt))
        elif kind == "hardbreak":
            out.append(Inline("\n", **fmt))
        elif kind in ("strong_open", "strong_close"):
            bold += child.nesting
        elif kind in ("em_open", "em_close"):
            italic += child.nesting
        elif kind in ("s_open", "s_close"):
            strike += child.nesting
        elif kind == "link_open":
            # Only web and mail targets become hyperlinks; a relative path or a
            # share (\\server\x) would be a dead link in the client's copy and
            # would show an internal path, so the link text stays, as plain text.
            url = str(child.attrs.get("href", ""))
            links.append(url if url.lower().startswith(_LINK_SCHEMES) else None)
        elif kind == "link_close":
            links.pop()
    return tuple(inline for inline in out if inline.text)


def _soft_break(children, j: int) -> str:
    """A source line break inside a paragraph: a space, except between CJK text."""
    before = children[j - 1].content[-1:] if j > 0 else ""
    after = children[j + 1].content[:1] if j + 1 < len(children) else ""
    return "" if _CJK.match(before) and _CJK.match(after) else " "


def _plain_text(blocks: tuple[Block, ...]) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            if not block.rule:
                lines.append("".join(inline.text for inline in block.inlines))
        elif isinstance(block, Figure):
            lines.append(block.caption)
        else:
            for row in block.header + block.rows:
                lines.append("\t".join("".join(i.text for i in cell) for cell in row))
    return "\n".join(lines)
