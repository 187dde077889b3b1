"""行业客户需求分析表: what clients of each industry ask for, across many requirements files.

`analyze()` is pure (models in, frozen rows out); `build_workbook()` lays the
rows out in Excel. Categories and tags are grouped through the synonym groups
(synonyms.yaml: 灾备 = 容灾 = Disaster recovery) and shown under a name in the
analysis language. The workbook: an overview sheet with a bar chart, then one sheet per
industry with each category and tag, how many clients asked, how often as a
must-have, example texts and the clients.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from docgen.core.config import bundled_path
from docgen.core.errors import InputError, Location
from docgen.core.output import check_writable, write_atomic
from docgen.core.synonyms import CJK_RUN, Synonyms, bundled_synonyms_path, load_synonyms
from docgen.core.vocabulary import INDUSTRIES, INDUSTRY_NAMES_ZH
from docgen.core.workbook_style import BORDER, fit_row_heights, header_cell, print_setup
from docgen.intake.form import write_form
from docgen.intake.models import Requirement, RequirementsFile
from docgen.intake.requirements import load_requirements

MAX_EXAMPLES = 3
CHART_CATEGORIES = 15  # the chart shows the most-asked categories
_WRAP = Alignment(wrap_text=True, vertical="top")
_COLUMNS = [  # header, width
    ("kind 类型", 12), ("name 名称", 22), ("clients asking 提出客户数", 14), ("requirements 需求条数", 12),
    ("must-have 必须条数", 12), ("must-have share 必须占比", 12), ("examples 示例需求", 60), ("clients 客户", 40),
]


@dataclass(frozen=True)
class NeedRow:
    kind: str  # "category" or "tag"
    name: str
    clients: tuple[str, ...]
    requirement_count: int
    must_count: int
    examples: tuple[str, ...]

    @property
    def must_share(self) -> float:
        return self.must_count / self.requirement_count if self.requirement_count else 0.0


@dataclass(frozen=True)
class IndustryAnalysis:
    industry: str
    clients: tuple[str, ...]
    requirement_count: int
    must_count: int
    rows: tuple[NeedRow, ...]


@dataclass(frozen=True)
class Analysis:
    industries: tuple[IndustryAnalysis, ...]
    categories: tuple[NeedRow, ...]  # every category across all industries
    duplicates: tuple[str, ...]  # sources skipped because an equal file came first


def load_all(paths: Iterable[str | Path]) -> list[RequirementsFile]:
    """Load every file; one InputError listing the problems of all of them."""
    files, problems = [], []
    for path in paths:
        try:
            files.append(load_requirements(path))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return files


def analyze(files: Sequence[RequirementsFile], synonyms: Synonyms | None = None, language: str = "zh") -> Analysis:
    """Count needs per industry; `synonyms` (default none) merges names, shown in `language` (zh or en)."""
    namer = _Namer(synonyms or Synonyms(), language)
    unique: list[RequirementsFile] = []
    duplicates = []
    for req in files:
        # A YAML file and its xlsx twin describe one client: count it once.
        if req in unique:
            duplicates.append(req.source)
        else:
            unique.append(req)
    industries = []
    for industry in INDUSTRIES:
        members = [req for req in unique if req.client.industry == industry]
        if not members:
            continue
        pairs = [(req.client.name, r) for req in members for r in req.requirements]
        industries.append(IndustryAnalysis(
            industry=industry,
            clients=tuple(dict.fromkeys(req.client.name for req in members)),
            requirement_count=len(pairs),
            must_count=sum(r.priority == "must" for _, r in pairs),
            rows=_needs("category", pairs, namer) + _needs("tag", pairs, namer),
        ))
    everything = [(req.client.name, r) for req in unique for r in req.requirements]
    return Analysis(tuple(industries), _needs("category", everything, namer), tuple(duplicates))


class _Namer:
    """One key per need (a synonym group, else the name in any case) and the name to show for it."""

    def __init__(self, synonyms: Synonyms, language: str) -> None:
        self.synonyms, self.language = synonyms, language

    def key(self, name: str) -> str:
        group = self.synonyms.group_of(name)
        return f"={group}" if group is not None else name.casefold()  # "Backup" and "backup" are one need

    def name(self, key: str, written: list[str]) -> str:
        """The name most often written in the analysis language, else the group's word in it, else as written."""
        own = [name for name in written if self._in_language(name)]
        if own:
            return max(dict.fromkeys(own), key=own.count)  # ties: the first one seen
        if key.startswith("="):
            word = next((w for w in self.synonyms.groups[int(key[1:])] if self._in_language(w)), None)
            if word is not None:
                # The file stores words lower-cased; "backup" reads as "Backup", acronyms (sso, mes) stay.
                return word.capitalize() if len(word) > 3 and word.replace(" ", "").isalpha() else word
        return max(dict.fromkeys(written), key=written.count)

    def _in_language(self, name: str) -> bool:
        return bool(CJK_RUN.search(name)) == (self.language == "zh")


def _needs(kind: str, pairs: list[tuple[str, Requirement]], namer: _Namer) -> tuple[NeedRow, ...]:
    groups: dict[str, list[tuple[str, Requirement]]] = {}
    written: dict[str, list[str]] = {}
    for client, req in pairs:
        keys = {}  # tags 灾备 and disaster-recovery on one requirement count it once
        for name in ((req.category,) if kind == "category" else req.tags):
            keys.setdefault(namer.key(name), []).append(name)
        for key, names in keys.items():
            written.setdefault(key, []).extend(names)
            groups.setdefault(key, []).append((client, req))
    rows = [
        NeedRow(
            kind=kind,
            name=namer.name(key, written[key]),
            clients=tuple(dict.fromkeys(client for client, _ in members)),
            requirement_count=len(members),
            must_count=sum(r.priority == "must" for _, r in members),
            examples=tuple(f"{r.text} ({client})" for client, r in _by_priority(members)[:MAX_EXAMPLES]),
        )
        for key, members in groups.items()
    ]
    rows.sort(key=lambda row: (-len(row.clients), -row.must_count, -row.requirement_count, row.name))
    return tuple(rows)


def _by_priority(members: list[tuple[str, Requirement]]) -> list[tuple[str, Requirement]]:
    order = {"must": 0, "should": 1, "could": 2}
    return sorted(members, key=lambda pair: order[pair[1].priority])


# --- workbook ---------------------------------------------------------------

def build_workbook(analysis: Analysis) -> Workbook:
    book = Workbook()
    _overview(book.active, analysis)
    for item in analysis.industries:
        _industry_sheet(book.create_sheet(f"{item.industry} {INDUSTRY_NAMES_ZH[item.industry]}"), item)
    return book


def write_analysis(paths: Iterable[str | Path], out: str | Path, *, force: bool = False, language: str = "zh",
                   synonyms: str | Path | None = None) -> tuple[Path, Analysis]:
    """`docgen requirements analyze`: load every file, write the table.

    `synonyms` is a synonyms.yaml (default: the bundled casebook's).
    """
    check_writable(out, force)  # before the loading work, not after
    if synonyms and not Path(synonyms).is_file():
        raise InputError("synonyms file not found", where=Location(file=str(synonyms)))
    groups = load_synonyms(synonyms or bundled_synonyms_path())
    analysis = analyze(load_all(paths), groups, language)
    return write_atomic(out, build_workbook(analysis).save, force=force), analysis


def _overview(sheet: Worksheet, analysis: Analysis) -> None:
    sheet.title = "Overview 总览"
    sheet["A1"] = "行业客户需求分析表 Industry requirement analysis"
    sheet["A1"].font = Font(bold=True, size=14)
    _table(sheet, 3, ["industry 行业", "clients 客户", "clients 客户数", "requirements 需求条数", "must-have 必须条数"],
           [[f"{i.industry} {INDUSTRY_NAMES_ZH[i.industry]}", "、".join(i.clients), len(i.clients),
             i.requirement_count, i.must_count] for i in analysis.industries])
    # The chart sits between the industry summary and the category detail.
    chart_row = 5 + len(analysis.industries)
    shown = analysis.categories[:CHART_CATEGORIES]
    chart_rows = int(max(7.5, 0.55 * len(shown) + 3) / 0.5) + 2
    start = chart_row + (chart_rows if shown else 0) + 1
    sheet.cell(row=start - 1, column=1, value="All industries, by category 全部行业按类别").font = Font(bold=True)
    _table(sheet, start, [header for header, _ in _COLUMNS], [_row_values(row) for row in analysis.categories])
    _layout(sheet, start)
    if shown:
        sheet.add_chart(_chart(sheet, start, len(shown)), f"A{chart_row}")


def _chart(sheet: Worksheet, header_row: int, count: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"  # horizontal bars keep long Chinese category names readable
    chart.title = "Clients asking, by category 各类需求的客户数"
    chart.y_axis.title = "clients 客户数"
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorUnit = 1
    chart.x_axis.scaling.orientation = "maxMin"  # the most-asked category on top
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl hides axes by default
    chart.x_axis.tickLblSkip = 1  # label every category, not every other one
    last = header_row + count
    for col in (3, 5):  # clients asking, must-have requirements
        chart.add_data(Reference(sheet, min_col=col, min_row=header_row, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=header_row + 1, max_row=last))
    chart.height = max(7.5, 0.55 * count + 3)
    chart.width = 22
    return chart


def _industry_sheet(sheet: Worksheet, item: IndustryAnalysis) -> None:
    sheet["A1"] = (f"行业客户需求分析表 — {item.industry} {INDUSTRY_NAMES_ZH[item.industry]}: "
                   f"{len(item.clients)} clients 客户, {item.requirement_count} requirements 条需求")
    sheet["A1"].font = Font(bold=True, size=13)
    _table(sheet, 3, [header for header, _ in _COLUMNS], [_row_values(row) for row in item.rows])
    _layout(sheet, 3)
    sheet.freeze_panes = "C4"


def _row_values(row: NeedRow) -> list[object]:
    return [
        "category 类别" if row.kind == "category" else "tag 标签", row.name, len(row.clients),
        row.requirement_count, row.must_count, row.must_share, "\n".join(row.examples), "、".join(row.clients),
    ]


def _table(sheet: Worksheet, first_row: int, headers: list[str], rows: list[list[object]]) -> None:
    for col, header in enumerate(headers, start=1):
        header_cell(sheet.cell(row=first_row, column=col, value=header))
    for offset, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=first_row + offset, column=col, value=value)
            cell.alignment, cell.border = _WRAP, BORDER
            if isinstance(value, float):
                cell.number_format = "0%"


def _layout(sheet: Worksheet, header_row: int) -> None:
    """Column widths, row heights for wrapped text (openpyxl does not fit them), landscape print
    with the table's header row on every page."""
    widths = [width for _, width in _COLUMNS]
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    fit_row_heights(sheet, widths, 2, sheet.max_row)
    print_setup(sheet, lang="zh", landscape=True, title_rows=f"{header_row}:{header_row}")


# --- demo -------------------------------------------------------------------

def example_files() -> list[Path]:
    """The bundled example clients (YAML; their xlsx twins hold the same data)."""
    return sorted(bundled_path("requirements_forms").glob("example-*.yaml"))


def demo(out_dir: str | Path, *, force: bool = False) -> list[Path]:
    """For `docgen demo`: the blank intake form and the analysis table of the bundled examples."""
    out_dir = Path(out_dir)
    form = write_form(out_dir / "intake-form-zh.xlsx", "zh", force=force)
    table, _ = write_analysis(example_files(), out_dir / "requirements-analysis.xlsx", force=force)
    return [form, table]
