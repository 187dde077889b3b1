"""Base Word documents with the styles every docgen template relies on.

Template builders (docgen/<domain>/build_templates) start from new_document(): A4, real
Word styles (Heading 1-3, List Bullet/Number 1-3, Quote, Caption, Code Block,
Inline Code, Hyperlink, the bordered "Docgen Table"), East Asian fonts set in
w:eastAsia (python-docx only sets the Latin slots) and zh-CN as the East
Asian language (python-docx's default template says ja-JP, which makes
LibreOffice draw Chinese with Japanese glyph forms).
"""

from __future__ import annotations

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from docgen.core.config import Fonts, Settings

ACCENT = "1F4E79"  # headings and table header shading: a sober dark blue
HEADER_FILL = "DCE6F1"

_ALIGN = {
    None: None,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def new_document(lang: str = "zh", settings: Settings | None = None) -> docx.Document:
    """A blank A4 document carrying every style docgen inserts."""
    fonts = (settings or Settings()).fonts
    doc = docx.Document()
    _set_east_asian_language(doc)
    _set_update_fields_on_open(doc)
    _set_doc_defaults(doc, fonts, lang)
    _style_headings(doc, fonts, lang)
    _add_own_styles(doc, fonts)
    _clear_style_tabs(doc, ("Header", "Footer"))
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.4)
    section.left_margin = section.right_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)
    return doc


# --- document-wide settings -------------------------------------------------

def _clear_style_tabs(doc, names) -> None:
    # The default Header/Footer styles carry Letter-size tab stops (centre 4680,
    # right 9360 twips): a right-aligned header text would stop mid-page on A4.
    for name in names:
        ppr = doc.styles[name].element.pPr
        tabs = ppr.find(qn("w:tabs")) if ppr is not None else None
        if tabs is not None:
            ppr.remove(tabs)


def _set_east_asian_language(doc) -> None:
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_update_fields_on_open(doc) -> None:
    # TOC and page-count fields are stale in a generated file; Word refreshes
    # them on open when this is set (LibreOffice refreshes on PDF export).
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def set_run_fonts(rpr, east_asian: str | None = None, latin: str | None = None) -> None:
    """Set explicit fonts on an rPr element, dropping theme fonts that would win."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    if latin:
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), latin)
    if east_asian:
        fonts.set(qn("w:eastAsia"), east_asian)


def _set_doc_defaults(doc, fonts: Fonts, lang: str) -> None:
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_run_fonts(rpr, fonts.east_asian, fonts.latin)
    lang_el = rpr.find(qn("w:lang"))
    lang_el.set(qn("w:val"), "en-US")
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    _set_autospace(doc)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5 if lang == "zh" else 11)
    fmt = normal.paragraph_format
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.25
    # Chinese text: no widow-style gaps from hanging punctuation rules.
    ppr = normal.element.get_or_add_pPr()
    for tag in ("w:adjustRightInd", "w:snapToGrid"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "0")
        ppr.append(el)


def _set_autospace(doc) -> None:
    """Word's own space between Chinese and Latin letters or figures (autoSpaceDE/DN), never typed spaces."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        if ppr.find(qn(tag)) is None:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "1")
            ppr.insert(0, el)  # pPr is empty in python-docx's default template; DE before DN kept below
    de, dn = ppr.find(qn("w:autoSpaceDE")), ppr.find(qn("w:autoSpaceDN"))
    if ppr.index(dn) < ppr.index(de):
        ppr.remove(de)
        ppr.insert(ppr.index(dn), de)


def _style_headings(doc, fonts: Fonts, lang: str) -> None:
    sizes = {"Title": 24, "Subtitle": 14, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12}
    for name, size in sizes.items():
        style = doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        set_run_fonts(rpr, fonts.east_asian_heading, fonts.latin_heading)
        style.font.size = Pt(size)
        style.font.bold = name != "Subtitle"
        style.font.italic = False
        style.font.color.rgb = RGBColor.from_string(ACCENT)
        fmt = style.paragraph_format
        fmt.space_before = Pt(18 if name == "Heading 1" else 12)
        fmt.space_after = Pt(6)
        fmt.keep_with_next = True
    title = doc.styles["Title"].element.get_or_add_pPr()
    border = title.find(qn("w:pBdr"))
    if border is not None:  # the default template underlines Title with a blue rule
        title.remove(border)


def _add_own_styles(doc, fonts: Fonts) -> None:
    styles = doc.styles
    if "Code Block" not in [s.name for s in styles]:
        code = styles.add_style("Code Block", WD_STYLE_TYPE.PARAGRAPH)
        code.base_style = styles["Normal"]
        set_run_fonts(code.element.get_or_add_rPr(), fonts.east_asian, fonts.monospace)
        code.font.size = Pt(9)
        code.paragraph_format.line_spacing = 1.0
        code.paragraph_format.space_after = Pt(6)
        code.paragraph_format.left_indent = Cm(0.4)
        _shade_ppr(code.element.get_or_add_pPr(), "F2F2F2")
    if "Inline Code" not in [s.name for s in styles]:
        inline = styles.add_style("Inline Code", WD_STYLE_TYPE.CHARACTER)
        set_run_fonts(inline.element.get_or_add_rPr(), None, fonts.monospace)
        inline.font.size = Pt(9.5)
    if "Hyperlink" not in [s.name for s in styles]:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor.from_string("0563C1")
        link.font.underline = True
    for level in (1, 2, 3):
        name = f"toc {level}"
        if name not in [s.name for s in styles]:
            toc = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            toc.base_style = styles["Normal"]
            toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            toc.paragraph_format.space_after = Pt(2)
    styles["Quote"].font.color.rgb = RGBColor.from_string("404040")
    styles["Caption"].font.color.rgb = RGBColor.from_string("404040")
    _add_table_style(doc)


def _add_table_style(doc) -> None:
    """A bordered table style with a shaded, bold, repeated header row."""
    if "Docgen Table" in [s.name for s in doc.styles]:
        return
    style = doc.styles.add_style("Docgen Table", WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Normal Table"]
    el = style.element
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "40")
    spacing.set(qn("w:after"), "40")
    spacing.set(qn("w:line"), "260")
    spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)
    el.append(ppr)
    tblpr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "4")
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), "7F7F7F")
        borders.append(border)
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("left", "100"), ("right", "100")):
        mar = OxmlElement(f"w:{side}")
        mar.set(qn("w:w"), width)
        mar.set(qn("w:type"), "dxa")
        margins.append(mar)
    tblpr.append(margins)
    el.append(tblpr)
    header = OxmlElement("w:tblStylePr")
    header.set(qn("w:type"), "firstRow")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:b"))
    header.append(rpr)
    tcpr = OxmlElement("w:tcPr")
    _append_shading(tcpr, HEADER_FILL)
    header.append(tcpr)
    el.append(header)


# --- helpers for template builders -------------------------------------------

def _append_shading(parent, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    parent.append(shd)


def _shade_ppr(ppr, fill: str) -> None:
    _append_shading(ppr, fill)


def shade_cell(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    _append_shading(tcpr, fill)


def set_col_widths(table, widths_cm) -> None:
    """Fixed column widths that Word, WPS and LibreOffice all honour.

    LibreOffice reads the grid (table.columns[i].width), WPS the cell widths;
    set both and switch auto-fit off.
    """
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")
    total = OxmlElement("w:tblW")
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    total.set(qn("w:w"), str(int(sum(Cm(w) for w in widths_cm) / 635)))
    total.set(qn("w:type"), "dxa")
    tblpr.append(total)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def new_table(doc_or_cell, rows: int, cols: int, widths_cm, style: str = "Docgen Table"):
    table = doc_or_cell.add_table(rows=rows, cols=cols)
    table.style = style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_col_widths(table, widths_cm)
    return table


def set_cell_text(cell, text: str, *, bold: bool = False, align: str | None = None,
                  size: float | None = None, style: str | None = None):
    """Replace a cell's content with one paragraph of `text`; returns the paragraph."""
    paragraph = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    for run in list(paragraph.runs):
        run._element.getparent().remove(run._element)
    if style:
        paragraph.style = style
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if _ALIGN.get(align) is not None:
        paragraph.alignment = _ALIGN[align]
    return paragraph


def set_repeat_table_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def set_cant_split(row) -> None:
    """The row stays whole on one page (a split row leaves an empty stub under a repeated header)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.insert(0, OxmlElement("w:cantSplit"))


def set_row_height(row, height_cm: float, exact: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(Cm(height_cm) / 635)))
    height.set(qn("w:hRule"), "exact" if exact else "atLeast")
    trpr.append(height)


def keep_row_together(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def add_page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES, TOC …) that Word and LibreOffice update."""
    def fld_char(kind):
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            char.set(qn("w:dirty"), "true")
        run._r.append(char)

    fld_char("begin")
    instr_run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run._r.append(instr)
    fld_char("separate")
    paragraph.add_run(placeholder)
    fld_char("end")


def add_page_number_footer(section, lang: str, total: int | None = None) -> None:
    """Footer 第 X 页 共 N 页 / Page X of N, centred (N from NUMPAGES unless given)."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.text = ""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 " if lang == "zh" else "Page ")
    _add_field(paragraph, "PAGE")
    paragraph.add_run(" 页 共 " if lang == "zh" else " of ")
    if total is None:
        _add_field(paragraph, "NUMPAGES")
    else:
        paragraph.add_run(str(total))
    if lang == "zh":
        paragraph.add_run(" 页")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def add_header_text(section, left: str, right: str = ""):
    """A running header: `left` and `right` texts with a rule underneath; returns the two runs."""
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    _clear_runs(paragraph)  # `paragraph.text = ""` would leave an empty run where formatting gets lost
    left_run = paragraph.add_run(left)
    left_run.font.size = Pt(9)
    right_run = None
    if right:
        width = section.page_width - section.left_margin - section.right_margin
        paragraph.paragraph_format.tab_stops.add_tab_stop(width, alignment=2)  # right tab
        right_run = paragraph.add_run("\t" + right)
        right_run.font.size = Pt(9)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "7F7F7F")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)
    return left_run, right_run


def _clear_runs(paragraph) -> None:
    for child in list(paragraph._p):
        if child.tag != qn("w:pPr"):
            paragraph._p.remove(child)


def plain_first_page(section) -> None:
    """A cover: the section's first page gets its own, empty header and footer (titlePg)."""
    section.different_first_page_header_footer = True
    for part in (section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False


def add_toc(doc, lang: str, levels: str = "1-3") -> None:
    """A table of contents field; filled when Word opens the file or LibreOffice exports it."""
    doc.add_paragraph("目  录" if lang == "zh" else "Contents", style="TOC Heading")
    paragraph = doc.add_paragraph()
    _add_field(paragraph, f'TOC \\o "{levels}" \\h \\z \\u',
               "（打开文档时更新目录）" if lang == "zh" else "(the table of contents is updated when the document is opened)")


def _new_section(doc, orientation) -> object:
    from docx.enum.section import WD_SECTION

    previous = doc.sections[-1]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = previous.page_width, previous.page_height
    if (orientation == WD_ORIENT.LANDSCAPE) != (width > height):
        width, height = height, width
    section.orientation = orientation
    section.page_width, section.page_height = width, height
    return section


def new_landscape_section(doc):
    return _new_section(doc, WD_ORIENT.LANDSCAPE)


def new_portrait_section(doc):
    return _new_section(doc, WD_ORIENT.PORTRAIT)



LOGO_MARK = "docgen-logo"  # docPr description the renderer looks for to swap in the company logo


def add_logo(paragraph, height_cm: float = 1.6) -> None:
    """The bundled logo, tagged so a company's logo (docgen.toml) replaces it at render time."""
    from docgen.core.config import bundled_path

    run = paragraph.add_run()
    run.add_picture(str(bundled_path("templates") / "common" / "logo.png"), height=Cm(height_cm))
    doc_pr = run._r.xpath(".//wp:docPr")[0]
    doc_pr.set("descr", LOGO_MARK)
    doc_pr.set("name", LOGO_MARK)


def add_label_table(doc, labels, values, widths_cm):
    """A two-column table of bold, shaded labels and their values (covers, fact boxes)."""
    table = new_table(doc, len(values), 2, widths_cm)
    for row, label, value in zip(table.rows, labels, values):
        set_cell_text(row.cells[0], label, bold=True)
        shade_cell(row.cells[0], HEADER_FILL)
        set_cell_text(row.cells[1], value)
    return table
