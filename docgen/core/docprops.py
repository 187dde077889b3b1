"""What a document is, recorded inside it: docgen's custom document properties.

Every draft, brief, plan and pack carries `docgen.kind` (draft, brief, plan,
pack, final), and for proposals the stage, the client, the requirements file
(path and SHA-256), the casebook and the ids of the sections and cases used.
`proposal check` and `release` read them back, so the gate knows whose draft
it holds and that a brief can never go out, without options.

The properties live in docProps/custom.xml, the OOXML custom-properties part
that Word (File › Properties › Custom), WPS, LibreOffice and Excel show; the
same code serves .docx and .xlsx.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

from lxml import etree

from docgen.core.errors import InputError
from docgen.core.text import xml_escape

CUSTOM_PART = "docProps/custom.xml"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one every custom property uses
PREFIX = "docgen."
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def file_digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def custom_xml(props: Mapping[str, str]) -> bytes:
    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{xml_escape(name, quotes=True)}">'
        f"<vt:lpwstr>{xml_escape(str(value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props.items(), start=2)
    )
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_NS}" xmlns:vt="{_VT}">{items}</Properties>').encode("utf-8")


def stamp(data: bytes, props: Mapping[str, str]) -> bytes:
    """The package `data` (.docx/.xlsx bytes) with `props` as its docgen.* custom properties.

    Keys are given without the prefix (`kind`, `stage`…). Custom properties the
    package already had, docgen's or not, are replaced: a template's own
    custom properties never reach an output.
    """
    props = {f"{PREFIX}{key}": "" if value is None else str(value) for key, value in props.items()}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == CUSTOM_PART:
                continue
            blob = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = _with_override(blob)
            elif info.filename == "_rels/.rels":
                blob = _with_relationship(blob)
            target.writestr(info, blob)
        target.writestr(zipfile.ZipInfo(CUSTOM_PART, date_time=(1980, 1, 1, 0, 0, 0)), custom_xml(props),
                        compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def property_parts(content_types: bytes, package_rels: bytes, props: Mapping[str, str]) -> dict[str, bytes]:
    """The three parts a package needs to carry `props` (keys without the prefix): for a renderer that
    writes many documents from one template, so the properties are added once, not per document."""
    props = {f"{PREFIX}{key}": "" if value is None else str(value) for key, value in props.items()}
    return {"[Content_Types].xml": _with_override(content_types), "_rels/.rels": _with_relationship(package_rels),
            CUSTOM_PART: custom_xml(props)}


def read_stamp(path: str | Path) -> dict[str, str]:
    """The docgen.* properties of a document, without the prefix; {} for a document docgen did not make."""
    try:
        with zipfile.ZipFile(path) as package:
            if CUSTOM_PART not in package.namelist():
                return {}
            root = etree.fromstring(package.read(CUSTOM_PART), _PARSER)
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise InputError(f"{path}: not a readable Office document ({exc.__class__.__name__})") from None
    found = {}
    for prop in root.iter(f"{{{_NS}}}property"):
        name = prop.get("name", "")
        if name.startswith(PREFIX):
            found[name[len(PREFIX):]] = "".join(prop.itertext())
    return found


def _with_override(content_types: bytes) -> bytes:
    root = etree.fromstring(content_types, _PARSER)
    ns = root.nsmap.get(None, "")
    for override in root.findall(f"{{{ns}}}Override"):
        if override.get("PartName") == f"/{CUSTOM_PART}":
            root.remove(override)
    etree.SubElement(root, f"{{{ns}}}Override", PartName=f"/{CUSTOM_PART}", ContentType=_CONTENT_TYPE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_relationship(rels: bytes) -> bytes:
    root = etree.fromstring(rels, _PARSER)
    ids = set()
    for rel in list(root):
        if rel.get("Type") == _REL_TYPE:
            root.remove(rel)
        else:
            ids.add(rel.get("Id"))
    n = 1
    while f"rId{n}" in ids:
        n += 1
    etree.SubElement(root, f"{{{_PKG_RELS}}}Relationship", Id=f"rId{n}", Type=_REL_TYPE, Target=CUSTOM_PART)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- core properties: what Word shows in File › Info ------------------------------------------

CORE_PART = "docProps/core.xml"
APP_PART = "docProps/app.xml"
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            b"<Application>docgen</Application><DocSecurity>0</DocSecurity></Properties>")


def restore_core_namespace() -> None:
    """Undo docxcompose's rebinding of python-docx's `cp` prefix (to the custom-properties namespace).

    docxcompose.utils (imported with docxtpl) updates python-docx's nsmap, so
    python-docx would write core.xml in the wrong namespace and a fresh reader
    would find lastModifiedBy, keywords and status empty.
    """
    from docx.oxml import ns

    ns.nsmap["cp"] = _CP
    ns.pfxmap[_CP] = "cp"


def _w3cdtf(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def core_xml(*, title: str = "", creator: str = "", created: dt.datetime | None = None,
             modified: dt.datetime | None = None, last_modified_by: str = "", subject: str = "",
             description: str = "", status: str = "") -> bytes:
    """docProps/core.xml, written here (not through python-docx, whose `cp` prefix other libraries rebind)."""
    now = dt.datetime.now(dt.timezone.utc)
    created, modified = created or now, modified or created or now
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<cp:coreProperties xmlns:cp="{_CP}" xmlns:dc="{_DC}" xmlns:dcterms="{_DCTERMS}" '
        f'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="{_XSI}">'
        f"<dc:title>{xml_escape(title)}</dc:title><dc:subject>{xml_escape(subject)}</dc:subject>"
        f"<dc:creator>{xml_escape(creator)}</dc:creator><dc:description>{xml_escape(description)}</dc:description>"
        f"<cp:lastModifiedBy>{xml_escape(last_modified_by or creator)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        + (f"<cp:contentStatus>{xml_escape(status)}</cp:contentStatus>" if status else "")
        + f'<dcterms:created xsi:type="dcterms:W3CDTF">{_w3cdtf(created)}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{_w3cdtf(modified)}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode("utf-8")


def read_core(source: str | Path | bytes) -> dict[str, str]:
    """The core properties of a package by local name (title, creator, lastModifiedBy, created, …)."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as package:
            if CORE_PART not in package.namelist():
                return {}
            root = etree.fromstring(package.read(CORE_PART), _PARSER)
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise InputError(f"{source if not isinstance(source, bytes) else 'the document'}: "
                         f"not a readable Office document ({exc.__class__.__name__})") from None
    return {etree.QName(el).localname: (el.text or "") for el in root if isinstance(el.tag, str)}


def core_parts(**properties) -> dict[str, bytes]:
    """core.xml and a neutral app.xml (python-docx's says "Microsoft Macintosh Word" and a template name)."""
    return {CORE_PART: core_xml(**properties), APP_PART: _APP_XML}


def replace_parts(data: bytes, parts: Mapping[str, bytes]) -> bytes:
    """The package with `parts` replacing (or added to) its own, other parts copied as they are."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for info in source.infolist():
            target.writestr(info, parts[info.filename] if info.filename in parts else source.read(info.filename))
        for name, blob in parts.items():
            if name not in names:
                target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), blob,
                                compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_core_properties(data: bytes, *, title: str, author: str, created: dt.datetime | None = None) -> bytes:
    """The package with File › Info saying `title` and `author` (a proposal's presales owner, a packet's
    company), created and modified now: for documents that skip docgen.core.finish (review packets)."""
    return replace_parts(data, core_parts(title=title, creator=author, created=created, modified=created))
