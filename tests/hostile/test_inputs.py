"""Small hostile inputs are refused fast: exit 2, one line naming the file, nothing written.

Each attack is built here under tmp_path (a zip bomb is streamed through
zipfile, so nothing big is ever committed) and run through the real command in
a fresh process with a time limit and a memory cap (tests/helpers/hostile.py).
Limits: docgen.core.yamlload (aliases, nesting), docgen.core.xlsxguard (zip
and sheet size), docgen.core.markdown_docx (Markdown nesting).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from docgen.core.config import bundled_path
from docgen.core.errors import InputError
from docgen.core.markdown_docx import markdown_to_word
from docgen.core.xlsxguard import XlsxLimits, check_xlsx
from docgen.core.xlsxread import WorkbookReader
from docgen.core.yamlload import load_yaml
from docgen.review.scoresheet import read_scoresheet
from tests.helpers.hostile import assert_refused, files_under, run_docgen
from tests.helpers.review import ENGINEER, make_workbook, typical_row

EXAMPLES = bundled_path("requirements_forms")
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_START = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{SHEET_NS}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"
BILLION_LAUGHS = 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)
XML_BOMB_DTD = ('<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
                + "".join(f'<!ENTITY lol{i} "{"".join([f"&lol{i - 1};"] * 10)}">' for i in range(1, 10))
                + "]>")


@pytest.fixture
def env(tmp_path):
    """Keep the casebook cache inside tmp_path."""
    return {"XDG_CACHE_HOME": str(tmp_path / "cache")}


def refused(tmp_path, *args, says, env=None):
    """Run docgen in tmp_path/work and check it refused, wrote nothing, and named `says`."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    before = files_under(tmp_path)
    result = run_docgen(*map(str, args), cwd=work, env=env)
    assert_refused(result, says=says)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    written = {p for p in files_under(tmp_path) - before if not p.startswith("cache/")}
    assert not written, written
    return result


# --- building workbooks ------------------------------------------------------------------

def base_workbook(sheet: str = "Requirements") -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = sheet
    wb.active.append(["id", "category", "text", "priority"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_parts(path: Path, replace: dict, source: bytes | None = None) -> Path:
    """The workbook `source` with parts replaced; a value may be bytes or an iterable of bytes (streamed)."""
    with zipfile.ZipFile(io.BytesIO(source or base_workbook())) as old, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in replace:
                new.writestr(info.filename, old.read(info))
        for name, content in replace.items():
            with new.open(name, "w", force_zip64=True) as out:
                for piece in [content] if isinstance(content, bytes) else content:
                    out.write(piece)
    return path


def rows_xml(count: int, start: int = 1, dimension: bool = False) -> bytes:
    head = SHEET_START.replace("<sheetData>", f'<dimension ref="A1:A{count}"/><sheetData>' if dimension else "<sheetData>")
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(start, start + count))
    return (head + body + SHEET_END).encode()


# --- YAML --------------------------------------------------------------------------------

def test_requirements_alias_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BILLION_LAUGHS)
    refused(tmp_path, "requirements", "check", bomb, says=f"{bomb}, line 5: aliases (*name) expand")


def test_requirements_recursive_alias_is_refused(tmp_path):
    bomb = tmp_path / "loop.yaml"
    bomb.write_text("client: &c\n  name: x\n  contacts: [*c]\n")
    refused(tmp_path, "requirements", "check", bomb, says="recursive alias")


@pytest.mark.parametrize("text", [
    "client: " + "[" * 3000 + "]" * 3000 + "\n",
    "client:\n" + "".join("  " * (i + 1) + "- \n" for i in range(300)),  # 3,000 would be 9 MB
], ids=["flow", "block"])
def test_requirements_deep_nesting_is_refused(tmp_path, text):
    deep = tmp_path / "deep.yaml"
    deep.write_text(text)
    result = refused(tmp_path, "requirements", "check", deep, says=f"{deep}, line")
    assert "nested more than 64 levels deep" in result.stderr


@pytest.mark.parametrize("text, says", [
    ("requirements: [" + "a," * 128_000 + "a]\n", "line 1: more than 20,000 values in one YAML file"),
    ("client:\n  background: " + "长" * 600_000 + "\n", "is 600,023 characters long; docgen reads YAML of at most 500,000 characters"),
], ids=["values", "characters"])
def test_requirements_yaml_too_big_for_pyyaml_is_refused(tmp_path, text, says):
    big = tmp_path / "big.yaml"
    big.write_text(text, encoding="utf-8")
    refused(tmp_path, "requirements", "check", big, says=f"{big}, {says}" if "line" in says else f"{big}: {says}")


def test_requirements_utf16_gets_save_as_utf8(tmp_path):
    text = (EXAMPLES / "example-bank-zh.yaml").read_text(encoding="utf-8")
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes(text.encode("utf-16"))
    result = refused(tmp_path, "requirements", "check", utf16, says="is UTF-16 text")
    assert "save it as UTF-8" in result.stderr


def _casebook(tmp_path: Path) -> Path:
    folder = tmp_path / "casebook"
    folder.mkdir()
    shutil.copy(bundled_path("casebook") / "bank-active-active-2024.md", folder)
    return folder


def test_case_front_matter_alias_bomb_is_refused(tmp_path, env):
    folder = _casebook(tmp_path)
    (folder / "bomb.md").write_text("---\n" + BILLION_LAUGHS + "---\nbody\n")
    refused(tmp_path, "cases", "search", "x", "--casebook", folder, env=env,
            says=f"{folder / 'bomb.md'}, line 6: aliases (*name) expand")


def test_synonyms_alias_bomb_is_refused(tmp_path, env):
    folder = _casebook(tmp_path)
    (folder / "synonyms.yaml").write_text(BILLION_LAUGHS + "groups: *a9\n")
    refused(tmp_path, "cases", "search", "x", "--casebook", folder, env=env, says="synonyms.yaml, line 5: aliases (*name) expand")


def test_role_file_alias_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BILLION_LAUGHS)
    refused(tmp_path, "review", "blank", "--role", bomb, "-o", tmp_path / "x.docx", says=f"{bomb}, line 5")


def test_company_role_folder_with_a_recursive_alias_is_refused(tmp_path):
    roles = tmp_path / "work" / "tpl" / "review" / "roles"
    roles.mkdir(parents=True)
    (tmp_path / "work" / "docgen.toml").write_text('[docgen]\ntemplates = "tpl"\n')
    (roles / "loop.yaml").write_text("id: loop\nkpi: &k [*k]\n")
    refused(tmp_path, "review", "roles", says="loop.yaml, line 2: an alias (*name) refers to a value that contains it")


# --- xlsx --------------------------------------------------------------------------------

@pytest.mark.parametrize("dimension", [True, False], ids=["declared", "undeclared"])
def test_one_cell_at_the_last_row_is_refused(tmp_path, dimension):
    # A form whose header row is real: without the guard, reading it took minutes.
    wb = openpyxl.Workbook()
    wb.active.title = "Requirements"
    wb.active.append(["id", "category", "text", "priority"])
    wb.active["A1048576"] = "x"
    wb.create_sheet("Client")
    buffer = io.BytesIO()
    wb.save(buffer)
    sheet = ('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
             '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>' if not dimension else None)
    path = tmp_path / "far.xlsx"
    if sheet:
        with_parts(path, {"xl/worksheets/sheet1.xml": (SHEET_START + sheet + SHEET_END).encode()}, buffer.getvalue())
    else:
        path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 16_000
    result = refused(tmp_path, "requirements", "check", path,
                     says=f"{path}, sheet Requirements: " + ("declares its used range as"
                                                             if dimension else "uses row 1,048,576"))
    assert "docgen allows at most 20,000 rows per sheet (to allow more, set the environment variable DOCGEN_MAX_ROWS)" \
        in result.stderr


def test_zip_bomb_is_refused(tmp_path):
    row = b"<row><c><v>1</v></c></row>"
    pieces = [SHEET_START.encode()] + [row * 40_000] * 200 + [SHEET_END.encode()]  # 200 MB of sheet XML
    bomb = with_parts(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": pieces})
    assert bomb.stat().st_size < 2_000_000
    refused(tmp_path, "requirements", "check", bomb,
            says=f"{bomb}: part xl/worksheets/sheet1.xml unpacks")


def test_million_rows_are_refused(tmp_path):
    def sheet():
        yield SHEET_START.encode()
        for start in range(1, 1_000_001, 50_000):
            yield "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>需求</t></is></c></row>'
                          for r in range(start, start + 50_000)).encode()
        yield SHEET_END.encode()

    big = with_parts(tmp_path / "million.xlsx", {"xl/worksheets/sheet1.xml": sheet()})
    refused(tmp_path, "requirements", "check", big, says=f"{big}: unpacks to")


def test_rows_beyond_the_limit_are_refused_by_counting(tmp_path):
    path = with_parts(tmp_path / "rows.xlsx", {"xl/worksheets/sheet1.xml": rows_xml(25_000)})
    refused(tmp_path, "requirements", "check", path, says="sheet Requirements: uses row ")


def test_rows_without_numbers_are_counted_like_openpyxl(tmp_path):
    sheet = (SHEET_START + '<row r="19990"><c r="A19990"><v>1</v></c></row>'
             + "<row><c><v>1</v></c></row>" * 20 + SHEET_END).encode()
    path = with_parts(tmp_path / "norow.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    refused(tmp_path, "requirements", "check", path, says="uses row 20,001; docgen allows at most 20,000 rows")


def test_huge_merged_range_is_refused(tmp_path):
    sheet = (SHEET_START + '<row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
             '<mergeCells count="1"><mergeCell ref="A1:CV5000"/></mergeCells></worksheet>').encode()
    path = with_parts(tmp_path / "merged.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    refused(tmp_path, "requirements", "check", path, says="holds too many cells (counting every cell of merged and hyperlinked ranges); docgen allows at most 200,000 cells")


def test_comment_at_the_last_row_is_refused(tmp_path):
    # openpyxl makes the commented cell, so the sheet would reach row 1,048,576.
    comments = (f'<comments xmlns="{SHEET_NS}"><authors><author>a</author></authors><commentList>'
                '<comment ref="A1048576" authorId="0"><text><t>x</t></text></comment></commentList></comments>').encode()
    path = with_parts(tmp_path / "comment.xlsx", {"xl/comments1.xml": comments})
    refused(tmp_path, "requirements", "check", path, says=f"{path}: part xl/comments1.xml: uses row 1,048,576")


def test_style_bomb_is_refused(tmp_path):
    source = base_workbook()
    with zipfile.ZipFile(io.BytesIO(source)) as book:
        head, tail = book.read("xl/styles.xml").split(b"</cellXfs>", 1)
    styles = [head] + [b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0"/>' % n for n in range(120_000)] \
        + [b"</cellXfs>" + tail]
    path = with_parts(tmp_path / "styles.xlsx", {"xl/styles.xml": styles}, source)
    refused(tmp_path, "requirements", "check", path, says="part xl/styles.xml defines more than 100,000 styles")


def test_shared_strings_beyond_the_cells_are_refused(tmp_path):
    strings = [f'<sst xmlns="{SHEET_NS}">'.encode()] + [b"<si><t>%d</t></si>" % n for n in range(300_000)] + [b"</sst>"]
    path = with_parts(tmp_path / "strings.xlsx", {"xl/sharedStrings.xml": strings})
    refused(tmp_path, "requirements", "check", path,
            says="part xl/sharedStrings.xml brings the XML outside the sheets to more than 500,000 elements")


def test_entity_bomb_in_shared_strings_is_refused(tmp_path):
    strings = (f'<?xml version="1.0" encoding="UTF-8"?>{XML_BOMB_DTD}'
               f'<sst xmlns="{SHEET_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>').encode()
    path = with_parts(tmp_path / "lol.xlsx", {"xl/sharedStrings.xml": strings})
    refused(tmp_path, "requirements", "check", path, says="part xl/sharedStrings.xml contains a DTD")


def test_external_entity_in_a_sheet_is_refused(tmp_path):
    sheet = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
             f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>'
             "</row></sheetData></worksheet>").encode()
    path = with_parts(tmp_path / "xxe.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    refused(tmp_path, "requirements", "check", path, says="part xl/worksheets/sheet1.xml contains a DTD")


def test_utf16_sheet_xml_is_refused(tmp_path):
    path = with_parts(tmp_path / "u16.xlsx", {"xl/worksheets/sheet1.xml": rows_xml(3).replace(
        b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")})
    refused(tmp_path, "requirements", "check", path, says="in an encoding other than UTF-8")


def test_openpyxl_parses_sheet_xml_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


# --- the score workbook ---------------------------------------------------------------------

def _scores(tmp_path: Path, name: str = "scores.xlsx", **overrides) -> Path:
    return make_workbook(tmp_path / name, ENGINEER, [typical_row(ENGINEER, 1, **overrides)])


def test_score_workbook_with_too_many_rows_is_refused(tmp_path):
    source = _scores(tmp_path, "base.xlsx").read_bytes()
    path = with_parts(tmp_path / "scores.xlsx", {"xl/worksheets/sheet1.xml": rows_xml(12_000)}, source)
    (tmp_path / "base.xlsx").unlink()
    result = refused(tmp_path, "review", "fill", path, "--role", "presales-engineer", "-o", tmp_path / "out",
                     says=f"{path}, sheet Scores: uses row ")
    assert "docgen allows at most 10,001 rows per sheet" in result.stderr and "DOCGEN_MAX_ROWS" in result.stderr


def test_score_workbook_entity_bomb_is_refused(tmp_path):
    source = _scores(tmp_path, "base.xlsx").read_bytes()
    (tmp_path / "base.xlsx").unlink()
    sheet = rows_xml(2).replace(b"<worksheet", XML_BOMB_DTD.encode() + b"<worksheet")
    path = with_parts(tmp_path / "scores.xlsx", {"xl/worksheets/sheet1.xml": sheet}, source)
    refused(tmp_path, "review", "fill", path, "--role", "presales-engineer", "-o", tmp_path / "out",
            says=f"{path}: part xl/worksheets/sheet1.xml contains a DTD")


@pytest.mark.parametrize("column", ["K1.target", "K1.actual", "K1.score", "B1.level", "adjustment"])
def test_score_of_1e30_is_a_cell_problem(tmp_path, column):
    path = _scores(tmp_path, **{column: 1e30})
    result = refused(tmp_path, "review", "fill", path, "--role", "presales-engineer", "-o", tmp_path / "out",
                     says=f"{path}, sheet Scores, row 2, column ")
    assert f"({column}): expected" in result.stderr and "got 1E+30" in result.stderr


# --- Markdown ----------------------------------------------------------------------------------

def test_case_with_deeply_nested_quotes_is_refused_by_pack(tmp_path, env):
    folder = _casebook(tmp_path)
    case = folder / "bank-active-active-2024.md"
    case.write_text(case.read_text(encoding="utf-8") + "\n" + "> " * 25 + "深处\n", encoding="utf-8")
    refused(tmp_path, "cases", "pack", "bank-active-active-2024", "--casebook", folder, "-o", tmp_path / "pack.docx",
            env=env, says=f"{case}: Markdown nested too deeply at line")


def test_markdown_nesting_limit_keeps_everything_below_it():
    kept = markdown_to_word("\n\n".join(">" * n + f" 第{n}层" for n in range(1, 20)))
    assert kept.plain_text.split() == [f"第{n}层" for n in range(1, 20)]
    lists = markdown_to_word("".join("  " * i + f"- item{i}\n" for i in range(9)))
    assert lists.plain_text.split() == [f"item{i}" for i in range(9)]
    with pytest.raises(InputError, match="Markdown nested too deeply at line 1 of the text"):
        markdown_to_word(">" * 20 + " 深处")
    with pytest.raises(InputError, match="at line 10 of the text"):
        markdown_to_word("".join("  " * i + f"- item{i}\n" for i in range(10)))


def test_links_word_cannot_open_keep_their_text():
    fragment = markdown_to_word(r"见 [报告](\\\\fs01\\docs\\a.pdf)、[方案](../x.md) 与 [官网](https://example.com)")
    assert fragment.plain_text == "见 报告、方案 与 官网"
    assert [i.href for i in fragment.blocks[0].inlines if i.href] == ["https://example.com"]


def test_a_few_aliases_still_load():
    root = load_yaml("base: &tags [dr, backup]\na: *tags\nb: *tags\n", "ok.yaml")
    assert root.plain() == {"base": ["dr", "backup"], "a": ["dr", "backup"], "b": ["dr", "backup"]}


# --- real input still loads; the limits can be raised ---------------------------------------

@pytest.mark.parametrize("name", ["example-bank-zh.xlsx", "example-hospital-zh.xlsx", "example-logistics-en.xlsx",
                                  "example-bank-zh.yaml"])
def test_bundled_examples_still_load(tmp_path, name):
    result = run_docgen("requirements", "check", str(EXAMPLES / name), cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_bundled_roles_and_casebook_still_load(tmp_path, env):
    assert run_docgen("review", "roles", cwd=tmp_path).returncode == 0
    result = run_docgen("cases", "search", "容灾", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr


def test_environment_variable_raises_the_row_limit(tmp_path):
    path = with_parts(tmp_path / "rows.xlsx", {"xl/worksheets/sheet1.xml": rows_xml(25_000)})
    result = run_docgen("requirements", "check", str(path), cwd=tmp_path, env={"DOCGEN_MAX_ROWS": "30000"})
    assert result.returncode == 2 and "DOCGEN_MAX_ROWS" not in result.stderr  # read; then "sheet Client is missing"
    assert "sheet Client is missing" in result.stderr
    lowered = run_docgen("requirements", "check", str(EXAMPLES / "example-bank-zh.xlsx"), cwd=tmp_path,
                         env={"DOCGEN_MAX_ROWS": "3"})
    assert_refused(lowered, says="docgen allows at most 3 rows per sheet")
    bad = run_docgen("requirements", "check", str(path), cwd=tmp_path, env={"DOCGEN_MAX_ROWS": "lots"})
    assert_refused(bad, says="DOCGEN_MAX_ROWS='lots': expected a whole number")


def test_keyword_argument_raises_the_limits(tmp_path):
    path = with_parts(tmp_path / "rows.xlsx", {"xl/worksheets/sheet1.xml": rows_xml(25_000)})
    with pytest.raises(InputError, match="uses row .*; docgen allows at most 20,000 rows per sheet"):
        check_xlsx(path, str(path), XlsxLimits())
    book = WorkbookReader(path, str(path), limits=XlsxLimits(max_rows=25_000))
    assert book.sheet("requirements").max_row == 25_000

    scores = _scores(tmp_path)
    with pytest.raises(InputError, match="at most 1 rows per sheet"):
        read_scoresheet(scores, ENGINEER, limits=XlsxLimits(max_rows=1))
    assert len(read_scoresheet(scores, ENGINEER, limits=XlsxLimits(max_rows=5_000)).employees) == 1
