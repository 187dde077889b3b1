"""Review packets in batches: blank forms, filled packets, summary.xlsx, PDFs.

fill() validates the whole score workbook and every output name before it
writes anything, so bad input leaves the output folder untouched. It renders
with one prepared DocumentTemplate per process (`jobs` processes), then writes
summary.xlsx and, on request, one PDF per packet plus print-all.pdf.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from docgen import __version__
from docgen.core.config import Settings, bundled_path
from docgen.core.errors import InputError, Location, Problems
from docgen.core.output import StagedFolder, check_writable, safe_filename, write_atomic
from docgen.core.pdf import convert_to_pdf, find_soffice, merge_pdfs
from docgen.core.render import DocumentTemplate
from docgen.core.workbook_style import labeled, write_table
from docgen.review.labels import zh_punct
from docgen.review.packet import (
    CONTINUED_FIELDS,
    FONT_FLOOR,
    PAGES,
    RULE_MARK,
    Overflow,
    blank_context,
    filled_context,
    packet_pages,
)
from docgen.review.roles import DEFAULT_TOP_SHARE_MIN_HEADCOUNT, Role, load_role
from docgen.review.scoresheet import EmployeeScores, ScoreSheet, read_scoresheet
from docgen.review.scoring import RULE_TOLERANCE, RuleGap, format_points, rule_gaps

SUMMARY = "summary.xlsx"
PRINT_ALL = "print-all.pdf"
SUMMARY_COLUMNS = ("employee_id", "name", "kpi_total", "behavior_total", "adjustment", "total", "grade")
GRADES = ("S", "A", "B", "C", "D")
# The sheets of summary.xlsx and their columns (docs/score-workbook.md).
SUMMARY_SHEETS = {
    "Summary": (*SUMMARY_COLUMNS, "department", "file", "pages"),
    "Departments": ("department", "headcount", "mean", *GRADES, "top_share", "warning"),
    "Comments": ("employee_id", "name", "field", "full_text"),
    "Warnings": ("warning",),
}


@dataclass(frozen=True)
class FillOptions:
    lang: str = "zh"
    pdf: bool = False
    jobs: int = 1
    force: bool = False
    top_share_limit: float | None = None  # None: the role's (30 % by default)
    top_share_min_headcount: int | None = None  # None: the role's (5 by default)
    settings: Settings = field(default_factory=Settings)


@dataclass(frozen=True)
class FillResult:
    packets: tuple[Path, ...]
    summary: Path
    pdfs: tuple[Path, ...] = ()
    merged_pdf: Path | None = None
    warnings: tuple[str, ...] = ()


def template_path(lang: str, settings: Settings | None = None) -> Path:
    return (settings or Settings()).template_path(f"review/packet_{lang}.docx")


# --- blank ---------------------------------------------------------------------------------

def blank(role: Role, out: str | Path, *, lang: str = "zh", pdf: bool = False, force: bool = False,
          settings: Settings | None = None) -> list[Path]:
    """A blank packet for printing; with pdf=True also its PDF next to it."""
    out = Path(out)
    check_writable(out, force)
    if pdf:
        find_soffice()
        check_writable(out.with_suffix(".pdf"), force)
    template = DocumentTemplate(template_path(lang, settings), settings=settings)
    template.set_properties(packet_properties(role, lang, blank=True))
    template.set_core_properties(**packet_core_properties(role, lang, settings))
    written = [template.render_to(out, blank_context(role, lang, settings).context, force=force)]
    if pdf:
        written += convert_to_pdf(written, out.parent, force=force)
    return written


# --- fill: planning (no writes) ----------------------------------------------------------------

def packet_name(person: EmployeeScores) -> str:
    return safe_filename(f"{person.employee_id}_{person.name}") + ".docx"


def _plan(people: tuple[EmployeeScores, ...], out_dir: Path, options: FillOptions, source: str) -> list[Path]:
    """Every output path, checked before anything is written."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} is a file; expected an output folder")
    if options.pdf:
        find_soffice()  # no LibreOffice: fail now, not after the packets are written
    problems = Problems()
    seen: dict[str, EmployeeScores] = {}
    paths = []
    for person in people:
        name = packet_name(person)
        other = seen.get(name.lower())  # case-insensitive file systems count too
        if other is not None:
            problems.add(Location(file=source, sheet="Scores", row=person.row, column="employee_id"),
                         f"file name {name} is also used by row {other.row}; make the employee_id or name differ")
        seen[name.lower()] = person
        paths.append(out_dir / name)
    problems.raise_if_any()
    others = [out_dir / SUMMARY]
    if options.pdf:
        others += [p.with_suffix(".pdf") for p in paths] + [out_dir / PRINT_ALL]
    for path in paths + others:
        check_writable(path, options.force)
    return paths


# --- fill: rendering, one prepared template per process ------------------------------------------

_WORKER: dict = {}


def _init_worker(path: Path, settings: Settings, role: Role, lang: str, force: bool) -> None:
    template = DocumentTemplate(path, settings=settings)
    template.set_properties(packet_properties(role, lang, blank=False))
    template.set_core_properties(**packet_core_properties(role, lang, settings))
    _WORKER.update(template=template, settings=settings, role=role, lang=lang, force=force)


def packet_properties(role: Role, lang: str, *, blank: bool) -> dict[str, str]:
    """What a packet records about itself (an internal HR record: `proposal release` refuses it)."""
    return {"kind": "packet", "role": role.id, "language": lang, "blank": "yes" if blank else "no",
            "generator": f"docgen {__version__}"}


def packet_core_properties(role: Role, lang: str, settings: Settings | None) -> dict:
    """File › Info of a packet: the role's form title, the company as author, created now (one batch, one moment)."""
    company = (settings or Settings()).company(lang)
    return {"title": role.text("title", lang), "creator": company, "created": dt.datetime.now(dt.timezone.utc)}


def _render_one(task: tuple[int, EmployeeScores, Path]) -> tuple[int, tuple[Overflow, ...]]:
    index, person, out = task
    packet = filled_context(_WORKER["role"], person, _WORKER["lang"], _WORKER["settings"])
    _WORKER["template"].render_to(out, packet.context, force=_WORKER["force"])
    return index, packet.overflows


def _render_all(role: Role, people, paths, options: FillOptions, progress) -> dict[int, tuple[Overflow, ...]]:
    path = template_path(options.lang, options.settings)
    tasks = [(i, person, out) for i, (person, out) in enumerate(zip(people, paths))]
    init = (path, options.settings, role, options.lang, options.force)
    results: dict[int, tuple[Overflow, ...]] = {}
    if options.jobs <= 1 or len(tasks) < 2:
        _init_worker(*init)
        for task in tasks:
            index, overflows = _render_one(task)
            results[index] = overflows
            if progress:
                progress(1)
        return results
    DocumentTemplate(path, settings=options.settings)  # fail here, in one process, if the template is broken
    jobs = min(options.jobs, len(tasks))
    chunk = max(1, min(50, len(tasks) // (jobs * 4)))
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker, initargs=init) as pool:
        for index, overflows in pool.imap_unordered(_render_one, tasks, chunksize=chunk):
            results[index] = overflows
            if progress:
                progress(1)
    return results


# --- summary.xlsx -------------------------------------------------------------------------------

# Header labels after each key (contract 4: readers match on the key before the first space).
SUMMARY_LABELS = {
    "zh": {"employee_id": "工号", "name": "姓名", "kpi_total": "关键指标得分", "behavior_total": "工作表现得分",
           "adjustment": "加减分", "total": "综合得分", "grade": "绩效等级", "department": "部门", "file": "文件",
           "pages": "页数", "headcount": "人数", "mean": "平均分", "top_share": "S+A 占比", "warning": "提示",
           "field": "栏目", "full_text": "全文"},
    "en": {"employee_id": "ID", "name": "Name", "kpi_total": "KPI score", "behavior_total": "Work performance",
           "adjustment": "Adjustment", "total": "Total", "grade": "Grade", "department": "Department", "file": "File",
           "pages": "Pages", "headcount": "Headcount", "mean": "Mean", "top_share": "S+A share", "warning": "Warning",
           "field": "Field", "full_text": "Full text"},
}


@dataclass(frozen=True)
class Note:
    """A warning in both languages: summary.xlsx speaks the packets' language, the CLI English."""
    en: str
    zh: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _reader_note(problem) -> Note:
    """A score-workbook warning with its place said in Chinese too (English where the reader has no zh)."""
    if not problem.zh:
        return Note(str(problem), str(problem))
    w = problem.where
    place = "，".join(p for p in (w.file, w.sheet and f"{w.sheet} 表", w.row is not None and f"第 {w.row} 行",
                                  w.column and f"{w.column} 列") if p)
    return Note(str(problem), f"{place}：{problem.zh}" if place else problem.zh)


def department_stats(people, limit: float, min_headcount: int = DEFAULT_TOP_SHARE_MIN_HEADCOUNT,
                     lang: str = "en") -> tuple[list[list], list[Note]]:
    """Rows of the Departments sheet and the forced-distribution warnings.

    The S+A share is checked only in departments of at least `min_headcount` people: in a team
    of three one A is 33 %, which says nothing. Smaller teams are reported, not flagged.
    """
    by_dept: dict[str, list[EmployeeScores]] = {}
    for person in people:
        by_dept.setdefault(person.department or "—", []).append(person)
    rows, warnings = [], []
    for dept, members in sorted(by_dept.items()):
        grades = Counter(p.totals.grade for p in members)
        mean = round(float(sum(p.totals.total for p in members)) / len(members), 2)
        top = grades["S"] + grades["A"]
        share = top / len(members)
        percent, most = f"{share:.0%}", f"{limit:.0%}"
        checked = len(members) >= min_headcount
        over = checked and share > limit + 1e-9
        if not checked:
            note = Note(f"fewer than {min_headcount} people: share not checked", zh_punct(f"不足 {min_headcount} 人,不做比例校验"))
        elif over:
            note = Note(f"S+A {percent} > {most}", f"S+A {percent} 超过 {most}")
        else:
            note = Note("", "")
        rows.append([dept, len(members), mean, *(grades[g] for g in GRADES), round(share, 4), note.text(lang)])
        if over:
            warnings.append(Note(
                f"department {dept}: {top} of {len(members)} graded S or A ({percent}), above the {most} limit; "
                "calibrate before the results go out",
                zh_punct("部门 {}:{} 人中 {} 人为 S 或 A({}),超过 {} 的上限;请在结果发布前完成等级校准")
                .format(dept, len(members), top, percent, most)))
    return rows, warnings


def _overflow_note(person: EmployeeScores, overflow: Overflow, pages: int) -> Note:
    zh_field = CONTINUED_FIELDS[overflow.field][0]
    return Note(
        f"{person.employee_id} {person.name}: {overflow.field} does not fit its box even at {FONT_FLOOR:g} pt; the box "
        f"prints its start and the full text is on page {PAGES + 1} (Continuation): this packet has {pages} pages",
        zh_punct("{} {}:{}在 {} 磅字号下仍超出栏位;该栏只印开头,全文印在第 {} 页附页,本册共 {} 页")
        .format(person.employee_id, person.name, zh_punct(zh_field), f"{FONT_FLOOR:g}", PAGES + 1, pages))


def _gap_note(person: EmployeeScores, gap: RuleGap) -> Note:
    score, rule, diff = (format_points(v) for v in (gap.score, gap.rule_score, abs(gap.score - gap.rule_score)))
    return Note(
        f"{person.employee_id} {person.name}: {gap.code} manager score {score} differs from the {rule} its rule gives "
        f"by {diff} (more than {format_points(RULE_TOLERANCE)} points); marked {RULE_MARK} in the packet, HR to decide",
        zh_punct("{} {}:{} 上级评分 {} 与按规则计算的 {} 相差 {} 分(超过 {} 分),已在考核表中以 {} 标出,请人力资源部核定")
        .format(person.employee_id, person.name, gap.code, score, rule, diff, format_points(RULE_TOLERANCE), RULE_MARK))


def _header(lang: str, keys) -> list[str]:
    return [labeled(k, SUMMARY_LABELS[lang].get(k)) for k in keys]


# What each contract-named sheet is, printed at the top of its pages in the summary's language.
SHEET_TITLES = {"zh": {"Summary": "考核结果汇总", "Departments": "部门等级分布", "Comments": "评语与说明全文",
                       "Warnings": "需人力资源部核对的提示"},
                "en": {"Summary": "Appraisal results", "Departments": "Grades by department",
                       "Comments": "Comments in full", "Warnings": "For HR to check"}}


def _sheet(wb: Workbook, title: str, lang: str, rows, widths, landscape: bool = False) -> None:
    write_table(wb, title, _header(lang, SUMMARY_SHEETS[title]), rows, lang=lang, widths=widths, landscape=landscape,
                title=SHEET_TITLES[lang][title])


def write_summary(path: Path, people, paths, overflows: list[tuple[EmployeeScores, Overflow]], warnings: list[str],
                  dept_rows: list[list], force: bool, lang: str = "en", pages: dict[str, int] | None = None) -> Path:
    """summary.xlsx in `lang`: sheet names stay the contract's, headers are `key label`.

    Written in openpyxl's write-only mode: with tens of thousands of rows a normal-mode workbook
    held every styled cell in memory (issue 14's peak-RSS target)."""
    wb = Workbook(write_only=True)
    pages = pages or {}
    rows = [[p.employee_id, p.name, float(p.totals.kpi_total), float(p.totals.behavior_total), float(p.totals.adjustment),
             float(p.totals.total), p.totals.grade, p.department, out.name, pages.get(p.employee_id, PAGES)]
            for p, out in zip(people, paths)]
    _sheet(wb, "Summary", lang, rows, (13, 14, 12, 15, 12, 10, 9, 16, 30, 11), landscape=True)
    _sheet(wb, "Departments", lang, dept_rows, (16, 11, 9, 5, 5, 5, 5, 5, 11, 30), landscape=True)
    _sheet(wb, "Comments", lang, [[p.employee_id, p.name, o.field, o.text] for p, o in overflows], (12, 14, 18, 100),
           landscape=True)
    _sheet(wb, "Warnings", lang, [[w] for w in warnings], (120,), landscape=True)
    return write_atomic(path, lambda tmp: wb.save(tmp), force=force)


# --- fill ---------------------------------------------------------------------------------------

def fill(scores: str | Path, role: Role, out_dir: str | Path, options: FillOptions | None = None, progress=None, *,
         sheet: ScoreSheet | None = None) -> FillResult:
    """One packet per employee of a validated score workbook, plus summary.xlsx (and PDFs).

    `sheet`: the workbook already read by read_scoresheet (a caller that needed the count
    first), so that a large workbook is read once.
    """
    options = options or FillOptions()
    out_dir = Path(out_dir)
    if sheet is None:
        sheet = read_scoresheet(scores, role)  # raises with every problem before anything is written
    people = sheet.employees
    paths = _plan(people, out_dir, options, str(scores))
    # Everything is written into a staging folder beside out_dir and moved in as one set at
    # the end: a failure, a full disk or Ctrl-C leaves out_dir exactly as it was.
    with StagedFolder(out_dir, force=options.force) as stage:
        staged = [stage.path(p.name) for p in paths]
        results = _render_all(role, people, staged, options, progress)
        overflows = [(people[i], o) for i in sorted(results) for o in results[i]]
        pages = {people[i].employee_id: packet_pages(results[i]) for i in results}
        notes = [Note(f"removed {old.name}, left in {old.parent} by an earlier run that was killed",
                      f"已删除上次中断的运行留在 {old.parent} 的 {old.name}")
                 for old in stage.removed_leftovers]
        notes += [_reader_note(w) for w in sheet.warnings]
        notes += [_overflow_note(p, o, pages[p.employee_id]) for p, o in overflows]
        notes += [_gap_note(p, gap) for p in people for gap in rule_gaps(role, p.kpis)]
        limit = options.top_share_limit if options.top_share_limit is not None else role.top_share_limit
        headcount = options.top_share_min_headcount or role.top_share_min_headcount
        dept_rows, dept_warnings = department_stats(people, limit, headcount, options.lang)
        notes += dept_warnings
        warnings = [n.en for n in notes]
        write_summary(stage.path(SUMMARY), people, paths, overflows, [n.text(options.lang) for n in notes], dept_rows,
                      True, options.lang, pages)
        if options.pdf:
            convert_to_pdf(staged, stage.staging, jobs=max(1, options.jobs), force=True)
            merge_pdfs([p.with_suffix(".pdf") for p in staged], stage.path(PRINT_ALL), force=True)
        stage.commit()
    summary = out_dir / SUMMARY
    pdfs = [p.with_suffix(".pdf") for p in paths] if options.pdf else []
    merged = out_dir / PRINT_ALL if options.pdf else None
    return FillResult(tuple(paths), summary, tuple(pdfs), merged, tuple(warnings))


# --- demo ---------------------------------------------------------------------------------------

EXAMPLE_SCORES = "review/example-scores.xlsx"


def demo(out_dir: Path, *, settings: Settings | None = None, force: bool = False) -> list[Path]:
    """Blank engineer forms (zh, en), a blank manager form (zh) and filled packets for the example workbook."""
    settings = settings or Settings()
    out_dir = Path(out_dir)
    engineer, manager = load_role("presales-engineer", settings), load_role("presales-manager", settings)
    written = []
    written += blank(engineer, out_dir / "review-blank-presales-engineer-zh.docx", lang="zh", force=force, settings=settings)
    written += blank(engineer, out_dir / "review-blank-presales-engineer-en.docx", lang="en", force=force, settings=settings)
    written += blank(manager, out_dir / "review-blank-presales-manager-zh.docx", lang="zh", force=force, settings=settings)
    result = fill(bundled_path("templates") / EXAMPLE_SCORES, engineer, out_dir / "review-filled",
                  FillOptions(force=force, settings=settings))
    return written + list(result.packets) + [result.summary]
