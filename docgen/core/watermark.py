"""A diagonal, light-grey text watermark, as Word's Design › Watermark makes it.

Word puts the watermark in the page header as a VML WordArt shape
(`v:shape` of type 136, "PowerPlusWaterMarkObject…", with a `v:textpath`),
positioned at the centre of the margins behind the text; LibreOffice imports
it as a Fontwork shape and prints it in the PDF, on every page whose header
holds it. add_watermark() writes one into a header (template builders call it
for the default and the first-page header); remove_watermarks() takes every
such shape out of a header part (`proposal release`).
"""

from __future__ import annotations

from docx.oxml import parse_xml
from lxml import etree

from docgen.core.text import xml_attribute

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
W10_NS = "urn:schemas-microsoft-com:office:word"
SHAPE_PREFIX = "PowerPlusWaterMarkObject"
_FORMULAS = ("sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3", "if @0 @3 0",
             "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
             "sum @6 0 @5")


def watermark_run_xml(text: str, font: str, *, width_pt: float, height_pt: float, number: int) -> str:
    """The w:r holding the shape (the shapetype is declared inside it, as Word does)."""
    formulas = "".join(f'<v:f eqn="{eqn}"/>' for eqn in _FORMULAS)
    style = (f"position:absolute;margin-left:0;margin-top:0;width:{width_pt}pt;height:{height_pt}pt;"
             "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
             "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
             "mso-position-vertical-relative:margin")
    return (
        f'<w:r xmlns:w="{W_NS}" xmlns:v="{V_NS}" xmlns:o="{O_NS}" xmlns:w10="{W10_NS}">'
        "<w:rPr><w:noProof/></w:rPr><w:pict>"
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e">'
        f"<v:formulas>{formulas}</v:formulas>"
        '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
        'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
        '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
        '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        f'<v:shape id="{SHAPE_PREFIX}{number}" o:spid="_x0000_s{2048 + number}" type="#_x0000_t136" '
        f'style="{style}" o:allowincell="f" fillcolor="#d0d0d0" stroked="f">'
        '<v:fill opacity=".5"/>'
        f'<v:textpath style={xml_attribute(f"font-family:&quot;{font}&quot;;font-size:1pt")} string={xml_attribute(text)}/>'
        '<w10:wrap anchorx="margin" anchory="margin"/>'
        "</v:shape></w:pict></w:r>"
    )


def add_watermark(header, text: str, font: str, number: int) -> None:
    """Put a watermark shape into a python-docx header (its first paragraph); `number` makes its id unique."""
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # a CJK character is about two Latin letters wide
    width = min(460.0, 90.0 * wide)
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    height = round(width / (3.0 if wide > 4 else 2.0), 1)
    run = parse_xml(watermark_run_xml(text, font, width_pt=width, height_pt=height, number=number))
    paragraph._p.append(run)


def remove_watermarks(root: etree._Element) -> int:
    """Remove every watermark shape (and the run that holds it) under `root`; how many were removed."""
    removed = 0
    for shape in list(root.iter(f"{{{V_NS}}}shape")):
        if not (shape.get("id") or "").startswith(SHAPE_PREFIX):
            continue
        run = next(shape.iterancestors(f"{{{W_NS}}}r"), None)
        target = run if run is not None else shape
        if target.getparent() is not None:
            target.getparent().remove(target)
            removed += 1
    return removed


def has_watermark(root: etree._Element) -> bool:
    return any((shape.get("id") or "").startswith(SHAPE_PREFIX) for shape in root.iter(f"{{{V_NS}}}shape"))
