"""A PNG picture with its caption, placed in a rendered document with `{{p name }}`.

The picture travels in the document itself (word/media, an internal
relationship added per document by docgen.core.render): nothing is linked, so
neither Word nor LibreOffice ever fetches anything.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from docgen.core.text import xml_escape

EMU_PER_CM = 360000


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the PNG header."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n") or png[12:16] != b"IHDR":
        raise ValueError("not a PNG picture")
    return struct.unpack(">II", png[16:24])


@dataclass(frozen=True)
class Picture:
    """A picture `width_cm` wide (height from its proportions), centred, with a Caption paragraph under it."""

    png: bytes
    width_cm: float
    caption: str = ""
    description: str = ""  # alt text for screen readers

    def __str__(self) -> str:
        return self.caption

    def __html__(self) -> str:
        from docgen.core.render import current_parts

        return self.to_xml(current_parts())

    def to_xml(self, parts) -> str:
        """The picture paragraph (and its caption) for the document behind `parts` (docgen.core.render)."""
        rel_id = parts.image(self.png)
        width, height = png_size(self.png)
        cx = int(self.width_cm * EMU_PER_CM)
        cy = int(cx * height / max(1, width))
        alt = xml_escape(self.description or self.caption, quotes=True)
        drawing = (
            '<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="1" name="{alt}" descr="{alt}"/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:nvPicPr><pic:cNvPr id="0" name="{alt}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>'
        )
        picture = f'<w:p><w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr><w:r>{drawing}</w:r></w:p>'
        if not self.caption:
            return picture
        style = parts.style_id("Caption")
        return (picture + f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="center"/></w:pPr>'
                f'<w:r><w:t xml:space="preserve">{xml_escape(self.caption)}</w:t></w:r></w:p>')
