"""`proposal assemble`: the writers' modules back into the draft, as the next version.

docxcompose (a docxtpl extra, already installed) does the package-level
merge of each module's text into the draft: it copies the paragraphs and
tables, brings over the pictures and other parts they reference with new
relationship ids, gives the module's numbered lists their own numbering
(so a writer's list starts again at 1 instead of continuing the draft's)
and maps styles by name onto the draft's own definitions. What docgen adds:

- where: each module replaces exactly the draft's part under its heading
  path (docgen.proposal.modules), last first so earlier places stay put;
- only the writer's text: what follows the module's marker line;
- styles normalised to the draft's: a style the draft does not have is
  replaced by the nearest style it is based on that the draft has (else the
  body style), so a writer cannot bring in new looks;
- a module not returned (missing, or the file split wrote, unchanged) keeps
  the draft's text and is reported; so is a module whose writer removed the
  answer to a requirement it had to answer (its id no longer in the text);
- the plan's status and notes columns say what happened to each module;
- the next version (V0.2 …) on the cover, in the history and properties;
- `proposal check`'s findings on the result.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import docx

from docgen.core.docprops import file_digest, read_stamp, stamp
from docgen.core.errors import InputError
from docgen.core.output import check_writable, write_atomic
from docgen.proposal.modules import MARKER, W, mentioned, paragraph_text, read_manifest, regions
from docgen.proposal.versions import add_entry, history_json, show


@dataclass
class Outcome:
    path: Path | None = None
    version: str = ""
    merged: list[str] = field(default_factory=list)  # module ids
    not_returned: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: module, what
    deleted: dict[str, list[str]] = field(default_factory=dict)  # module id -> requirement ids no longer answered
    findings: list = field(default_factory=list)  # docgen.proposal.check.Finding
    plan: Path | None = None


def _composer(master):
    """docxcompose's Composer over the draft, with the draft's style list made cheap to walk.

    For every element it inserts, docxcompose lists the draft's styles ([s.style_id for s in
    doc.styles]); python-docx builds a typed proxy per style for that, which was most of the merge
    time. The draft's styles part is given a Styles whose iteration yields just the id and the name
    (all docxcompose reads), and elements that use no style skip the style step altogether.
    """
    from docx.oxml.ns import qn
    from docx.styles import BabelFish
    from docx.styles.styles import Styles
    from docxcompose.composer import Composer

    style_tag, id_attr = qn("w:style"), qn("w:styleId")

    class Named:
        __slots__ = ("element", "style_id")

        def __init__(self, element):
            self.element, self.style_id = element, element.get(id_attr)

        @property
        def name(self):
            name = self.element.name_val
            return BabelFish.internal2ui(name) if name is not None else None

    class QuickStyles(Styles):
        def __iter__(self):
            return (Named(style) for style in self._element.iterchildren(style_tag))

    part = master.part
    quick = type("QuickStylesPart", (type(part),), {"styles": property(lambda self: QuickStyles(self._styles_part.element))})
    part.__class__ = quick

    class StyledOnly(Composer):
        def add_styles(self, doc, element):
            if element.xpath(".//w:tblStyle|.//w:pStyle|.//w:rStyle"):
                super().add_styles(doc, element)

    return StyledOnly(master)


def assemble(draft, modules_dir, out, *, plan=None, force: bool = False, today: dt.date | None = None,
             who: str | None = None) -> Outcome:
    check_writable(out, force)
    record = read_stamp(draft)
    if record.get("kind") != "draft":
        raise InputError(f"{draft}: not a proposal draft (docgen.kind is {record.get('kind') or 'missing'})")
    manifest = read_manifest(Path(modules_dir))
    lang = record.get("language") or manifest.language
    master = docx.Document(str(draft))
    places = regions(master)
    result = Outcome()
    if file_digest(draft) != manifest.draft_digest:  # e.g. V0.2 while the modules were split from V0.1
        result.problems.append(f"{draft} is not the file the modules were split from ({manifest.draft}); "
                               "each returned module replaces its part of this draft")
    returned = []
    for entry in manifest.modules:
        path = Path(modules_dir) / entry.file
        if not path.is_file() or file_digest(path) == entry.digest:
            result.not_returned.append(entry.id)
            continue
        if entry.where not in places:
            result.problems.append(f"{entry.id}: {entry.where} is no longer in {draft}; not merged")
            continue
        module = _open_module(path, entry, record)
        if module is None:
            result.problems.append(f"{entry.id} ({entry.file}): the line “{MARKER[lang]}” was deleted; "
                                   "not merged, the previous text is kept")
            continue
        returned.append((places[entry.where], entry, module))
    composer = _composer(master)
    body = master.element.body
    for (first, end), entry, module in sorted(returned, key=lambda item: item[0][0], reverse=True):
        old = list(body)[first:end]
        before = mentioned(entry.ids, " ".join(paragraph_text(e) for e in old))
        after = mentioned(entry.ids, " ".join(paragraph_text(e) for e in module.element.body))
        if before - after:
            result.deleted[entry.id] = sorted(before - after, key=entry.ids.index)
        _normalise_styles(module, master)
        for element in old:
            body.remove(element)
        composer.insert(first, module)
        result.merged.append(entry.id)
    result.merged.reverse()
    day = today or dt.date.today()
    history = add_entry(record, who=who or record.get("owner") or "", what=_what(result, manifest, lang), today=day)
    show(master, history, lang)
    buffer = io.BytesIO()
    master.save(buffer)
    props = {**record, "version": history[-1].version, "history": history_json(history)}
    result.path = write_atomic(out, stamp(buffer.getvalue(), props), force=force)
    result.version = history[-1].version
    plan_path = Path(plan) if plan else Path(manifest.plan)
    if plan_path.is_file():
        from docgen.proposal.plan_status import update_status

        result.plan = update_status(plan_path, manifest, result, lang, day)
    from docgen.proposal.check import gate_findings

    result.findings = gate_findings(result.path)
    return result


def summary(result: Outcome) -> list[str]:
    """What `proposal assemble` prints: the merge, then one warning per module that needs a look."""
    lines = [f"wrote {result.path} ({result.version}): merged {len(result.merged)} module(s)"
             + (f" {', '.join(result.merged)}" if result.merged else "")]
    lines += [f"warning: {m} not returned; the previous text is kept" for m in result.not_returned]
    lines += [f"warning: {m} no longer answers {', '.join(ids)}" for m, ids in result.deleted.items()]
    lines += [f"warning: {problem}" for problem in result.problems]
    return lines


def _open_module(path: Path, entry, record: dict):
    """The returned module with only the writer's text in its body; None when the marker line is gone."""
    got = read_stamp(path)
    if got.get("kind") != "module" or got.get("module") != entry.id:
        raise InputError(f"{path}: not module {entry.id} written by `docgen proposal split` "
                         f"(docgen.module is {got.get('module') or 'missing'})")
    if got.get("client") != record.get("client"):
        raise InputError(f"{path}: this module is for {got.get('client')}, the draft for {record.get('client')}")
    try:
        module = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a bad package
        raise InputError(f"{path}: not a readable Word document ({exc.__class__.__name__})") from None
    body = module.element.body
    children = list(body)
    markers = set(MARKER.values())
    cut = next((n for n, e in enumerate(children) if e.tag == f"{W}p" and paragraph_text(e) in markers), None)
    if cut is None:
        return None
    for element in children[:cut + 1]:
        body.remove(element)
    return module


def _normalise_styles(module, master) -> None:
    """Every style the module uses that the draft lacks becomes the nearest based-on style the draft has."""
    known = {s.name for s in master.styles}
    by_id = {s.style_id: s for s in module.styles}
    replacement: dict[str, str | None] = {}
    for style_id, style in by_id.items():
        if style.name in known:
            continue
        base = style.base_style
        while base is not None and base.name not in known:
            base = base.base_style
        replacement[style_id] = base.style_id if base is not None else None
    if not replacement:
        return
    for tag in ("pStyle", "rStyle", "tblStyle"):
        for element in module.element.body.iter(f"{W}{tag}"):
            value = element.get(f"{W}val")
            if value in replacement:
                if replacement[value] is None:
                    element.getparent().remove(element)  # the draft's default (body text, default run)
                else:
                    element.set(f"{W}val", replacement[value])


def _what(result: Outcome, manifest, lang: str) -> str:
    writers = {e.id: e.writer for e in manifest.modules}
    sep = "、" if lang == "zh" else ", "
    merged = sep.join(f"{m}（{writers[m]}）" if lang == "zh" else f"{m} ({writers[m]})" for m in result.merged)
    missing = len(result.not_returned)  # which ones: the plan's notes say
    if lang == "zh":
        text = f"合并模块 {merged}" if merged else "无模块交回"
        return text + (f"；{missing} 个模块未交回" if missing else "")
    text = f"Merged modules {merged}" if merged else "No module returned"
    return text + (f"; {missing} module(s) not returned" if missing else "")
