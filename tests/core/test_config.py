"""docgen.toml: company, logo, fonts, language and a templates folder that brands docgen."""

from __future__ import annotations

import struct
import zipfile
import zlib

import docx
import pytest

from docgen.core.config import bundled_path, load_settings
from docgen.core.docstyles import add_logo, new_document
from docgen.core.errors import InputError
from docgen.core.render import DocumentTemplate


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.company("zh") == "示例科技有限公司" and settings.company("en") == "Example Tech Co., Ltd."
    assert settings.template_path("common/logo.png") == bundled_path("templates") / "common" / "logo.png"


def test_company_templates_replace_bundled_ones_file_by_file(tmp_path, monkeypatch):
    own = tmp_path / "brand" / "review"
    own.mkdir(parents=True)
    (own / "packet_zh.docx").write_bytes(b"ours")
    (tmp_path / "docgen.toml").write_text(
        '[company]\nname_zh = "华信科技"\nname_en = "Huaxin Tech"\n[docgen]\nlanguage = "en"\ntemplates = "brand"\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.company("zh") == "华信科技" and settings.language == "en"
    assert settings.template_path("review/packet_zh.docx") == own / "packet_zh.docx"
    assert settings.template_path("review/packet_en.docx") == bundled_path("templates") / "review" / "packet_en.docx"


def test_every_problem_in_the_file_is_named(tmp_path):
    config = tmp_path / "docgen.toml"
    config.write_text('[company]\nname_zh = 3\ncolour = "red"\n[docgen]\nlanguage = "fr"\ntemplates = "nope"\n[extra]\n',
                      encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_settings(config)
    text = str(info.value)
    for expected in ["company.name_zh", "company.colour", "docgen.language", "docgen.templates", "field extra"]:
        assert expected in text
    assert "docgen.toml" in text


def test_broken_toml_names_the_file(tmp_path):
    config = tmp_path / "docgen.toml"
    config.write_text("[company\nname_zh=", encoding="utf-8")
    with pytest.raises(InputError, match="docgen.toml.*not valid TOML"):
        load_settings(config)


def _png(width: int, height: int) -> bytes:
    raw = b"".join(b"\x00" + bytes([200, 30, 30, 255]) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_company_logo_replaces_the_bundled_logo_keeping_its_height(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png(400, 100))
    (tmp_path / "docgen.toml").write_text('[company]\nlogo = "logo.png"\n', encoding="utf-8")
    document = new_document("zh")
    add_logo(document.add_paragraph(), height_cm=1.6)
    document.save(tmp_path / "t.docx")
    out = tmp_path / "o.docx"
    DocumentTemplate(tmp_path / "t.docx", settings=load_settings(tmp_path / "docgen.toml")).render_to(out, {})
    with zipfile.ZipFile(out) as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert media == [logo.read_bytes()]
    (shape,) = docx.Document(str(out)).inline_shapes
    assert round(shape.height.cm, 1) == 1.6 and round(shape.width.cm, 1) == 6.4


def test_a_logo_that_is_not_png_is_refused(tmp_path):
    (tmp_path / "logo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a png")
    (tmp_path / "docgen.toml").write_text('[company]\nlogo = "logo.jpg"\n', encoding="utf-8")
    with pytest.raises(InputError, match="company.logo: .*not a PNG file"):
        load_settings(tmp_path / "docgen.toml")


@pytest.mark.parametrize("damage", ["truncated", "folder", "bad crc"])
def test_a_damaged_logo_is_refused_before_any_document(tmp_path, damage):
    good = (bundled_path("templates") / "common" / "logo.png").read_bytes()
    logo = tmp_path / "logo.png"
    if damage == "truncated":
        logo.write_bytes(good[:100])
    elif damage == "folder":
        logo.mkdir()
    else:
        logo.write_bytes(good[:40] + bytes([good[40] ^ 0xFF]) + good[41:])
    (tmp_path / "docgen.toml").write_text('[company]\nlogo = "logo.png"\n', encoding="utf-8")
    with pytest.raises(InputError, match="company.logo"):
        load_settings(tmp_path / "docgen.toml")
