"""Punctuation Word and LibreOffice must draw in the Chinese font.

—— … “ ” ‘ ’ · ※ belong to both scripts, so a reader guesses which font draws
them from the text around them: after "R1" LibreOffice takes the Latin font,
and "——" becomes two short, separated dashes. A run-level
`<w:rFonts w:hint="eastAsia"/>` alone does not change that in LibreOffice
(measured, 7.4), so in a Chinese document these characters go into runs of
their own whose every font slot names the run's East Asian font (what the
paragraph and character styles, or the document defaults, give it), with the
eastAsia hint for Word. The text itself is not changed.

An apostrophe between two Latin letters ("client’s") stays Latin.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AMBIGUOUS = "—…“”‘’·※"
_SPLIT = re.compile(f"([{AMBIGUOUS}]+)")
_APOSTROPHE = re.compile(r"(?<=[A-Za-z])[’'](?=[A-Za-z])")


class EastAsianFonts:
    """The East Asian font each paragraph/character style resolves to (basedOn followed), from styles.xml."""

    def __init__(self, styles: etree._Element | None) -> None:
        self.default = ""
        own: dict[str, str] = {}
        based: dict[str, str] = {}
        self.paragraph_default = ""
        if styles is None:
            self._fonts: dict[str, str] = {}
            return
        fonts = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
        if fonts is not None:
            self.default = fonts.get(f"{_W}eastAsia", "")
        for style in styles.iter(f"{_W}style"):
            style_id = style.get(f"{_W}styleId", "")
            fonts = style.find(f"{_W}rPr/{_W}rFonts")
            if fonts is not None and fonts.get(f"{_W}eastAsia"):
                own[style_id] = fonts.get(f"{_W}eastAsia")
            base = style.find(f"{_W}basedOn")
            if base is not None:
                based[style_id] = base.get(f"{_W}val", "")
            if style.get(f"{_W}default") in ("1", "true") and style.get(f"{_W}type") == "paragraph":
                self.paragraph_default = style_id
        self._fonts = {}
        for style_id in set(own) | set(based):
            seen, current = set(), style_id
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based.get(current, "")
            if current in own:
                self._fonts[style_id] = own[current]

    def style(self, style_id: str | None) -> str:
        return self._fonts.get(style_id or "", "")

    def of_run(self, run: etree._Element) -> str:
        rpr = run.find(f"{_W}rPr")
        if rpr is not None:
            fonts = rpr.find(f"{_W}rFonts")
            if fonts is not None and fonts.get(f"{_W}eastAsia"):
                return fonts.get(f"{_W}eastAsia")
            style = rpr.find(f"{_W}rStyle")
            if style is not None and self.style(style.get(f"{_W}val")):
                return self.style(style.get(f"{_W}val"))
        paragraph = next(run.iterancestors(f"{_W}p"), None)
        style = paragraph.find(f"{_W}pPr/{_W}pStyle") if paragraph is not None else None
        style_id = style.get(f"{_W}val") if style is not None else self.paragraph_default
        return self.style(style_id) or self.style(self.paragraph_default) or self.default


def east_asian_punctuation(root: etree._Element, fonts: EastAsianFonts) -> int:
    """Put the ambiguous punctuation of every run under `root` into East Asian runs; the number of runs split."""
    runs = {t.getparent() for t in root.iter(f"{_W}t") if t.text and _SPLIT.search(_APOSTROPHE.sub("", t.text))}
    split = 0
    for run in runs:
        if run.tag == f"{_W}r" and run.getparent() is not None:
            _split_run(run, fonts.of_run(run))
            split += 1
    return split


def _split_run(run: etree._Element, font: str) -> None:
    rpr = run.find(f"{_W}rPr")
    pieces: list[tuple[bool, list[etree._Element]]] = []  # (east Asian, contents) in order

    def add(east_asian: bool, element: etree._Element) -> None:
        if pieces and pieces[-1][0] == east_asian:
            pieces[-1][1].append(element)
        else:
            pieces.append((east_asian, [element]))

    for child in run:
        if child is rpr:
            continue
        if child.tag != f"{_W}t" or not child.text:
            add(False, child)
            continue
        text = child.text
        protected = _APOSTROPHE.sub("\0", text)  # a Latin apostrophe is not split off
        position = 0
        for segment in _SPLIT.split(protected):
            if not segment:
                continue
            original = text[position:position + len(segment)]
            position += len(segment)
            t = etree.Element(f"{_W}t")
            t.text = original
            t.set(_XML_SPACE, "preserve")
            add(bool(_SPLIT.fullmatch(segment)), t)
    if not any(east_asian for east_asian, _ in pieces):
        return
    parent, index = run.getparent(), run.getparent().index(run)
    tail = run.tail
    parent.remove(run)
    for offset, (east_asian, contents) in enumerate(pieces):
        new = etree.Element(run.tag, dict(run.attrib))
        props = copy.deepcopy(rpr) if rpr is not None else None
        if east_asian:
            props = props if props is not None else etree.Element(f"{_W}rPr")
            _east_asian_fonts(props, font)
        if props is not None:
            new.append(props)
        new.extend(contents)
        parent.insert(index + offset, new)
    if tail:
        parent[index + len(pieces) - 1].tail = tail


def _east_asian_fonts(rpr: etree._Element, font: str) -> None:
    fonts = rpr.find(f"{_W}rFonts")
    if fonts is None:
        fonts = etree.Element(f"{_W}rFonts")
        style = rpr.find(f"{_W}rStyle")
        rpr.insert(1 if style is not None and rpr.index(style) == 0 else 0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(f"{_W}{attr}", None)
    if font:
        for attr in ("ascii", "hAnsi", "eastAsia"):
            fonts.set(f"{_W}{attr}", font)
    fonts.set(f"{_W}hint", "eastAsia")
