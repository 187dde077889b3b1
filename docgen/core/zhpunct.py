"""Half-width punctuation in Chinese prose: find it, and fix it in bundled content.

Chinese text takes full-width ，：；（）？！ and “ ” ‘ ’ quotes; a `,` or `"`
typed between Chinese characters prints as a cramped Latin mark. The checker
finds, in Chinese text only:
- `, : ; ( ) ? !` whose nearest neighbour (spaces and Markdown `*` skipped)
  is a Chinese character or full-width mark, `, : ; ? !` and `)` ending
  the line, and both parentheses of a pair when either one is, or when the
  pair holds Chinese;
- straight quotes "…" (and '…') around Chinese text or touching it.

It leaves alone what is not prose: Markdown code, link targets and HTML, URLs,
Jinja tags `{{ }}` `{% %}`, Python `{}` fields, YAML keys and syntax, numbers
such as `3:1`, `10:30` or `1,000`, and English text (a line or value with
no more Chinese characters than English words; `*_en` YAML keys; files whose
front matter says `language: en`).

Everything here is pure: text in, findings out (`fix` applies them).
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from docgen.core.errors import Location, Problem
from docgen.core.frontmatter import split_front_matter
from docgen.core.yamlload import BoundedLoader

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Context that makes a neighbouring mark Chinese: ideographs, CJK and full-width punctuation, curly quotes.
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_SKIP = " \t*"  # spaces and Markdown emphasis between a mark and its neighbour
_OPAQUE = "\0"  # masked characters: neither Chinese nor punctuation

_MARKDOWN_MASKS = re.compile(
    r"`[^`]*`"  # inline code
    r"|(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # link target after [text]
    r"|!(?=\[)"  # image marker
    r"|<!--.*?-->|</?[A-Za-z][^>]*>"  # HTML comments and tags
    r"|<https?://[^>]*>|https?://[^\s)）]+"  # URLs
    r"|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"  # Jinja
    r"|&#?\w+;"  # HTML entities
)
_CODE_MASKS = re.compile(r"\{[^{}]*\}|https?://\S+|%\([A-Za-z_]+\)[sd]")  # format fields, URLs


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based, in the file
    column: int  # 1-based
    char: str
    suggestion: str
    offset: int  # index in the text, for `fix`

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.char!r} in Chinese text, use {self.suggestion!r}"


# --- one piece of prose ---------------------------------------------------------------

def is_chinese(text: str) -> bool:
    """Chinese prose: more Chinese characters than English words ("合计 total (list)" is a bilingual label)."""
    return len(_HAN.findall(text)) > len(_LATIN_WORD.findall(text))


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] in _SKIP:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _near_cjk(text: str, index: int) -> bool:
    return any(_CJK.match(ch) for ch in (_neighbour(text, index, -1), _neighbour(text, index, 1)) if ch)


def _is_number_mark(text: str, index: int) -> bool:
    """`3:1`, `10:30`, `1,000`, `http://`: not prose punctuation."""
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if text[index] in ",:" and before.isdigit() and after.isdigit():
        return True
    return text[index] == ":" and text.startswith("//", index + 1)


def scan(text: str) -> list[tuple[int, str, str]]:
    """(index, char, suggestion) for every half-width mark in Chinese `text` (one line or value, masked)."""
    found: dict[int, tuple[str, str]] = {}
    stack: list[int] = []
    for index, ch in enumerate(text):
        if ch in ",:;?!" and (_near_cjk(text, index) or not _neighbour(text, index, 1)) \
                and not _is_number_mark(text, index):  # a mark ending a Chinese line is Chinese too
            found[index] = (ch, FULL_WIDTH[ch])
        elif ch == "(":
            stack.append(index)
        elif ch == ")":
            opening = stack.pop() if stack else None
            inside = text[opening + 1:index] if opening is not None else ""
            if _near_cjk(text, index) or not _neighbour(text, index, 1) or _HAN.search(inside) or (
                    opening is not None and _near_cjk(text, opening)):
                found[index] = (")", "）")
                if opening is not None:
                    found[opening] = ("(", "（")
    for opening in stack:  # unmatched "(": its neighbours decide
        if _near_cjk(text, opening):
            found[opening] = ("(", "（")
    for quote, (left, right) in (('"', "“”"), ("'", "‘’")):
        for match in _quoted(quote).finditer(text):
            start, end = match.start(), match.end() - 1
            if _HAN.search(match.group(1)) or (quote == '"' and (_near_cjk(text, start) or _near_cjk(text, end))):
                found[start], found[end] = (quote, left), (quote, right)
    return [(index, ch, suggestion) for index, (ch, suggestion) in sorted(found.items())]


def _quoted(quote: str) -> re.Pattern[str]:
    if quote == '"':
        return re.compile(r'"([^"\n]*)"')
    return re.compile(r"(?<![A-Za-z0-9])'([^'\n]*)'(?![A-Za-z0-9])")  # not an apostrophe (client's)


def _mask(text: str, masks: re.Pattern[str]) -> str:
    return masks.sub(lambda m: _OPAQUE * len(m.group()), text)


# --- files ----------------------------------------------------------------------------

class _Lines:
    """Offsets → (line, column) in one text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:  # the last line start at or before offset
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if self.starts[mid] <= offset else (lo, mid - 1)
        return lo + 1, offset - self.starts[lo] + 1


def _findings(text: str, pieces: Iterator[tuple[int, str]]) -> list[Finding]:
    """Scan each (offset, masked piece) that reads as Chinese; positions in `text`."""
    lines = _Lines(text)
    out = []
    for start, piece in pieces:
        for line_piece_start, line_piece in _split_lines(piece):
            if not is_chinese(line_piece.replace(_OPAQUE, "")):
                continue
            for index, ch, suggestion in scan(line_piece):
                offset = start + line_piece_start + index
                out.append(Finding(*lines.position(offset), ch, suggestion, offset))
    return sorted(out, key=lambda f: f.offset)


def _split_lines(piece: str) -> Iterator[tuple[int, str]]:
    start = 0
    for line in piece.split("\n"):
        yield start, line
        start += len(line) + 1


def check_markdown(text: str, language: str | None = None) -> list[Finding]:
    """A Markdown file, with or without YAML front matter (`language: en` there skips the file)."""
    body_start = 0
    parts = split_front_matter(text)
    front_found: list[Finding] = []
    if parts is not None:
        front, body, _ = parts
        front_start = text.index("\n") + 1
        body_start = len(text) - len(body)
        language = language or _front_language(front)
        if language == "en":
            return []
        front_found = check_yaml(text[:body_start], language, start=front_start, end=front_start + len(front))
    if language == "en":
        return []
    return front_found + _findings(text, _markdown_pieces(text, body_start))


def _front_language(front: str) -> str | None:
    match = re.search(r"^language:\s*['\"]?(zh|en)\b", front, re.MULTILINE)
    return match.group(1) if match else None


def _markdown_pieces(text: str, start: int) -> Iterator[tuple[int, str]]:
    fence = None
    offset = start
    for line in text[start:].split("\n"):
        stripped = line.lstrip()
        marker = stripped[:3]
        if fence is None and marker in ("```", "~~~"):
            fence = marker
        elif fence is not None:
            if stripped.startswith(fence):
                fence = None
        else:
            yield offset, _mask(line, _MARKDOWN_MASKS)
        offset += len(line) + 1


def check_yaml(text: str, language: str | None = None, *, start: int = 0, end: int | None = None) -> list[Finding]:
    """String values of a YAML document (text[start:end]); keys and syntax are left alone.

    A value under a key ending in `_en` is English and `_zh` Chinese; others are judged by their text.
    """
    source = text[start:end]
    try:
        root = yaml.compose(source, Loader=BoundedLoader)
    except yaml.YAMLError:
        return []  # the loaders report broken YAML
    pieces = [(start + a, _mask(source[a:b], _MARKDOWN_MASKS)) for a, b in _yaml_values(root, source, language)]
    return _findings(text, iter(pieces))


def _yaml_values(node, source: str, language: str | None) -> Iterator[tuple[int, int]]:
    if node is None or language == "en":
        return
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else ""
            own = "en" if name.endswith("_en") else "zh" if name.endswith("_zh") else language
            yield from _yaml_values(value, source, own)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _yaml_values(item, source, language)
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        a, b = node.start_mark.index, node.end_mark.index
        if node.style in ('"', "'"):
            a, b = a + 1, b - 1  # the quotes are YAML's
        elif node.style in ("|", ">"):
            a = source.index("\n", a) + 1  # after the block header
        yield a, b


def check_python(source: str) -> list[Finding]:
    """The string literals of Python source (docstrings, comments and r"…" patterns are not checked)."""
    lines = _Lines(source)
    pieces = []
    previous = tokenize.NEWLINE
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.STRING:
            following = tokens[i + 1].type if i + 1 < len(tokens) else tokenize.ENDMARKER
            docstring = previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL) and \
                following in (tokenize.NEWLINE, tokenize.ENDMARKER)
            prefix = len(tok.string) - len(tok.string.lstrip("rRbBuUfF"))
            raw = "r" in tok.string[:prefix].lower()  # regular expressions: r"(?:…)" is syntax, not prose
            if not docstring and not raw:
                start = lines.starts[tok.start[0] - 1] + tok.start[1]
                quote = 3 if tok.string[prefix:prefix + 3] in ('"""', "'''") else 1
                inner = tok.string[prefix + quote:len(tok.string) - quote]
                pieces.append((start + prefix + quote, _mask(inner, _CODE_MASKS)))
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            previous = tok.type
    return _findings(source, iter(pieces))


def check_file(path: str | Path, text: str | None = None) -> list[Finding]:
    """Findings in one file by its kind: .md, .yaml/.yml or .py (other kinds: none)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if text is None else text
    suffix = path.suffix.lower()
    if suffix == ".md":
        return check_markdown(text)
    if suffix in (".yaml", ".yml"):
        return check_yaml(text)
    if suffix == ".py":
        return check_python(text)
    return []


def fix(text: str, findings: list[Finding]) -> str:
    """`text` with each finding's suggestion, and the spaces a full-width mark makes redundant removed."""
    chars = list(text)
    for finding in findings:
        chars[finding.offset] = finding.suggestion
    for finding in findings:  # spaces between a full-width mark and a letter or Chinese character go
        for step in (-1, 1):
            index = finding.offset + step
            while 0 <= index < len(chars) and chars[index] == " ":
                index += step
            # not the space after a list marker, a table bar or a heading mark
            if 0 <= index < len(chars) and index != finding.offset + step and chars[index] not in "-*+|#>\n":
                for blank in range(min(index, finding.offset) + 1, max(index, finding.offset)):
                    chars[blank] = ""
    return "".join(chars)


def warnings(path: str | Path, name: str = "") -> list[Problem]:
    """Lint warnings for one of a company's own files: one per line with half-width marks in Chinese text.

    `name` (a case or answer id) starts each message. An unreadable file gives none: its loader reports it.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    by_line: dict[int, list[Finding]] = {}
    for finding in check_file(path, text):
        by_line.setdefault(finding.line, []).append(finding)
    lead = f"{name}: " if name else ""
    return [
        Problem(Location(file=str(path), line=line),
                f"{lead}half-width {' '.join(f.char for f in found)} in Chinese text "
                f"(column {found[0].column}); use {' '.join(f.suggestion for f in found)}", True)
        for line, found in by_line.items()
    ]
