"""Client copies carry nothing from the template's authors; files with linked pictures never reach LibreOffice.

A "leaky" template carries a reviewer's comment, personal document
properties, an attached template on the author's disk, a picture linked to a
local web server (a tracking pixel), tracked changes, hidden text and custom
XML data: audit_package names each, clean_package removes each (every XML part
of the result is searched), and the PDF export refuses the file before
LibreOffice could fetch anything.
"""

from __future__ import annotations

import http.server
import io
import subprocess
import threading
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from docgen.core import pdf
from docgen.core.config import bundled_path
from docgen.core.errors import DocgenError, InputError
from docgen.core.hygiene import audit_package, clean_package, fetchable_references
from docgen.core.render import DocumentTemplate
from tests.helpers.hostile import run_docgen

COMMENT = "Regional MSP is 20% cheaper - never mention"
TITLE = "Internal template v3 - do not send"
AUTHOR = "Zhang San"
ATTACHED = "file:///C:/Users/zhangsan/Templates/Internal-v3.dotx"
INSERTED = "Inserted clause"
DELETED = "Deleted secret discount"
HIDDEN = "Hidden margin note 35%"
CUSTOM = "InternalPricing2024"
PLANTED = [COMMENT, TITLE, AUTHOR, "C:/Users", "pixel.png", DELETED, HIDDEN, CUSTOM]
ATTACHED_TEMPLATE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"

_DRAWING = """<w:r {ns}><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="7" name="Pixel"/>
<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>
<pic:nvPicPr><pic:cNvPr id="7" name="pixel.png"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:link="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>
</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"""


def leaky_template(path: Path, pixel_url: str = "http://127.0.0.1:9/pixel.png",
                   body: str = "Dear {{ value }},") -> Path:
    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.author = AUTHOR
    document.add_paragraph(body)
    price = document.add_paragraph("Our price: ").add_run("list price")
    document.add_comment(price, text=COMMENT, author=AUTHOR, initials="ZS")
    document.add_paragraph("Visible text. ").add_run(HIDDEN).font.hidden = True
    revisions = document.add_paragraph("Terms: ")._p
    revisions.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="91" w:author="{AUTHOR}" w:date="2024-01-01T00:00:00Z">'
                               f"<w:r><w:t>{INSERTED}</w:t></w:r></w:ins>"))
    revisions.append(parse_xml(f'<w:del {nsdecls("w")} w:id="92" w:author="{AUTHOR}" w:date="2024-01-01T00:00:00Z">'
                               f"<w:r><w:delText>{DELETED}</w:delText></w:r></w:del>"))
    link = document.part.relate_to(pixel_url, RT.IMAGE, is_external=True)
    document.add_paragraph()._p.append(parse_xml(_DRAWING.format(ns=nsdecls("w", "wp", "a", "pic", "r"), rid=link)))
    settings = document.part._settings_part
    template = settings.relate_to(ATTACHED, ATTACHED_TEMPLATE_REL, is_external=True)
    proof = settings.element.find(f"{{{settings.element.nsmap['w']}}}proofState")
    proof.addnext(parse_xml(f'<w:attachedTemplate {nsdecls("w", "r")} r:id="{template}"/>'))
    document.save(path)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["customXml/item1.xml"] = (b'<?xml version="1.0" standalone="no"?><b:Sources xmlns:b="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/bibliography"><b:Source><b:Tag>'
                                    + CUSTOM.encode() + b"</b:Tag></b:Source></b:Sources>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, blob in parts.items():
            package.writestr(name, blob)
    return path


def xml_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name).decode("utf-8") for name in package.namelist()
                if name.endswith((".xml", ".rels"))}


# --- audit ---------------------------------------------------------------------------------------

def test_audit_names_each_leak_and_its_part(tmp_path):
    problems = [str(p) for p in audit_package(leaky_template(tmp_path / "leaky.docx"))]
    report = "\n".join(problems)

    def finding(*words: str) -> str:
        matches = [p for p in problems if all(w in p for w in words)]
        assert matches, f"{words} not in:\n{report}"
        return matches[0]

    finding("word/comments.xml", "comment", COMMENT)
    finding("word/document.xml", "tracked change", DELETED)
    finding("word/document.xml", "hidden text", HIDDEN)
    finding("word/document.xml", "linked picture", "http://127.0.0.1:9/pixel.png")
    finding("word/settings.xml", "attached template", ATTACHED)
    finding("docProps/core.xml", TITLE, AUTHOR)
    finding("customXml/item1.xml", CUSTOM)


def test_bundled_templates_are_clean():
    for path in sorted(bundled_path("templates").rglob("*.docx")):
        assert audit_package(path) == [], path


def test_templates_check_reports_the_leaks(tmp_path):
    leaky_template(tmp_path / "leaky.docx")
    run = run_docgen("templates", "check", "leaky.docx", cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    for words in (COMMENT, "tracked change", HIDDEN, "pixel.png", "C:/Users", TITLE, CUSTOM):
        assert words in run.stderr, f"{words!r} not in {run.stderr}"


# --- clean --------------------------------------------------------------------------------------

def test_clean_removes_every_planted_string(tmp_path):
    cleaned = clean_package(leaky_template(tmp_path / "leaky.docx").read_bytes())
    for name, xml in xml_parts(cleaned).items():
        for planted in PLANTED:
            assert planted not in xml, f"{planted!r} still in {name}"
        for marker in ("commentReference", "commentRangeStart", "<w:ins ", "<w:del ", "w:vanish", "attachedTemplate",
                       'TargetMode="External"', "r:link"):
            assert marker not in xml, f"{marker} still in {name}"
    names = zipfile.ZipFile(io.BytesIO(cleaned)).namelist()
    assert not [n for n in names if "comments" in n or n.startswith("customXml/") or "thumbnail" in n]
    out = tmp_path / "clean.docx"
    out.write_bytes(cleaned)
    assert audit_package(out) == []
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert "Dear {{ value }}," in text and "Our price: list price" in text and "Visible text." in text
    assert f"Terms: {INSERTED}" in text  # the insertion is accepted, the deletion gone
    core = xml_parts(cleaned)["docProps/core.xml"]
    assert "<dc:creator>docgen</dc:creator>" in core and "<dc:title/>" in core


def test_clean_is_deterministic_and_idempotent(tmp_path):
    data = leaky_template(tmp_path / "leaky.docx").read_bytes()
    once = clean_package(data)
    assert clean_package(data) == once
    assert clean_package(once) == once


def test_clean_keeps_hyperlinks_the_text_uses(tmp_path):
    document = docx.Document()
    used = document.part.relate_to("https://example.com/used", RT.HYPERLINK, is_external=True)
    document.part.relate_to("https://example.com/unused", RT.HYPERLINK, is_external=True)
    paragraph = document.add_paragraph("See ")
    paragraph._p.append(parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{used}"><w:r><w:t>our site</w:t></w:r>'
                                  "</w:hyperlink>"))
    document.save(tmp_path / "links.docx")
    rels = xml_parts(clean_package((tmp_path / "links.docx").read_bytes()))["word/_rels/document.xml.rels"]
    assert "https://example.com/used" in rels and "unused" not in rels


def test_clean_refuses_malformed_xml_naming_the_part(tmp_path):
    path = tmp_path / "plain.docx"
    docx.Document().save(path)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/styles.xml"] = b"<w:styles"
    with zipfile.ZipFile(path, "w") as package:
        for name, blob in parts.items():
            package.writestr(name, blob)
    with pytest.raises(InputError, match="word/styles.xml"):
        clean_package(path.read_bytes())
    with pytest.raises(InputError, match="not a readable Word"):
        clean_package(b"not a zip")


def test_document_template_can_clean_what_it_renders(tmp_path):
    template = DocumentTemplate(leaky_template(tmp_path / "leaky.docx"), clean=True)
    out = template.render_to(tmp_path / "client.docx", {"value": "华东银行"})
    assert audit_package(out) == []
    for name, xml in xml_parts(out.read_bytes()).items():
        assert not [p for p in PLANTED if p in xml], name
    assert "Dear 华东银行," in [p.text for p in docx.Document(out).paragraphs]
    draft = DocumentTemplate(leaky_template(tmp_path / "leaky2.docx")).render({"value": "x"})
    assert COMMENT in "".join(xml_parts(draft).values())  # without clean=True the draft keeps them


@pytest.mark.libreoffice
def test_cleaned_copy_converts_with_libreoffice(tmp_path, libreoffice):
    out = tmp_path / "clean.docx"
    out.write_bytes(clean_package(leaky_template(tmp_path / "leaky.docx").read_bytes()))
    docx.Document(out)
    [pdf_path] = libreoffice([out])
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Visible text." in text and INSERTED in text
    assert HIDDEN not in text and DELETED not in text


# --- the tracking pixel -----------------------------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def pixel_server():
    handler = type("Handler", (_Recorder,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    server.shutdown()
    server.server_close()


@pytest.mark.libreoffice
def test_pdf_export_refuses_a_linked_picture_and_fetches_nothing(tmp_path, pixel_server):
    url, requests = pixel_server
    path = leaky_template(tmp_path / "pixel.docx", pixel_url=f"{url}/pixel.png")
    assert any("pixel.png" in str(p) for p in fetchable_references(path))
    with pytest.raises(DocgenError) as info:
        pdf.convert_to_pdf([path], tmp_path / "out")
    assert "pixel.docx" in str(info.value) and "pixel.png" in str(info.value)
    assert requests == []
    assert not (tmp_path / "out" / "pixel.pdf").exists()
    # The refusal is what kept the server quiet: LibreOffice itself fetches the picture.
    profile = tmp_path / "profile"
    subprocess.run([pdf.find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "raw"), str(path)],
                   capture_output=True, timeout=180, check=False)
    assert any("pixel.png" in r for r in requests)


@pytest.mark.libreoffice
def test_pdf_export_of_the_cleaned_copy_fetches_nothing(tmp_path, pixel_server):
    url, requests = pixel_server
    cleaned = tmp_path / "clean.docx"
    leaky = leaky_template(tmp_path / "pixel.docx", pixel_url=f"{url}/pixel.png")
    cleaned.write_bytes(clean_package(leaky.read_bytes()))
    assert fetchable_references(cleaned) == []
    [out] = pdf.convert_to_pdf([cleaned], tmp_path / "out")
    assert out.is_file() and requests == []


def test_macros_variables_and_custom_properties_are_found_and_dropped(tmp_path):
    path = tmp_path / "macro.docx"
    docx.Document().save(path)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("wordprocessingml.document.main+xml", "").replace(
        'ContentType="application/vnd.openxmlformats-officedocument."',
        'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"')
    types = types.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                          '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
                          'officedocument.custom-properties+xml"/></Types>')
    assert 'PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled' in types
    parts["[Content_Types].xml"] = types.encode()
    parts["word/vbaProject.bin"] = b"Attribute VB_Name = \"AutoOpen\""
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
        b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    parts["docProps/custom.xml"] = (
        b'<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="FloorPrice"><vt:lpwstr>'
        b"880000</vt:lpwstr></property></Properties>")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>')
    parts["word/settings.xml"] = parts["word/settings.xml"].replace(
        b"<w:defaultTabStop", b'<w:docVars><w:docVar w:name="MarginFloor" w:val="12%"/></w:docVars><w:defaultTabStop')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, blob in parts.items():
            package.writestr(name, blob)
    report = "\n".join(str(p) for p in audit_package(path))
    for words in ("word/vbaProject.bin", "macros", "FloorPrice", "MarginFloor"):
        assert words in report, report
    cleaned = tmp_path / "cleaned.docx"
    cleaned.write_bytes(clean_package(path.read_bytes()))
    assert audit_package(cleaned) == []
    assert "word/vbaProject.bin" not in zipfile.ZipFile(cleaned).namelist()
    text = "".join(xml_parts(cleaned.read_bytes()).values())
    assert "macroEnabled" not in text and "vbaProject" not in text and "FloorPrice" not in text and "12%" not in text
    docx.Document(cleaned)  # python-docx refuses a macro-enabled main part: this is a plain .docx again
