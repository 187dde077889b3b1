"""A client's own questionnaire (技术规格响应表, 偏离表, RFP sheet) read into a requirements file.

We do not control its layout: title rows above the header, two-row headers
with merged cells, ids that restart under each section heading, ★ in a column
of its own or in front of the text. `read_questionnaire` finds the sheet, the
header and the columns by scoring header words (or takes `--columns`), reads
each requirement exactly as the client typed it, and `questionnaire_yaml`
writes a contract-1 file (docs/requirements-file.md) whose client fields are
left blank for the presales owner, so `docgen requirements check` refuses it
until they are filled. Comments record the workbook, sheet, header and the
row of each requirement, for `docgen proposal respond` (read_import_record).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from openpyxl.utils import column_index_from_string, get_column_letter

from docgen.core.errors import InputError, Location
from docgen.core.output import check_writable, write_atomic
from docgen.core.xlsxread import SheetReader, WorkbookReader

IMPORT_FIELDS = ("id", "text", "priority", "category", "notes")  # what import reads
ANSWER_FIELDS = ("response", "compliance", "note")  # where respond writes

# Header words per field, with a weight: a header is the field of its best
# (longest, heaviest) word. Words are compared after _norm (no spaces or
# punctuation, lower case); Latin words must match whole words.
_WORDS: dict[str, dict[str, int]] = {
    "id": {**dict.fromkeys(("序号", "编号", "条款号", "条目号", "条款编号", "需求编号", "项号", "序", "no", "number",
                            "id", "ref", "refno", "reference", "clause", "clauseno", "itemno", "sn", "#"), 3),
           "item": 1, "条款": 2},
    "text": {**dict.fromkeys(("技术要求", "需求描述", "参数要求", "规格要求", "技术参数", "技术规格", "技术指标",
                              "指标要求", "功能要求", "性能要求", "需求内容", "需求说明", "招标要求", "采购需求",
                              "requirement", "requirements", "description", "specification", "specifications",
                              "question", "questions", "criteria"), 4),
             **dict.fromkeys(("规格", "要求", "需求", "描述", "内容", "details"), 2), "item": 1},
    "priority": {**dict.fromkeys(("是否★", "★", "★号", "重要性", "重要程度", "必须", "是否必须", "必选", "优先级",
                                  "是否实质性", "实质性条款", "是否必需", "mandatory", "mo", "priority",
                                  "importance", "must", "required", "musthave"), 3)},
    "category": {**dict.fromkeys(("类别", "分类", "项目", "类型", "模块", "功能模块", "子系统", "大类", "category",
                                  "section", "area", "module", "domain", "group", "type"), 2),
                 **dict.fromkeys(("货物名称", "设备名称", "产品名称", "名称", "item"), 1)},
    "notes": {**dict.fromkeys(("备注", "说明", "remarks", "remark", "notes", "note", "comments", "comment"), 2)},
    "response": {**dict.fromkeys(("响应", "应答", "投标响应", "响应内容", "应答内容", "投标人响应", "实际参数",
                                  "投标参数", "响应参数", "技术响应", "response", "answer", "vendorresponse",
                                  "supplierresponse", "bidderresponse", "proposedsolution"), 3)},
    "compliance": {**dict.fromkeys(("是否满足", "满足情况", "偏离", "偏离情况", "是否偏离", "符合性", "是否符合",
                                    "是否响应", "响应情况", "compliance", "deviation", "comply", "compliant",
                                    "conformity", "yn", "yesno"), 3)},
    "note": {**dict.fromkeys(("偏离说明", "偏离原因", "差异说明", "应答说明", "deviationnote", "explanation",
                              "justification"), 4), "备注": 1, "remarks": 1, "comments": 1},
}
# A header with one of these marks a column the bidder fills: never the client's id, text or priority.
_BIDDER = ("投标", "应答", "响应", "供应商", "厂商", "bidder", "vendor", "supplier", "tenderer", "respondent")
_PUNCT = re.compile(r"[\s:：()（）\[\]【】/／.。,，、_\-–—?？!！\"'“”‘’*]+")
_LATIN_WORD = re.compile(r"[a-z0-9#]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
# "一、存储系统", "（二）网络", "第三部分 安全", "3 Network", "3.2 Storage", "1、存储", "II. Security", "A. General"
_SECTION_NUMBER = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]\s*"
    r"|(?:第?[一二三四五六七八九十百零〇]+(?:部分|章|节|篇)?|第?\d+(?:\.\d+)*(?:部分|章|节|篇)?|[IVX]+|[A-Z])"
    r"(?:\s*[、.．:：)）]\s*|\s+))")
_CN_SECTION_ID = re.compile(r"^\s*(?:第?[一二三四五六七八九十百]+(?:部分|章|节|篇)?|[(（][一二三四五六七八九十]+[)）]|[IVX]+)[、.．]?\s*$")
MAX_HEADER_ROW = 30  # a header further down than this is not a header
MAX_HEADER_CHARS = 40  # longer cells are data or titles, not headers
HEADING_CHARS = 40  # a row with text but no id is a section heading up to this length
GENERAL_CATEGORY = {"zh": "通用", "en": "General"}
_MUST = {"★", "必须", "是", "y", "yes", "mandatory", "m", "must", "required", "必选", "必需", "必备", "强制",
         "实质性", "高", "high", "essential", "critical", "true"}
_COULD = {"否", "n", "no", "可选", "optional", "o", "nicetohave", "could", "选配", "低", "low", "desirable", "false"}
RECORD_MARK = "# docgen-import: "
_ROW_COMMENT = re.compile(r"#\s*row\s+(\d+)\s*$")


@dataclass(frozen=True)
class Layout:
    """Where a questionnaire's requirements are: sheet, header rows, column of each field (1-based)."""

    sheet: str
    header_row: int  # first header row; 0 when none was found (--columns only)
    first_row: int  # first data row, under the header
    columns: Mapping[str, int]  # import and answer fields found (or named with --columns)
    star_column: bool = False  # the priority column is a ★ column: 否 there means an ordinary requirement

    def letter(self, name: str) -> str:
        return get_column_letter(self.columns[name])


@dataclass(frozen=True)
class ImportedRequirement:
    id: str
    text: str
    category: str
    priority: str
    notes: str
    row: int


@dataclass(frozen=True)
class Questionnaire:
    file: str
    layout: Layout
    language: str
    requirements: tuple[ImportedRequirement, ...]
    warnings: tuple[str, ...] = field(default=())


# --- opening and detection ---------------------------------------------------------------------

def open_workbook(path: str | Path) -> WorkbookReader:
    """The client's workbook, refused with one line naming the file unless it is a real .xlsx.

    WorkbookReader applies docgen.core.xlsxguard's size limits before openpyxl parses anything.
    """
    path = Path(path)
    where = Location(file=str(path))
    if not path.exists():
        raise InputError("file not found", where=where)
    if path.is_dir():
        raise InputError("is a folder; expected the client's .xlsx workbook", where=where)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError("is an old Excel 97-2003 (.xls) file; open it in Excel or LibreOffice and save it as .xlsx",
                         where=where)
    if head[:4] != b"PK\x03\x04":
        raise InputError("is not an Excel workbook (.xlsx); expected the client's questionnaire saved as .xlsx",
                         where=where)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise InputError("is a damaged zip/xlsx file", where=where) from None
    if "xl/workbook.xml" not in names:
        raise InputError("is a zip file but not an Excel workbook (.xlsx)", where=where)
    return WorkbookReader(path, str(path))


def parse_columns(spec: str | None, fields: tuple[str, ...] = IMPORT_FIELDS) -> dict[str, str]:
    """`id=A,text=C,priority=D` -> {"id": "A", …}; InputError naming what is wrong."""
    if not spec:
        return {}
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, sep, letter = (s.strip() for s in part.partition("="))
        letter = letter.upper()
        if not sep or name not in fields:
            raise InputError(f"--columns {part!r}: expected FIELD=LETTER with FIELD one of {', '.join(fields)}")
        if not re.fullmatch(r"[A-Z]{1,3}", letter) or column_index_from_string(letter) > 16384:
            raise InputError(f"--columns {part!r}: {letter or '(nothing)'} is not a column letter such as C")
        if name in found:
            raise InputError(f"--columns names {name} twice")
        found[name] = letter
    return found


def _norm(text: str) -> str:
    return _PUNCT.sub("", text.casefold())


def _word_score(norm: str, latin: list[str], word: str) -> int:
    """How well one header word names a header: exact > contained; Latin words only whole."""
    if norm == word:
        return 100 + len(word)
    if word.isascii() and word != "#":
        return len(word) if word in latin or len(word) >= 8 and word in norm else 0
    return len(word) if (len(word) >= 2 or word == "★") and word in norm else 0


def classify(label: str, *, bidder: bool | None = None) -> dict[str, int]:
    """field -> how strongly this header names it ({} when it names none).

    A header that marks a bidder's column (投标…, 应答, Vendor …) can only be
    an answer field; `bidder` may say so for a sub-header under such a group.
    """
    if not label or len(label) > MAX_HEADER_CHARS:
        return {}
    if bidder is None:
        bidder = _is_bidder(label)
    norm, latin = _norm(label), _LATIN_WORD.findall(label.casefold())
    scores = {}
    for name, words in _WORDS.items():
        if bidder and name in IMPORT_FIELDS:
            continue
        best = max(_word_score(norm, latin, word) * weight for word, weight in words.items())
        if best:
            scores[name] = best
    if bidder and not scores:
        scores["response"] = 1
    return scores


def _is_bidder(label: str) -> bool:
    folded = label.casefold()
    return any(mark in folded for mark in _BIDDER)


def _header_block(sheet: SheetReader, row: int) -> int:
    """The last row of a header starting at `row`: merged cells may make it two or three rows."""
    end = row
    ranges = sheet.book.formulas[sheet.title].merged_cells.ranges
    # A title is one merged cell alone in its row; a header row has several cells.
    if len({sheet.text(row, col)[0] for col in range(1, sheet.max_column + 1)} - {None}) < 2:
        return end
    for rng in ranges:
        if rng.min_row == row and rng.max_row > row:
            end = max(end, min(rng.max_row, row + 2))
        elif (rng.min_row == rng.max_row == row and rng.max_col > rng.min_col and row < sheet.max_row
              and any(sheet.text(row + 1, col)[0] for col in range(rng.min_col, rng.max_col + 1))):
            end = max(end, row + 1)  # a group header over sub-headers ("投标响应" over "响应内容 | 是否满足")
    return end


def _assign(labels: dict[int, list[str]]) -> tuple[dict[str, int], float]:
    """The best column for each field (each column at most one field), and the header's score."""
    candidates = []
    for col, texts in labels.items():
        bidder = any(_is_bidder(text) for text in texts)
        for text in texts:  # the lowest header cell first: "是否满足" under "投标响应"
            scores = classify(text, bidder=bidder)
            if scores:
                candidates += [(score, name, col) for name, score in scores.items()]
                break
    columns: dict[str, int] = {}
    total = 0.0
    for score, name, col in sorted(candidates, key=lambda c: (-c[0], c[2])):
        if name not in columns and col not in columns.values():
            columns[name] = col
            total += min(score, 100)
    return columns, total


def _header_labels(sheet: SheetReader, row: int, end: int) -> dict[int, list[str]]:
    labels: dict[int, list[str]] = {}
    for col in range(1, sheet.max_column + 1):
        texts = [sheet.text(r, col)[0] for r in range(end, row - 1, -1)]
        texts = list(dict.fromkeys(t for t in texts if t))
        if len(texts) > 1:
            texts.append(" ".join(reversed(texts)))
        if texts:
            labels[col] = texts
    return labels


def _find_header(sheet: SheetReader) -> tuple[int, int, dict[str, int], float]:
    """(header row, last header row, columns, score); row 0 when no row names a text column."""
    best = (0, 0, {}, 0.0)
    for row in range(1, min(sheet.max_row, MAX_HEADER_ROW) + 1):
        end = _header_block(sheet, row)
        columns, score = _assign(_header_labels(sheet, row, end))
        if "text" in columns and len(columns) >= 2 and score > best[3]:
            best = (row, end, columns, score)
    return best


def _data_rows(sheet: SheetReader, first_row: int, text_col: int) -> int:
    return sum(1 for row in range(first_row, sheet.max_row + 1) if sheet.text(row, text_col)[0])


def detect_layout(book: WorkbookReader, sheet: str | None = None, columns: Mapping[str, str] | None = None) -> Layout:
    """The sheet (the one with most requirement rows unless named), its header and columns.

    `columns` (letters, from --columns) override what detection found; a
    letter past the sheet's last used column is an error naming the sheet.
    """
    columns = dict(columns or {})
    if sheet is not None:
        title = next((t for t in book.sheet_names if t == sheet), None) or next(
            (t for t in book.sheet_names if t.casefold() == sheet.strip().casefold()), None)
        if title is None:
            raise InputError(f"no sheet {sheet!r}; the workbook has {', '.join(book.sheet_names)}",
                             where=Location(file=book.file))
        candidates = [title]
    else:
        candidates = book.sheet_names
    found, narrow = [], []
    for title in candidates:
        reader = SheetReader(book, title)
        row, end, detected, _ = _find_header(reader)
        # Checked before reading the column: openpyxl adds every cell it is asked for to the sheet.
        beyond = [(name, letter) for name, letter in columns.items()
                  if column_index_from_string(letter) > reader.max_column]
        if beyond:
            name, letter = beyond[0]
            narrow.append((not detected, InputError(
                f"--columns {name}={letter}: the sheet's last used column is {get_column_letter(reader.max_column)}",
                where=Location(file=book.file, sheet=title, column=letter))))
            continue
        chosen = {**detected, **{k: column_index_from_string(v) for k, v in columns.items()}}
        if "text" not in chosen:
            continue
        if not row:
            row = end = _unnamed_header(reader, chosen)
        first = end + 1
        found.append((_data_rows(reader, first, chosen["text"]), bool(detected), -len(found), title, row, first,
                      chosen))
    if not found and narrow:
        raise min(narrow, key=lambda item: item[0])[1]
    if not found:
        where = Location(file=book.file, sheet=candidates[0] if sheet is not None else None)
        looked = f"sheet {sheet}" if sheet is not None else f"sheets {', '.join(book.sheet_names)}"
        raise InputError(f"no header row found in the first {MAX_HEADER_ROW} rows of {looked}: expected headers "
                         "such as 序号 / 技术要求 / 是否★ or No. / Requirement / Mandatory; name the columns with "
                         "--columns id=A,text=C,priority=D (and the sheet with --sheet)", where=where)
    *_, title, row, first, chosen = max(found)
    reader = SheetReader(book, title)
    star = False
    if "priority" in chosen and row:
        label = " ".join(reader.text(r, chosen["priority"])[0] or "" for r in range(row, first))
        star = "★" in label or "实质性" in label
    return Layout(title, row, first, chosen, star)


def _unnamed_header(sheet: SheetReader, columns: dict[str, int]) -> int:
    """With --columns and headers docgen cannot read: the first row of several cells, unless it is data.

    A title is one (merged) cell; a row whose id cell holds a digit is already a requirement.
    """
    for row in range(1, min(sheet.max_row, MAX_HEADER_ROW) + 1):
        values = {sheet.text(row, col)[0] for col in range(1, sheet.max_column + 1)} - {None}
        if len(values) < 2:
            continue
        ident = sheet.text(row, columns["id"])[0] if "id" in columns else None
        return 0 if ident and re.search(r"\d", ident) else row
    return 0


# --- reading rows ---------------------------------------------------------------------------------

def priority_of(value: str | None, *, star_column: bool = False, marked: bool = False) -> str:
    """★/必须/是/mandatory/M/yes -> must; 否/可选/optional/nice to have -> could; else should.

    In a ★ column (是否★, 实质性条款) 否 only says "not a ★ clause": should.
    A requirement whose id or text starts with ★ is a must when the cell says nothing.
    """
    if not value:
        return "must" if marked else "should"
    if "★" in value:
        return "must"
    word = _norm(value.split()[0]) if value.split() else ""
    whole = _norm(value)
    if word in _MUST or whole in _MUST:
        return "must"
    if word in _COULD or whole in _COULD:
        return "should" if star_column else "could"
    return "should"


def _is_heading_id(text: str) -> bool:
    """An id cell that is really a section title: "一、存储系统", "3 Network", "一", "第二部分"."""
    if _CN_SECTION_ID.match(text):
        return True
    rest = _SECTION_NUMBER.sub("", text, count=1)
    return len(re.findall(r"[A-Za-z]{2,}|[\u3400-\u9fff]", rest)) >= 2 and len(text) <= HEADING_CHARS


def heading_category(text: str) -> str:
    """"一、存储系统" -> 存储系统, "3 Network" -> Network; the text itself when nothing is left."""
    rest = _SECTION_NUMBER.sub("", text, count=1).strip(" :：、.")
    return rest or text.strip()


def _short(text: str) -> bool:
    return len(text) <= HEADING_CHARS and "\n" not in text


def read_questionnaire(path: str | Path, *, sheet: str | None = None, columns: str | None = None) -> Questionnaire:
    """The client's requirements with the place of each; InputError listing every unreadable cell."""
    book = open_workbook(path)
    layout = detect_layout(book, sheet, parse_columns(columns))
    reader = SheetReader(book, layout.sheet)
    cols = layout.columns
    warnings: list[str] = []
    rows: list[tuple[int, str | None, str, str | None, str | None, str | None, int]] = []
    section, ordinal = None, 0
    ids_below = _id_rows(reader, layout)

    def cell(row: int, name: str) -> str | None:
        return reader.text(row, cols[name], name)[0] if name in cols else None

    for row in range(layout.first_row, reader.max_row + 1):
        ident, text = cell(row, "id"), cell(row, "text")
        if not ident and not text:
            continue
        mark = cell(row, "priority")
        if ident and (ident == text or not text and _is_heading_id(ident)):
            section, ordinal = heading_category(ident), ordinal + 1  # a merged or title-only row
            continue
        if ident and text and not mark and _short(text) and (_CN_SECTION_ID.match(ident)
                                                             or _parent_of_next(ident, row, ids_below)):
            section, ordinal = text.strip(), ordinal + 1  # "一 | 存储系统", "3 | Network" over 3.1, 3.2
            continue
        if not text:
            warnings.append(f"{_at(layout, row)}: id {ident!r} has no requirement text; row skipped")
            continue
        if not ident and not mark and _short(text) and ("id" in cols or _SECTION_NUMBER.match(text)):
            section, ordinal = heading_category(text), ordinal + 1
            continue
        if not ident and "id" in cols:
            warnings.append(f"{_at(layout, row)}: requirement without an id; written as R{row}")
        rows.append((row, ident, text, mark, section, cell(row, "category"), ordinal, cell(row, "notes")))

    # A formula without a saved result: an error where it hides a requirement, a warning in 备注.
    needed = {get_column_letter(cols[name]) for name in ("id", "text", "priority", "category") if name in cols}
    read = list({(p.where.row, p.where.column): p for p in book.problems
                 if p.where.sheet == layout.sheet and (p.where.row or 0) >= layout.first_row}.values())
    if any(p.where.column in needed for p in read):
        raise InputError([p for p in read if p.where.column in needed])
    warnings += [f"{p}; notes left empty" for p in read if "notes" in cols and p.where.column == layout.letter("notes")]
    if not rows:
        raise InputError(f"no requirement rows under the header (row {layout.header_row}); check --sheet and "
                         f"--columns", where=Location(file=book.file, sheet=layout.sheet))
    language = "zh" if sum(bool(_CJK.search(r[2])) for r in rows) >= 0.2 * len(rows) else "en"
    ids, note = _unique_ids(rows)
    if note:
        warnings.append(note)
    requirements = []
    for (row, ident, text, mark, section_name, category, _, notes), new_id in zip(rows, ids):
        marked = (ident or "").lstrip().startswith("★") or text.lstrip().startswith("★")
        requirements.append(ImportedRequirement(
            id=new_id, text=text, row=row,
            category=category or section_name or GENERAL_CATEGORY[language],
            priority=priority_of(mark, star_column=layout.star_column, marked=marked),
            notes=notes or "",
        ))
    if not any(r[4] or r[5] for r in rows):
        warnings.append(f"no category column and no section headings: every requirement is in category "
                        f"{GENERAL_CATEGORY[language]!r}; give them categories before building a draft")
    return Questionnaire(book.file, layout, language, tuple(requirements), tuple(warnings))


def _at(layout: Layout, row: int) -> str:
    return f"sheet {layout.sheet}, row {row}"


def _id_rows(reader: SheetReader, layout: Layout) -> list[tuple[int, str]]:
    if "id" not in layout.columns:
        return []
    found = []
    for row in range(layout.first_row, reader.max_row + 1):
        value = reader.text(row, layout.columns["id"])[0]
        if value:
            found.append((row, value))
    return found


def _parent_of_next(ident: str, row: int, ids_below: list[tuple[int, str]]) -> bool:
    """"3" followed by "3.1": a numbered heading over its clauses."""
    following = next((value for r, value in ids_below if r > row), None)
    return bool(following) and following.startswith(ident.rstrip(".") + ".")


def _unique_ids(rows: list[tuple]) -> tuple[list[str], str | None]:
    """The client's ids as typed when unique; when numbering restarts under each heading, heading-number-id.

    A row without an id gets R<row>: the row of the client's sheet.
    """
    ids = [ident or f"R{row}" for row, ident, *_ in rows]
    if len({i.casefold() for i in ids}) == len(ids):
        return ids, None
    qualified = [f"{r[6]}-{i}" if r[1] else i for r, i in zip(rows, ids)]
    if len({i.casefold() for i in qualified}) == len(qualified):
        return qualified, ("ids repeat under each section heading: written as <heading number>-<id> (1-3 = heading "
                           "1, id 3); `docgen proposal respond` finds each by the row recorded in the file")
    counts = Counter(i.casefold() for i in ids)
    unique = [f"{i} (row {r[0]})" if counts[i.casefold()] > 1 else i for r, i in zip(rows, ids)]
    return unique, "some ids repeat: each repeated id is written with its row, e.g. '3 (row 12)'"


# --- the requirements file ---------------------------------------------------------------------

def _scalar(value: str) -> str:
    """`value` as one line of YAML that loads back exactly (quoted when it has to be)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=float("inf"))
    dumped = dumped.removesuffix("\n...\n").removesuffix("\n")
    if any(brk in dumped for brk in "\n\x85\u2028\u2029"):  # YAML breaks lines at NEL, LS and PS too
        dumped = yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_style='"').rstrip("\n")
    return dumped


def _comment(text: str) -> str:
    """Text safe inside a YAML comment: no line breaks (YAML also breaks at NEL, LS, PS) or controls."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]", " ", text)


def questionnaire_yaml(q: Questionnaire) -> str:
    layout = q.layout
    shown = ", ".join(f"{name}={layout.letter(name)}" for name in (*IMPORT_FIELDS, *ANSWER_FIELDS)
                      if name in layout.columns)
    record = {"file": Path(q.file).name, "sheet": layout.sheet, "header_row": layout.header_row,
              "first_row": layout.first_row,
              "columns": {name: layout.letter(name) for name in IMPORT_FIELDS if name in layout.columns}}
    lines = [
        "# 由 docgen requirements import 从客户问卷生成 / made by `docgen requirements import` from the client's sheet",
        _comment(f"# source: {Path(q.file).name}, sheet {layout.sheet}, header row {layout.header_row or '-'}, "
                 f"columns {shown}"),
        ("# 请填写标有 待填写 的客户字段,再运行 docgen requirements check / fill in the client fields marked "
         "TO FILL, then run docgen requirements check"),
        "# 每条需求后的 row 是客户表中的行号,docgen proposal respond 据此写回应答 / `row` = the row in the client's sheet",
        RECORD_MARK + json.dumps(record, ensure_ascii=True),
        "client:",
        "  # 待填写 / TO FILL: 客户全称 / the client's full name",
        "  name:",
        ("  # 待填写 / TO FILL: finance, government, manufacturing, energy, healthcare, education, telecom, retail, "
         "transport, internet, other (或 金融、政府、制造……)"),
        "  industry:",
        f"  language: {q.language}",
        "  # 待填写 / TO FILL: 售前负责人,只填一人 / exactly one presales owner",
        "  presales_owner:",
        "requirements:",
    ]
    for r in q.requirements:
        lines.append(f"  - id: {_scalar(r.id)}  # row {r.row}")
        lines.append(f"    category: {_scalar(r.category)}")
        lines.append(f"    text: {_scalar(r.text)}")
        lines.append(f"    priority: {r.priority}")
        if r.notes:
            lines.append(f"    notes: {_scalar(r.notes)}")
    return "\n".join(lines) + "\n"


def import_questionnaire(path: str | Path, out: str | Path, *, sheet: str | None = None,
                         columns: str | None = None, force: bool = False) -> tuple[Path, Questionnaire]:
    """Read the client's workbook and write the requirements file for the presales owner to complete."""
    check_writable(out, force)
    q = read_questionnaire(path, sheet=sheet, columns=columns)
    return write_atomic(out, questionnaire_yaml(q).encode("utf-8"), force=force), q


@dataclass(frozen=True)
class ImportRecord:
    """What `requirements import` recorded in a requirements file: sheet, columns, row of each requirement."""

    sheet: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    rows: Mapping[int, int] = field(default_factory=dict)  # YAML line of `- id:` -> row in the client's sheet


def read_import_record(path: str | Path) -> ImportRecord:
    """The record in a file written by `requirements import`; empty for any other file."""
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        return ImportRecord()
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return ImportRecord()
    sheet, columns, rows = None, {}, {}
    for number, line in enumerate(lines, start=1):
        if line.startswith(RECORD_MARK) and sheet is None:
            try:
                data = json.loads(line[len(RECORD_MARK):])
                sheet, columns = str(data["sheet"]), {str(k): str(v) for k, v in dict(data["columns"]).items()}
            except (ValueError, KeyError, TypeError):
                sheet, columns = None, {}
        elif line.lstrip().startswith("- id:"):
            found = _ROW_COMMENT.search(line)
            if found:
                rows[number] = int(found.group(1))
    return ImportRecord(sheet, columns, rows)
