"""A table of contents that is there when the document opens.

python-docx cannot lay out pages, so a generated TOC field holds a placeholder
until Word updates fields. list_headings() writes the field's result
as Word would: one entry per heading of the levels the field asks for (\\o
"1-2"), each a link to a bookmark on its heading with a PAGEREF field for the
page. The page numbers are left empty until fill_page_numbers() is given the
pages LibreOffice laid out (docgen.core.pdf, when a PDF is made or the TOC is
refreshed); then the field is no longer marked dirty and Word and WPS show
the TOC as it is, without asking to update. Without page numbers, the file
keeps `updateFields` (docstyles) so Word fills them on open.
"""

from __future__ import annotations

import re

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')
_HEADING = re.compile(r"Heading(\d)")
_TWIPS_CM = 567


def _el(tag: str, parent=None, **attrs) -> etree._Element:
    el = etree.Element(f"{_W}{tag}") if parent is None else etree.SubElement(parent, f"{_W}{tag}")
    for key, value in attrs.items():
        el.set(f"{_W}{key}", value)
    return el


def _toc_paragraph(body: etree._Element) -> tuple[etree._Element, str] | None:
    for instr in body.iter(f"{_W}instrText"):
        if (instr.text or "").strip().startswith("TOC "):
            paragraph = next(instr.iterancestors(f"{_W}p"), None)
            if paragraph is not None and paragraph.getparent() is body:
                return paragraph, instr.text
    return None


def _text_width(body: etree._Element) -> int:
    """Twips between the margins of the first section (A4 portrait 2.2 cm margins if unreadable)."""
    section = next(body.iter(f"{_W}sectPr"), None)
    try:
        width = int(section.find(f"{_W}pgSz").get(f"{_W}w"))
        margins = section.find(f"{_W}pgMar")
        return width - int(margins.get(f"{_W}left")) - int(margins.get(f"{_W}right"))
    except (AttributeError, TypeError, ValueError):
        return int((21.0 - 4.4) * _TWIPS_CM)


def list_headings(body: etree._Element) -> int:
    """Fill the body's TOC field with its headings; the number of entries (0: no TOC or no heading)."""
    found = _toc_paragraph(body)
    if found is None or toc_entries(body):  # no TOC, or listed already (a draft finished again at release)
        return 0
    field, instruction = found
    levels = _LEVELS.search(instruction)
    low, high = (int(levels.group(1)), int(levels.group(2))) if levels else (1, 3)
    entries = []
    next_id = 1 + max((int(b.get(f"{_W}id")) for b in body.iter(f"{_W}bookmarkStart")
                       if (b.get(f"{_W}id") or "").isdigit()), default=0)
    for paragraph in body.iterchildren(f"{_W}p"):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        match = _HEADING.fullmatch(style.get(f"{_W}val", "")) if style is not None else None
        text = "".join(t.text or "" for t in paragraph.iter(f"{_W}t")).strip()
        if match is None or not text or not low <= int(match.group(1)) <= high:
            continue
        name = f"_Toc{next_id:08d}"
        start = _el("bookmarkStart", id=str(next_id), name=name)
        ppr = paragraph.find(f"{_W}pPr")
        paragraph.insert(paragraph.index(ppr) + 1 if ppr is not None else 0, start)
        _el("bookmarkEnd", paragraph, id=str(next_id))
        entries.append((int(match.group(1)), text, name))
        next_id += 1
    if not entries:
        return 0
    width = _text_width(body)
    begin = [run for run in field.findall(f"{_W}r")]
    separate = next(i for i, run in enumerate(begin) if run.find(f"{_W}fldChar[@{_W}fldCharType='separate']")
                    is not None)
    opening = begin[: separate + 1]
    for run in opening:
        char = run.find(f"{_W}fldChar")
        if char is not None:
            char.attrib.pop(f"{_W}dirty", None)
    parent, index = body, body.index(field)
    body.remove(field)
    for number, (level, text, name) in enumerate(entries):
        paragraph = _el("p")
        ppr = _el("pPr", paragraph)
        _el("pStyle", ppr, val=f"toc{level}")
        tabs = _el("tabs", ppr)
        _el("tab", tabs, val="right", leader="dot", pos=str(width))
        if number == 0:
            paragraph.extend(opening)
        link = _el("hyperlink", paragraph, anchor=name, history="1")
        _run(link, text)
        _el("tab", _el("r", link))
        _field(link, f" PAGEREF {name} \\h ", "")
        if number == len(entries) - 1:
            _el("fldChar", _el("r", paragraph), fldCharType="end")
        parent.insert(index + number, paragraph)
    return len(entries)


def _run(parent: etree._Element, text: str) -> etree._Element:
    run = _el("r", parent)
    t = _el("t", run)
    t.text = text
    t.set(_XML_SPACE, "preserve")
    return run


def _field(parent: etree._Element, instruction: str, result: str) -> None:
    _el("fldChar", _el("r", parent), fldCharType="begin")
    instr = _el("instrText", _el("r", parent))
    instr.text = instruction
    instr.set(_XML_SPACE, "preserve")
    _el("fldChar", _el("r", parent), fldCharType="separate")
    _run(parent, result)
    _el("fldChar", _el("r", parent), fldCharType="end")


def toc_entries(body: etree._Element) -> list[tuple[str, etree._Element]]:
    """(heading text, the w:t holding its page number) for each entry list_headings() wrote."""
    found = []
    for link in body.iter(f"{_W}hyperlink"):
        if not (link.get(f"{_W}anchor") or "").startswith("_Toc"):
            continue
        texts = list(link.iter(f"{_W}t"))
        if len(texts) >= 2:
            found.append((texts[0].text or "", texts[-1]))
    return found


def fill_page_numbers(body: etree._Element, pages: list[tuple[str, str]]) -> int:
    """Write the page numbers LibreOffice found ((heading, page) in TOC order) into the entries; how many."""
    entries = toc_entries(body)
    filled = 0
    remaining = list(pages)
    for text, number in entries:
        for i, (heading, page) in enumerate(remaining):
            if _same(heading, text):
                number.text = page
                del remaining[: i + 1]
                filled += 1
                break
    return filled


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def laid_out_entries(text: str) -> list[tuple[str, str]]:
    """(heading, page) from LibreOffice's TOC text: one "heading <tab> page" line per entry."""
    found = []
    for line in text.replace("\r", "\n").split("\n"):
        heading, tab, page = line.rpartition("\t")
        if tab and page.strip().isdigit() and heading.strip():
            found.append((heading.strip(), page.strip()))
    return found


def refresh_toc_pages(data: bytes, laid_out: str) -> bytes | None:
    """The .docx with its TOC's page numbers from `laid_out` (LibreOffice's TOC text) and Word no longer
    asked to update fields on open; None when the document has no TOC docgen listed."""
    from docgen.core.docx_zip import make_entry, write_zip
    from docgen.core.hygiene import parse_xml, read_package

    pages = laid_out_entries(laid_out)
    names, blobs = read_package(data)
    main = "word/document.xml"
    if not pages or main not in blobs:
        return None
    root = parse_xml(blobs[main], main)
    body = root.find(f"{_W}body")
    if body is None or not toc_entries(body) or fill_page_numbers(body, pages) < len(toc_entries(body)):
        return None  # the layout does not match the headings (the file changed): leave it to Word
    changed = {main: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)}
    if "word/settings.xml" in blobs:
        settings = parse_xml(blobs["word/settings.xml"], "word/settings.xml")
        for update in settings.findall(f"{_W}updateFields"):
            settings.remove(update)
        changed["word/settings.xml"] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8",
                                                      standalone=True)
    return write_zip([make_entry(name, changed.get(name, blobs[name])) for name in names])
