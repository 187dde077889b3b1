"""`docgen proposal …` commands: staged drafts, the internal brief, the assignment sheet, review and release."""

from __future__ import annotations

import sys

import click

from docgen.cli.common import current_settings

_CASEBOOK = click.option("--casebook", type=click.Path(file_okay=False, exists=True),
                         help="Casebook folder (default: the bundled casebook).")
_REQUIREMENTS = click.option(
    "--requirements", "requirements_file", type=click.Path(dir_okay=False, exists=True),
    help="The client's requirements file (default: the one recorded in the draft); another client's is refused.")
_START = click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None,
                      help="Project start for the dated schedule, e.g. 2027-01-04 "
                           "(default: the first Monday after the client's deadline).")
_FORCE = click.option("--force", is_flag=True, help="Overwrite an existing output file.")


def _prepare(requirements_file: str, casebook: str | None):
    from docgen.proposal.build import prepare

    return prepare(requirements_file, casebook=casebook, settings=current_settings())


@click.group(name="proposal")
def group() -> None:
    """Staged, targeted proposal drafts; reviewed before release."""


@group.command()
@click.argument("requirements_file", type=click.Path(dir_okay=False))
@click.option("--stage", required=True, type=click.Choice(["intro", "solution", "detailed"]),
              help="intro = 初步交流方案, solution = 解决方案建议书, detailed = 详细技术方案.")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The draft .docx to write.")
@_CASEBOOK
@click.option("--pdf", "pdf", is_flag=True,
              help="Also write a PDF next to the draft (headless LibreOffice); the draft's TOC gets its page numbers.")
@click.option("--refresh-toc", is_flag=True,
              help="Lay the draft out with headless LibreOffice and write the page numbers into its table of "
                   "contents, so Word and WPS open it complete (implied by --pdf).")
@_START
@_FORCE
def build(requirements_file: str, stage: str, out: str, casebook: str | None, pdf: bool, refresh_toc: bool, start,
          force: bool) -> None:
    """Build the draft of one stage in the client's language, marked DRAFT · NOT REVIEWED."""
    from docgen.proposal.build import refresh_toc as refresh, render_draft, stage_selection, to_pdf

    prepared = _prepare(requirements_file, casebook)
    path = render_draft(prepared, stage, out, force=force, project_start=start.date() if start else None)
    click.echo(f"wrote {path}")
    if pdf:
        click.echo(f"wrote {to_pdf(path, force=force)}")
    elif refresh_toc:
        refresh(path)
        click.echo(f"table of contents laid out in {path}")
    placeholders = stage_selection(prepared, stage).placeholders
    if placeholders:
        click.echo(f"{len(placeholders)} requirement(s) still to write: "
                   + ", ".join(p.requirement.id for p in placeholders), err=True)


@group.command()
@click.argument("requirements_file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The brief .docx to write.")
@_CASEBOOK
@_FORCE
def brief(requirements_file: str, out: str, casebook: str | None, force: bool) -> None:
    """The internal strategy brief (trust, competitors, emphasis, gaps, cases). Never send it to the client."""
    from docgen.proposal.build import render_brief

    click.echo(f"wrote {render_brief(_prepare(requirements_file, casebook), out, force=force)}")


@group.command()
@click.argument("requirements_file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The .xlsx sheet to write.")
@_CASEBOOK
@_START
@click.option("--writers", default=None,
              help="Who writes the modules, comma-separated (e.g. 张伟,李娜,王芳); default: the team in company/team.yaml.")
@_FORCE
def plan(requirements_file: str, out: str, casebook: str | None, start, writers: str | None, force: bool) -> None:
    """The module assignment sheet (模块撰写分配): one row per module, writer, staggered due dates, status."""
    from docgen.proposal.build import render_plan

    names = [n.strip() for n in writers.replace("，", ",").split(",") if n.strip()] if writers else None
    prepared = _prepare(requirements_file, casebook)
    click.echo(f"wrote {render_plan(prepared, out, force=force, project_start=start.date() if start else None, writers=names)}")


@group.command()
@click.argument("client_workbook", type=click.Path(dir_okay=False))
@click.option("--requirements", "requirements_file", required=True, type=click.Path(dir_okay=False),
              help="The requirements file made by `docgen requirements import` (client fields filled in).")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="The answered copy of the client's workbook (.xlsx).")
@_FORCE
def respond(client_workbook: str, requirements_file: str, out: str, force: bool) -> None:
    """Write our responses into a copy of the client's own sheet (技术规格响应表/偏离表).

    Response, compliance (their dropdown's words when they have one) and deviation note go into
    their columns, or into columns added at the right; everything else stays as it was.
    """
    from docgen.proposal.respond import respond as write_responses

    answered = write_responses(client_workbook, requirements_file, out, force=force, settings=current_settings())
    for warning in answered.warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = ", ".join(f"{word} {n}" for word, n in answered.by_status)
    click.echo(f"wrote {answered.path}: {len(answered.filled)} requirements answered in sheet {answered.sheet}"
               + (f" ({counts})" if counts else "")
               + (f"; added columns {', '.join(answered.added)}" if answered.added else ""))


@group.command()
@click.argument("requirements_file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="The quotation .xlsx to write; cost and margin go to OUTPUT-internal.xlsx beside it.")
@click.option("--discount", default="0%", show_default=True, help="Discount off the list prices, e.g. 8%.")
@click.option("--tax", default="13%", show_default=True, help="VAT rate on the discounted amount.")
@click.option("--docx", "docx", is_flag=True, help="Also write the 报价单 as a Word document beside it.")
@_FORCE
def quote(requirements_file: str, out: str, discount: str, tax: str, docx: bool, force: bool) -> None:
    """The quotation (报价单) for the bill of materials of the detailed draft's sections, with live formulas."""
    from docgen.proposal.quote import build_quote, parse_rate

    paths = build_quote(requirements_file, out, settings=current_settings(),
                        discount=parse_rate(discount, "--discount"), tax=parse_rate(tax, "--tax"), docx=docx,
                        force=force)
    for path in paths:
        click.echo(f"wrote {path}")


@group.command()
@click.argument("draft", type=click.Path(dir_okay=False, exists=True))
@_REQUIREMENTS
@_CASEBOOK
def check(draft: str, requirements_file: str | None, casebook: str | None) -> None:
    """Review a draft before it goes out (项目审核). Exit 1 when it must not go out, 0 when clean."""
    from docgen.proposal.check import company_notes, format_findings, gate_findings

    findings = gate_findings(draft, requirements_file=requirements_file, casebook=casebook)
    click.echo(format_findings(findings))
    for note in company_notes(current_settings()):
        click.echo(f"note: {note}", err=True)
    sys.exit(1 if findings else 0)


@group.command()
@click.argument("draft", type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The client copy to write.")
@click.option("--reviewer", required=True, help="Who reviewed the draft (recorded in the document properties).")
@_REQUIREMENTS
@_CASEBOOK
@_FORCE
def release(draft: str, out: str, reviewer: str, requirements_file: str | None, casebook: str | None,
            force: bool) -> None:
    """Write the client copy of a draft that passes exactly `proposal check`, without the draft marking."""
    from docgen.proposal.check import gate_findings
    from docgen.proposal.check import release as release_draft

    findings = gate_findings(draft, requirements_file=requirements_file, casebook=casebook)
    path = release_draft(draft, out, reviewer=reviewer, findings=findings, force=force)
    click.echo(f"wrote {path} (reviewed by {reviewer})")


@group.group(name="answers")
def answers() -> None:
    """The response library (应答库): reusable answers matched to single requirements."""


@answers.command(name="lint")
@click.option("--folder", type=click.Path(file_okay=False, exists=True),
              help="Check only this answers folder (default: the bundled library and <your templates>/proposal/answers).")
@_CASEBOOK
def answers_lint(folder: str | None, casebook: str | None) -> None:
    """Check every answer; list stale (not reviewed for a year) and ownerless ones, and evidence not in the casebook.

    Exit 0 when all is well, 1 when an answer needs attention, 2 when a file is invalid.
    """
    import datetime as dt

    from docgen.casebook.cases import load_casebook
    from docgen.core.config import bundled_path
    from docgen.proposal.answers import library_folders, lint, load_answers

    library = load_answers(*([folder] if folder else library_folders(current_settings())))
    case_ids = {case.id for case in load_casebook(casebook or bundled_path("casebook"))}
    findings = lint(library, dt.date.today(), case_ids)
    for problem in findings:
        click.echo(f"warning: {problem}")
    click.echo(f"{len(library)} answers, {len(findings)} warnings")
    if findings:
        sys.exit(1)


# --- the writers' loop: split → assemble → diff (docgen.proposal.split/assemble/diff) ----------------

@group.command()
@click.argument("draft", type=click.Path(dir_okay=False, exists=True))
@click.option("--plan", "plan_file", required=True, type=click.Path(dir_okay=False, exists=True),
              help="The assignment sheet written by `docgen proposal plan` (module, writer, due date).")
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False),
              help="The folder for the module files (one .docx per module) and split.json.")
@_FORCE
def split(draft: str, plan_file: str, out: str, force: bool) -> None:
    """One .docx per module for its writer: the module's text, who, when, and the requirements to answer."""
    from docgen.proposal.split import split as split_draft

    written = split_draft(draft, plan_file, out, force=force)
    click.echo(f"wrote {len(written) - 1} modules and {written[-1].name} into {out}")


@group.command()
@click.argument("draft", type=click.Path(dir_okay=False, exists=True))
@click.argument("modules_dir", type=click.Path(file_okay=False, exists=True))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="The merged draft to write (the next version, e.g. DRAFT_v2.docx).")
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False, exists=True),
              help="The plan whose status columns to update (default: the one split used).")
@click.option("--by", "who", help="Who merged (for the version history; default: the presales owner).")
@_FORCE
def assemble(draft: str, modules_dir: str, out: str, plan_file: str | None, who: str | None, force: bool) -> None:
    """Put the writers' returned modules back into the draft; report missing modules and removed answers,
    update the plan, then run `proposal check` on the result."""
    from docgen.proposal.assemble import assemble as assemble_draft
    from docgen.proposal.assemble import summary
    from docgen.proposal.check import format_findings

    done = assemble_draft(draft, modules_dir, out, plan=plan_file, force=force, who=who)
    for line in summary(done):
        click.echo(line, err=line.startswith("warning:"))
    if done.plan:
        click.echo(f"updated {done.plan}")
    click.echo(format_findings(done.findings))


@group.command()
@click.argument("old", type=click.Path(dir_okay=False, exists=True))
@click.argument("new", type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False),
              help="Also write the report as a Word document.")
@_FORCE
def diff(old: str, new: str, out: str | None, force: bool) -> None:
    """List the paragraphs and table cells added, removed and changed between two versions, by section."""
    from docgen.proposal.diff import compare, format_report, write_report

    report = compare(old, new)
    click.echo(format_report(report))
    if out:
        click.echo(f"wrote {write_report(report, out, force=force)}")


# --- after the project: outcome and 复盘 (docgen.proposal.outcome/retro, docgen.casebook.outcomes) ---------

_DATA = click.option("--data", "data", type=click.Path(file_okay=False),
                     help="The data folder holding outcomes.sqlite3 (default: [docgen] data in docgen.toml, "
                          "else ./docgen-data, the web workspace's default).")


@group.command()
@click.argument("requirements_file", type=click.Path(dir_okay=False, exists=True))
@click.option("--result", required=True, type=click.Choice(["won", "lost", "no-bid", "pending"]),
              help="How the proposal ended.")
@click.option("--final", "final", type=click.Path(dir_okay=False, exists=True),
              help="The released client copy: its cases and answers are recorded (needed the first time).")
@click.option("--reason", default="", help="Why it was won or lost, in a sentence.")
@click.option("--competitor", default="", help="Who won against us, or whom we beat.")
@click.option("--value", default=None, help="The contract value, e.g. 1200000 or 120万.")
@click.option("--date", "decided", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="When the outcome was known (default: today).")
@_DATA
def outcome(requirements_file: str, result: str, final: str | None, reason: str, competitor: str,
            value: str | None, decided, data: str | None) -> None:
    """Record the outcome of a released proposal with the cases and answers that were in it."""
    from docgen.casebook.outcomes import store_path
    from docgen.proposal.outcome import parse_value, record_outcome

    store = store_path(data, current_settings())
    done = record_outcome(requirements_file, store, result=result, final=final, reason=reason,
                          competitor=competitor, value=parse_value(value),
                          decided=decided.date() if decided else None)
    click.echo(f"recorded {done.client}{' · ' + done.project if done.project else ''}: {done.result} "
               f"({done.version or 'version unknown'}, {len(done.cases)} cases, {len(done.answers)} answers) in {store}")


@group.command()
@click.argument("requirements_file", type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The review .docx to write.")
@_CASEBOOK
@_DATA
@_FORCE
def retro(requirements_file: str, out: str, casebook: str | None, data: str | None, force: bool) -> None:
    """The post-project review (项目复盘): asked, answered, cases, outcome, lessons form, casebook updates."""
    from docgen.casebook.outcomes import store_path
    from docgen.proposal.retro import write_retro

    settings = current_settings()
    path = write_retro(requirements_file, store_path(data, settings), out, settings=settings, casebook=casebook,
                       force=force)
    click.echo(f"wrote {path}")
