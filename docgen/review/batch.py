"""Review packets in batches: blank forms, filled packets, summary.xlsx, PDFs.

fill() validates the whole score workbook and every output name before it
writes anything, so bad input leaves the output folder untouched. It renders
with one prepared DocumentTemplate per process (`jobs` processes), then writes
summary.xlsx and, on request, one PDF per packet plus print-all.pdf.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from docgen import __version__
from docgen.core.config import Settings, bundled_path
from docgen.core.errors import InputError, Location, Problems
from docgen.core.output import StagedFolder, check_writable, safe_filename, write_atomic
from docgen.core.pdf import convert_to_pdf, find_soffice, merge_pdfs
from docgen.core.render import DocumentTemplate
from docgen.review.packet import Overflow, blank_context, filled_context
from docgen.review.roles import Role, load_role
from docgen.review.scoresheet import EmployeeScores, ScoreSheet, read_scoresheet

SUMMARY = "summary.xlsx"
PRINT_ALL = "print-all.pdf"
SUMMARY_COLUMNS = ("employee_id", "name", "kpi_total", "behavior_total", "adjustment", "total", "grade")
GRADES = ("S", "A", "B", "C", "D")
# The sheets of summary.xlsx and their columns (docs/score-workbook.md).
SUMMARY_SHEETS = {
    "Summary": (*SUMMARY_COLUMNS, "department", "file"),
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
    _WORKER.update(template=template, settings=settings, role=role, lang=lang, force=force)


def packet_properties(role: Role, lang: str, *, blank: bool) -> dict[str, str]:
    """What a packet records about itself (an internal HR record: `proposal release` refuses it)."""
    return {"kind": "packet", "role": role.id, "language": lang, "blank": "yes" if blank else "no",
            "generator": f"docgen {__version__}"}


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

def department_stats(people, limit: float) -> tuple[list[list], list[str]]:
    """Rows of the Departments sheet and the forced-distribution warnings."""
    by_dept: dict[str, list[EmployeeScores]] = {}
    for person in people:
        by_dept.setdefault(person.department or "—", []).append(person)
    rows, warnings = [], []
    for dept, members in sorted(by_dept.items()):
        grades = Counter(p.totals.grade for p in members)
        mean = round(float(sum(p.totals.total for p in members)) / len(members), 2)
        top = grades["S"] + grades["A"]
        share = top / len(members)
        over = share > limit + 1e-9
        note = f"S+A {share:.0%} > {limit:.0%}" if over else ""
        rows.append([dept, len(members), mean, *(grades[g] for g in GRADES), round(share, 4), note])
        if over:
            warnings.append(
                f"department {dept}: {top} of {len(members)} graded S or A ({share:.0%}), above the {limit:.0%} limit; "
                "calibrate before the results go out"
            )
    return rows, warnings


def _sheet(wb: Workbook, title: str, header, rows, widths) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"


def write_summary(path: Path, people, paths, overflows: list[tuple[EmployeeScores, Overflow]], warnings: list[str],
                  dept_rows: list[list], force: bool) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    rows = [[p.employee_id, p.name, float(p.totals.kpi_total), float(p.totals.behavior_total), float(p.totals.adjustment),
             float(p.totals.total), p.totals.grade, p.department, out.name] for p, out in zip(people, paths)]
    _sheet(wb, "Summary", SUMMARY_SHEETS["Summary"], rows, (14, 14, 10, 14, 11, 9, 7, 16, 30))
    _sheet(wb, "Departments", SUMMARY_SHEETS["Departments"], dept_rows, (16, 11, 9, 5, 5, 5, 5, 5, 10, 24))
    _sheet(wb, "Comments", SUMMARY_SHEETS["Comments"],
           [[p.employee_id, p.name, o.field, o.text] for p, o in overflows], (14, 14, 20, 120))
    _sheet(wb, "Warnings", SUMMARY_SHEETS["Warnings"], [[w] for w in warnings], (140,))
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
        warnings = [f"removed {old.name}, left in {old.parent} by an earlier run that was killed"
                    for old in stage.removed_leftovers]
        warnings += [str(w) for w in sheet.warnings]
        warnings += [
            f"{p.employee_id} {p.name}: {o.field} does not fit its box in the packet; the box shows the start and "
            f"says so, the full text is in {SUMMARY} (sheet Comments)"
            for p, o in overflows
        ]
        limit = options.top_share_limit if options.top_share_limit is not None else role.top_share_limit
        dept_rows, dept_warnings = department_stats(people, limit)
        warnings += dept_warnings
        write_summary(stage.path(SUMMARY), people, paths, overflows, warnings, dept_rows, True)
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
