"""The rendering core: docxtpl templates, prepared once, rendered safely and fast.

A DocumentTemplate reads a .docx template once, runs docxtpl's XML
pre-processing (`patch_xml`) and compiles the Jinja template once; each
document then only renders the compiled template, applies docxtpl's
post-processing (line breaks, table fixes, drawing ids) and writes a zip in
which every unchanged part is copied as it was. That is the same document
docxtpl makes, an order of magnitude faster (bench/render.py).

Safety: autoescape is on (`R&D <Ltd>` stays text, never XML) and templates
run in Jinja's sandbox with limits (docgen.core.sandbox: templates are edited
by users; `''.__class__` raises instead of reaching Python, `'a'*10**9`,
endless loops and `{% include %}` are refused). Any error a template raises,
while it is prepared or rendered, becomes a TemplateError naming the file, the
part and the tag. Every string in the context passes through
docgen.core.text.clean_text. With clean=True each document goes through
docgen.core.hygiene.clean_package (no comments, hidden text, personal
properties or external links from the template) before it is written.
"""

from __future__ import annotations

import contextvars
import dataclasses
import re
import struct
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta
from jinja2.sandbox import SecurityError
from lxml import etree
from markupsafe import Markup

from docgen.core.config import Fonts, Settings
from docgen.core.docprops import restore_core_namespace
from docgen.core.docstyles import LOGO_MARK
from docgen.core import template_cache
from docgen.core.docx_zip import make_entry, write_zip
from docgen.core.errors import DocgenError, InputError, TemplateError
from docgen.core.hygiene import clean_package, parse_xml, read_package
from docgen.core.output import write_atomic
from docgen.core.sandbox import (
    BoundedEnvironment,
    LimitExceeded,
    Limits,
    document_budget,
)
from docgen.core.text import clean_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_REL_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_REL_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_REL_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
restore_core_namespace()  # docxtpl's docxcompose rebinds python-docx's `cp` prefix on import


def make_environment() -> BoundedEnvironment:
    """The sandbox templates run in: autoescape, StrictUndefined, `{{ g.items }}` reads the key, limits."""
    return BoundedEnvironment()


# --- per-document additions to other parts (numbering, hyperlinks) ------------

class PartEdits:
    """What one document adds outside its body while rendering.

    Word fragments (docgen.core.markdown_docx) ask for a fresh numbering instance
    per numbered list (so each list restarts at 1) and for hyperlink
    relationships; the template writes them into numbering.xml and
    document.xml.rels after the body is rendered.
    """

    def __init__(self, template: "DocumentTemplate") -> None:
        self._template = template
        self._next_num_id = template._max_num_id + 1
        self._next_rel = template._max_rel_id + 1
        self.nums: list[tuple[int, int]] = []  # (numId, abstractNumId)
        self.links: list[tuple[str, str]] = []  # (rId, url)
        self._link_ids: dict[str, str] = {}
        self.images: list[tuple[str, str, bytes]] = []  # (rId, part name, PNG bytes)

    def style_id(self, style_name: str) -> str:
        """The template's style id for a style name ('Heading 1' may be '1' in a Chinese Word file)."""
        try:
            return self._template._style_ids[style_name]
        except KeyError:
            raise TemplateError(
                f"{self._template.name}: the template has no style {style_name!r}; "
                "add it to the template (Word: Styles pane) or build it from docgen.core.docstyles"
            ) from None

    def restart_numbering(self, style_name: str = "List Number") -> int:
        """A new numId whose levels restart at 1, sharing the style's list definition."""
        abstract = self._template._style_abstract_num.get(style_name)
        if abstract is None:
            raise TemplateError(f"{self._template.name}: style {style_name!r} has no numbering in the template")
        num_id = self._next_num_id
        self._next_num_id += 1
        self.nums.append((num_id, abstract))
        return num_id

    def image(self, png: bytes) -> str:
        """A relationship id for a PNG picture placed in this document (word/media/docgen-N.png)."""
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise TemplateError(f"{self._template.name}: a picture for the document is not a PNG")
        rel_id = f"rId{self._next_rel}"
        self._next_rel += 1
        self.images.append((rel_id, f"word/media/docgen-{len(self.images) + 1}.png", png))
        return rel_id

    def snapshot(self) -> tuple:
        """What restore() needs to undo a part rendered again (see DocumentTemplate._run)."""
        return self._next_num_id, self._next_rel, len(self.nums), len(self.links), dict(self._link_ids), len(self.images)

    def restore(self, state: tuple) -> None:
        self._next_num_id, self._next_rel, nums, links, self._link_ids, images = state
        del self.nums[nums:], self.links[links:], self.images[images:]

    def hyperlink(self, url: str) -> str:
        if url not in self._link_ids:
            rel_id = f"rId{self._next_rel}"
            self._next_rel += 1
            self._link_ids[url] = rel_id
            self.links.append((rel_id, url))
        return self._link_ids[url]


_CURRENT_PARTS: contextvars.ContextVar[PartEdits] = contextvars.ContextVar("docgen_part_edits")


def current_parts() -> PartEdits:
    """The PartEdits of the document being rendered (only valid during render)."""
    try:
        return _CURRENT_PARTS.get()
    except LookupError:
        raise RuntimeError("current_parts() is only available while a DocumentTemplate renders") from None


# --- the context ----------------------------------------------------------------

_AS_IS = frozenset({int, float, bool, type(None), date, datetime})


def clean_context(value):
    """Every string through clean_text; dataclasses become dicts; fragments stay as they are."""
    kind = type(value)  # the common exact types first, leaves without a call: this runs for every value
    if kind is str:
        return clean_text(value)
    if kind is dict:
        return {key: clean_text(item) if type(item) is str else item if type(item) in _AS_IS else clean_context(item)
                for key, item in value.items()}
    if kind is list:
        return [clean_text(item) if type(item) is str else item if type(item) in _AS_IS else clean_context(item)
                for item in value]
    if kind in _AS_IS:
        return value
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {key: clean_context(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_context(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: clean_context(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (int, float, date, datetime)) or value is None:
        return value
    return clean_text(str(value))


# --- the template -----------------------------------------------------------------

class _Part:
    """One templated XML part: its compiled Jinja template and how to put it back.

    `classic` is None, or the source of the docxtpl-exact template when
    `template` is the fast one (see DocumentTemplate._compile): compiled the
    first time a document needs it, and used from then on.
    """

    def __init__(self, name: str, compiled: tuple[jinja2.Template, str | None], prefix: str = "", suffix: str = ""):
        self.name, self.prefix, self.suffix = name, prefix, suffix
        self.template, self.classic = compiled


class DocumentTemplate:
    """A docxtpl template prepared once; render() makes one .docx per context."""

    def __init__(self, path: str | Path, *, settings: Settings | None = None, clean: bool = False,
                 limits: Limits | None = None) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.settings = settings or Settings()
        self.clean = clean
        self.limits = limits or Limits()
        self._env = make_environment()
        self._names, self._blobs = self._read()
        try:
            self._docx = DocxTemplate(str(self.path))
            self._docx.init_docx()
        except Exception as exc:
            for name in self._blobs:  # name the part when one is not XML (python-docx's message does not)
                if name.endswith((".xml", ".rels")):
                    self._parse(name, self._blobs[name])
            raise TemplateError(f"{self.path}: not a readable .docx template ({_describe(exc)})") from None
        self._variables: set[str] = set()
        self._has_cell_tags = False
        try:
            self._apply_fonts()
            self._apply_logo()
            self._read_styles_and_numbering()
            self._parts = self._compile_parts()
        except (DocgenError, OSError):  # OSError: the company logo (settings), not the template
            raise
        except Exception as exc:
            raise TemplateError(f"{self.path}: cannot prepare the template: {_describe(exc)}") from None
        self._static_entries: dict | None = None
        self.variables = frozenset(self._variables)

    # -- preparation ------------------------------------------------------------

    def _read(self) -> tuple[list[str], dict[str, bytes]]:
        """The parts in zip order, sizes checked first; every XML part UTF-8 and free of DTDs (no entity tricks)."""
        try:
            names, blobs = read_package(self.path)
        except InputError as exc:
            raise TemplateError(str(exc)) from None
        for name in names:
            if not name.endswith((".xml", ".rels")):
                continue
            blob = blobs[name]
            if blob[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in blob[:4]:
                raise TemplateError(f"{self.path} ({name}): the part is UTF-16; docgen reads UTF-8 only "
                                    "(open the template in Word and save it as .docx again)")
            if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
                self._parse(name, blob)  # raises, naming the part
        return names, blobs

    def _parse(self, name: str, blob: bytes) -> etree._Element:
        try:
            return parse_xml(blob, name, str(self.path))
        except InputError as exc:
            raise TemplateError(str(exc)) from None

    def _text(self, name: str) -> str:
        try:
            return self._blobs[name].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateError(f"{self.path} ({name}): not UTF-8 text ({exc.reason} at byte {exc.start})") from None

    def _part_name(self, part) -> str:
        return str(part.partname).lstrip("/")

    def _compile(self, part_name: str, xml: str) -> tuple[jinja2.Template, str | None]:
        """The part's template, and the classic source when the template is the fast one.

        docxtpl starts every paragraph on a new line (`\n<w:p`) so that Jinja's
        line numbers find a failing tag, and removes those newlines again from
        every rendered document: two passes over the whole body. The fast
        template has the same lines, but each newline sits in a Jinja comment,
        so nothing needs removing. Templates with anything that could tell the
        difference (_FAST_UNSAFE, _CAPTURES) get the classic template only. The
        fast one makes the same document as long as no value is markup (which
        could hold `\n<w:p` of its own); when one is, the part is rendered again
        with the classic template, and from then on (DocumentTemplate._run).
        """
        xml = self._resize_logo(xml)
        if _CELL_TAGS.search(re.sub(r"<[^>]+>", "", xml)):
            self._has_cell_tags = True
        patched = self._docx.patch_xml(xml)
        source = _PARAGRAPH_START.sub(r"\n<w:p\1", patched)
        if _fast_safe(patched):
            fast = self._jinja(part_name, _PARAGRAPH_START.sub(r"{#\n#}<w:p\1", patched), source, fast=True)
            if fast is not None:
                return fast, source
        return self._jinja(part_name, source, source), None

    def _jinja(self, part_name: str, text: str, source: str, fast: bool = False) -> jinja2.Template | None:
        """`text` compiled (None if fast and the template captures output); messages quote `source`."""
        cached = template_cache.load(self._env, text)
        if cached is not None:
            code, variables, fragment_free, captures = cached
        else:
            try:
                tree = self._env.parse_bounded(text)
                captures = next(tree.find_all(_CAPTURES), None) is not None
                variables = frozenset(meta.find_undeclared_variables(tree))
                fragment_free = _fragment_free(tree)
                code = self._env.compile(tree)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    f"{self.path} ({part_name}): template syntax error: {exc.message}\n"
                    f"  near: {surrounding_text(source, exc.lineno)}"
                ) from None
            except Exception as exc:
                raise TemplateError(f"{self.path} ({part_name}): the template cannot be compiled: "
                                    f"{_describe(exc)}") from None
            template_cache.store(self._env, text, code, variables, fragment_free, captures)
        if fast and captures:
            return None
        self._variables |= variables
        fragment_free = fast and fragment_free
        template = self._env.template_class.from_code(self._env, code, self._env.make_globals(None), None)
        template.docgen_source = source
        template.docgen_fragment_free = fragment_free
        # no drawing to renumber: none in the XML, whose tags are all whole (checked by _fragment_free)
        template.docgen_no_drawings = fragment_free and "docPr" not in text
        return template

    def _compile_parts(self) -> list[_Part]:
        document = self._docx.docx.part
        doc_name = self._part_name(document)
        raw = self._text(doc_name)
        body_start = re.search(r"<w:body[ >]", raw)
        body_end = raw.rfind("</w:body>")
        if body_start is None or body_end < 0:
            raise TemplateError(f"{self.path}: word/document.xml has no body")
        parts = [_Part(doc_name, self._compile(doc_name, self._docx.get_xml()),
                       raw[: body_start.start()], raw[body_end + len("</w:body>"):])]
        for rel in document.rels.values():
            if rel.reltype in (_REL_HEADER, _REL_FOOTER) and not rel.is_external:
                name = self._part_name(rel.target_part)
                xml = self._text(name)
                if "{" in xml:
                    parts.append(_Part(name, self._compile(name, re.sub(r"^<\?xml[^>]*\?>\s*", "", xml))))
        self._document_rels = f"{doc_name.rsplit('/', 1)[0]}/_rels/{doc_name.rsplit('/', 1)[1]}.rels"
        return parts

    def _apply_fonts(self) -> None:
        """Swap the bundled default fonts for the ones configured in docgen.toml."""
        wanted, default = self.settings.fonts, Fonts()
        mapping = {getattr(default, f.name): getattr(wanted, f.name)
                   for f in dataclasses.fields(Fonts) if getattr(default, f.name) != getattr(wanted, f.name)}
        if not mapping or "word/styles.xml" not in self._blobs:
            return
        root = self._parse("word/styles.xml", self._blobs["word/styles.xml"])
        for fonts in root.iter(f"{_W}rFonts"):
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                value = fonts.get(f"{_W}{attr}")
                if value in mapping:
                    fonts.set(f"{_W}{attr}", mapping[value])
        self._blobs["word/styles.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _apply_logo(self) -> None:
        """Swap the bundled logo (a picture tagged docgen-logo) for the company's PNG."""
        self._logo_size = None
        logo = self.settings.logo
        if logo is None:
            return
        data = Path(logo).read_bytes()
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            raise TemplateError(f"{logo}: the company logo must be a PNG file")
        self._logo_size = struct.unpack(">II", data[16:24])
        for name in [n for n in self._blobs if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]:
            xml = self._text(name)
            rels_name = f"word/_rels/{name.rsplit('/', 1)[1]}.rels"
            rels = self._text(rels_name) if rels_name in self._blobs else ""
            for drawing in re.findall(r"<w:drawing>.*?</w:drawing>", xml, re.DOTALL):
                if LOGO_MARK in drawing:
                    rel_id = re.search(r'r:embed="([^"]+)"', drawing).group(1)
                    target = re.search(rf'<Relationship [^>]*Id="{rel_id}"[^>]*>', rels).group(0)
                    media = re.search(r'Target="([^"]+)"', target).group(1).lstrip("/").removeprefix("word/")
                    self._blobs["word/" + media] = data

    def _resize_logo(self, xml: str) -> str:
        """Keep the logo's height in the template; its width follows the company logo's shape."""
        if self._logo_size is None or LOGO_MARK not in xml:
            return xml
        width_px, height_px = self._logo_size

        def resize(match):
            drawing = match.group(0)
            if LOGO_MARK not in drawing:
                return drawing
            height = int(re.search(r'<wp:extent cx="\d+" cy="(\d+)"', drawing).group(1))
            width = height * width_px // max(height_px, 1)
            return re.sub(r'(<(?:wp:extent|a:ext) cx=")\d+(" cy=")\d+', rf"\g<1>{width}\g<2>{height}", drawing)

        return re.sub(r"<w:drawing>.*?</w:drawing>", resize, xml, flags=re.DOTALL)

    def _read_styles_and_numbering(self) -> None:
        self._style_ids: dict[str, str] = {}
        style_num: dict[str, str] = {}
        if "word/styles.xml" in self._blobs:
            for style in self._parse("word/styles.xml", self._blobs["word/styles.xml"]).iter(f"{_W}style"):
                name = style.find(f"{_W}name")
                style_id = style.get(f"{_W}styleId")
                if name is None or style_id is None:
                    continue
                self._style_ids[name.get(f"{_W}val")] = style_id
                num = style.find(f"{_W}pPr/{_W}numPr/{_W}numId")
                if num is not None:
                    style_num[name.get(f"{_W}val")] = num.get(f"{_W}val")
        # python-docx names some styles in lower case ("heading 1"); accept both spellings.
        for name, style_id in list(self._style_ids.items()):
            self._style_ids.setdefault(name.title().replace("Toc", "TOC"), style_id)
        self._style_abstract_num: dict[str, int] = {}
        self._max_num_id = 0
        self._numbering_name = self._part_by_type("numbering")
        if self._numbering_name:
            root = self._parse(self._numbering_name, self._blobs[self._numbering_name])
            abstract_of = {num.get(f"{_W}numId"): num.find(f"{_W}abstractNumId").get(f"{_W}val")
                           for num in root.iter(f"{_W}num")}
            self._max_num_id = max((int(n) for n in abstract_of), default=0)
            for style, num_id in style_num.items():
                if num_id in abstract_of:
                    self._style_abstract_num[style] = int(abstract_of[num_id])
        rels = self._text("word/_rels/document.xml.rels") if "word/_rels/document.xml.rels" in self._blobs else ""
        self._max_rel_id = max((int(n) for n in re.findall(r'Id="rId(\d+)"', rels)), default=0)

    def _part_by_type(self, kind: str) -> str | None:
        for rel in self._docx.docx.part.rels.values():
            if rel.reltype.endswith("/" + kind) and not rel.is_external:
                return self._part_name(rel.target_part)
        return None

    # -- rendering -------------------------------------------------------------------

    def check_context(self, context: Mapping) -> None:
        """Pre-flight: every variable the template uses must be in the context."""
        missing = sorted(self.variables - set(context))
        if missing:
            raise TemplateError(
                f"{self.path}: the template uses {', '.join(missing)}, which docgen does not provide here; "
                "run `docgen templates check` on it"
            )

    def render(self, context: Mapping) -> bytes:
        """The .docx (as bytes) for one context."""
        self.check_context(context)
        ctx = clean_context(dict(context))
        edits = PartEdits(self)
        token = _CURRENT_PARTS.set(edits)
        try:
            with document_budget(self.limits) as budget:
                rendered = {part.name: self._finish_part(part, *self._run(part, ctx, budget, edits))
                            for part in self._parts}
        finally:
            _CURRENT_PARTS.reset(token)
        if edits.nums:
            rendered[self._numbering_name] = self._add_nums(edits.nums)
        if edits.links or edits.images:
            rendered[self._document_rels] = self._add_links(edits.links, edits.images)
        extra = {}
        if edits.images:
            rendered["[Content_Types].xml"] = self._with_png_type()
            extra = {name: png for _, name, png in edits.images}
        data = self._zip(rendered, extra)
        return clean_package(data) if self.clean else data

    def render_to(self, path: str | Path, context: Mapping, *, force: bool = False) -> Path:
        return write_atomic(path, self.render(context), force=force)

    def trial_render(self, context: Mapping) -> None:
        """Run the template's code over `context` (e.g. sandbox.sample_context) and discard the output:
        what `docgen templates check` does to find what fails only when a template runs."""
        edits = PartEdits(self)
        token = _CURRENT_PARTS.set(edits)
        try:
            with document_budget(self.limits) as budget:
                for part in self._parts:
                    self._run(part, dict(context), budget, edits)
        finally:
            _CURRENT_PARTS.reset(token)

    def _run(self, part: _Part, ctx: dict, budget, edits: PartEdits) -> tuple[str, bool]:
        """The part's Jinja output and whether it came from the fast template (see _compile)."""
        template, classic = part.template, part.classic  # read once: another thread may switch the part
        if classic is None:
            return self._output(part, template, ctx), False
        before = budget.iterations, budget.output, edits.snapshot()
        budget.markup = False
        xml = self._output(part, template, ctx)
        if not budget.markup:
            return xml, True
        # A markup value: render the part again, as docxtpl would, with this document's budget and
        # numbering/link requests as they were before the first attempt.
        budget.iterations, budget.output = before[:2]
        edits.restore(before[2])
        template = self._jinja(part.name, classic, classic)
        part.template, part.classic = template, None
        return self._output(part, template, ctx), False

    def _output(self, part: _Part, template: jinja2.Template, ctx: dict) -> str:
        """The part's Jinja output; any error the template raises becomes a TemplateError naming the tag."""
        try:
            xml = "".join(template.root_render_func(template.new_context(ctx)))
        except DocgenError:
            raise
        except SecurityError as exc:
            raise TemplateError(f"{self.path} ({part.name}): the template tried to reach Python internals and "
                                f"was stopped ({exc}){_where(exc, template)}") from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{self.path} ({part.name}): {exc.message}{_where(exc, template)}") from None
        except LimitExceeded as exc:
            raise TemplateError(f"{self.path} ({part.name}): {exc}{_where(exc, template)}") from None
        except Exception as exc:
            raise TemplateError(f"{self.path} ({part.name}): the template failed: {_describe(exc)}"
                                f"{_where(exc, template)}") from None
        if len(xml) > self.limits.output:
            raise TemplateError(f"{self.path} ({part.name}): the document would be more than "
                                f"{self.limits.output:,} characters of XML")
        return xml

    def _finish_part(self, part: _Part, xml: str, fast: bool = False) -> bytes:
        """docxtpl's post-processing of a rendered part (`fast`: from the fast template, see _compile).

        Each step first asks, with a one-character search (far faster than a
        pattern), whether the part holds anything it would change.
        """
        if not fast:
            # the same as re.sub(r"\n<w:p([ >])", r"<w:p\1", xml), two to three times faster (bench/render.py)
            xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if not (fast and part.template.docgen_fragment_free) and _FRAGMENT_IN_TEXT.search(xml):
            raise TemplateError(
                f"{self.path} ({part.name}): a Word fragment (Markdown) was placed inside a line; "
                "it needs a paragraph of its own: write {{p name }} instead of {{ name }}"
            )
        if _has_brace_escape(xml):  # docxtpl's escapes for literal braces: {_{ }_} {_% %_}
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        xml = self._resolve_listing(xml)
        if part.prefix:  # the body
            if self._has_cell_tags:  # a {%tc %} loop or merge can change a row's cell count
                try:
                    xml = etree.tostring(self._docx.fix_tables(xml), encoding="unicode")
                except etree.LxmlError as exc:
                    raise TemplateError(f"{self.path} ({part.name}): the rendered body is not well-formed XML "
                                        f"({exc}); check the template's {{%tc %}} and {{%tr %}} tags") from None
            if not (fast and part.template.docgen_no_drawings):
                xml = _renumber_drawings(xml)
            return b"".join((part.prefix.encode("utf-8"), xml.encode("utf-8"), part.suffix.encode("utf-8")))
        return (_XML_DECLARATION + xml).encode("utf-8")

    def _resolve_listing(self, xml: str) -> str:
        """docxtpl's \\n, \\t, \\a, \\f handling, run only on the paragraphs that need it.

        docxtpl runs three nested regexes over every paragraph of every
        document; most paragraphs have no such character, and this is the
        same transformation applied paragraph by paragraph.
        """
        if not ("\n" in xml or "\t" in xml or "\a" in xml or "\f" in xml):  # the same test as _LISTING_CHARS, faster
            return xml
        return _PARAGRAPH.sub(
            lambda m: self._docx.resolve_listing(m.group(0)) if _LISTING_CHARS.search(m.group(0)) else m.group(0),
            xml,
        )

    def _add_nums(self, nums: list[tuple[int, int]]) -> bytes:
        xml = self._text(self._numbering_name)
        added = "".join(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
            + "".join(f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="1"/></w:lvlOverride>' for lvl in range(9))
            + "</w:num>"
            for num_id, abstract in nums
        )
        anchor = xml.find("<w:numIdMacAtCleanup")
        if anchor < 0:
            anchor = xml.rfind("</w:numbering>")
        return (xml[:anchor] + added + xml[anchor:]).encode("utf-8")

    def _add_links(self, links: list[tuple[str, str]], images=()) -> bytes:
        xml = self._text(self._document_rels)
        added = "".join(
            f'<Relationship Id="{rel_id}" Type="{_REL_HYPERLINK}" Target="{_xml_attr(url)}" TargetMode="External"/>'
            for rel_id, url in links
        ) + "".join(
            f'<Relationship Id="{rel_id}" Type="{_REL_IMAGE}" Target="{name.removeprefix("word/")}"/>'
            for rel_id, name, _ in images
        )
        anchor = xml.rfind("</Relationships>")
        return (xml[:anchor] + added + xml[anchor:]).encode("utf-8")

    def set_properties(self, props: Mapping[str, str]) -> None:
        """Every document rendered from now on records `props` as its docgen.* custom properties.

        Added to the template's own parts once (docgen.core.docprops), so a batch pays nothing per document.
        """
        from docgen.core.docprops import CUSTOM_PART, property_parts

        parts = property_parts(self._blobs["[Content_Types].xml"], self._blobs["_rels/.rels"], props)
        self._blobs.update(parts)
        if CUSTOM_PART not in self._names:
            self._names = [*self._names, CUSTOM_PART]
        self._static_entries = None

    def set_core_properties(self, **properties) -> None:
        """What Word shows in File › Info (title, creator, created …; docgen.core.docprops.core_parts) for
        every document rendered from now on: replaced in the template's parts once, like set_properties."""
        from docgen.core.docprops import core_parts

        for name, blob in core_parts(**properties).items():
            if name not in self._names:
                continue  # a template without the part keeps none (its content types would not name it)
            self._blobs[name] = blob
        self._static_entries = None

    def _with_png_type(self) -> bytes:
        xml = self._text("[Content_Types].xml")
        if 'Extension="png"' in xml:
            return xml.encode("utf-8")
        anchor = xml.find("<Default ")
        anchor = anchor if anchor >= 0 else xml.rfind("</Types>")
        return (xml[:anchor] + '<Default Extension="png" ContentType="image/png"/>' + xml[anchor:]).encode("utf-8")

    def _zip(self, rendered: dict[str, bytes], extra: dict[str, bytes] | None = None) -> bytes:
        if self._static_entries is None:  # first document: compress the unchanged parts once
            self._static_entries = {name: make_entry(name, self._blobs[name]) for name in self._names}
        return write_zip([
            make_entry(name, rendered[name], level=1) if name in rendered else self._static_entries[name]
            for name in self._names
        ] + [make_entry(name, data, level=1) for name, data in (extra or {}).items()])


_PARAGRAPH_START = re.compile(r"<w:p([ >])")
# What the fast template (DocumentTemplate._compile) must not meet, in the docxtpl-patched XML: Jinja
# comments and raw blocks (a newline in a comment would end or show), whitespace control (`-`
# would strip the newline the classic template has), and tags holding `<w:p`, a newline or a
# backslash (a string literal that could write `\n<w:p`).
_FAST_UNSAFE = re.compile(r"\{#|#\}|\{%-?\s*raw\b|\{[{%]-|-[}%]\}")
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
# Template code that turns output into a value (which a template could measure or compare):
_CAPTURES = (jinja2.nodes.Macro, jinja2.nodes.CallBlock, jinja2.nodes.FilterBlock, jinja2.nodes.AssignBlock,
             jinja2.nodes.Block)


def _fast_safe(patched: str) -> bool:
    if "\n" in patched or _FAST_UNSAFE.search(patched):
        return False
    return not any("<w:p" in tag or "\\" in tag for tag in _JINJA_TAG.findall(patched))


_FRAGMENT_IN_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*<w:(?:p|tbl)[ >]")
_OPEN_TEXT = re.compile(r"<w:t(?: [^>]*)?>")
_BLOCK_TAGS = ("<w:p ", "<w:p>", "<w:tbl ", "<w:tbl>")


class _CannotTell(Exception):
    pass


def _fragment_free(tree: jinja2.nodes.Template) -> bool:
    """Whether the template's own XML can never put a paragraph or table inside a line of text
    (what _FRAGMENT_IN_TEXT looks for), whatever its loops and ifs do.

    Follows the template's flow keeping one fact: are we inside `<w:t>` text? Values that are
    not markup cannot write `<`; a markup value makes the renderer search the document anyway.
    Anything this does not follow (other tags, tags cut in half, `<` in a constant) answers no.
    """
    try:
        _text_flow(tree.body, frozenset({False}))
    except _CannotTell:
        return False
    return True


def _text_flow(body: list, states: frozenset) -> frozenset:
    """The states (True: inside <w:t> text) after `body`, from `states` before it."""
    nodes = jinja2.nodes
    for node in body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    states = _text_state(child.data, states)
                elif any(isinstance(c.value, str) and "<" in c.value for c in (child, *child.find_all(nodes.Const))
                         if isinstance(c, nodes.Const)):
                    raise _CannotTell
        elif isinstance(node, nodes.If):
            after = _text_flow(node.else_, states)
            for branch in (node, *node.elif_):
                after |= _text_flow(branch.body, states)
            states = after
        elif isinstance(node, nodes.For) and not node.recursive:
            entry = states
            while not (after := _text_flow(node.body, entry)) <= entry:  # passes after the first
                entry |= after
            states = entry | _text_flow(node.else_, states)
        elif not isinstance(node, nodes.Assign):
            raise _CannotTell
    return states


def _text_state(data: str, states: frozenset) -> frozenset:
    first = data.find("<")
    if first < 0:
        return states
    if (True in states and data.startswith(_BLOCK_TAGS, first)) or _FRAGMENT_IN_TEXT.search(data):
        raise _CannotTell
    last = data[data.rfind("<"):]
    if ">" not in last:  # a tag cut by a template tag
        raise _CannotTell
    return frozenset({_OPEN_TEXT.match(last) is not None})
_LISTING_CHARS = re.compile("[\t\n\a\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_CELL_TAGS = re.compile(r"\{%-?\s*(tc|hm|vm|colspan|cellbg)\b")
_DOC_PR_ID = re.compile(r'(<wp:docPr\b[^>]*?\sid=")\d+')


def _has_brace_escape(xml: str, most: int = 2000) -> bool:
    """Whether `xml` holds `{_` or `_}` (each of docxtpl's brace escapes does), found by visiting its
    braces, which are few in a document, instead of searching the whole text for each escape."""
    for brace, neighbour in (("{", 1), ("}", -1)):
        i = xml.find(brace)
        while i >= 0:
            most -= 1
            if most < 0:  # a document full of braces: searching is cheaper
                return "{_" in xml or "_}" in xml
            if xml[i + neighbour: i + neighbour + 1] == "_" and i + neighbour >= 0:
                return True
            i = xml.find(brace, i + 1)
    return False


def _renumber_drawings(xml: str) -> str:
    """Unique drawing ids from 1001, as docxtpl does: a loop copies a picture's id."""
    if "docPr" not in xml:
        return xml
    counter = iter(range(1001, 1 << 31))
    return _DOC_PR_ID.sub(lambda m: f"{m.group(1)}{next(counter)}", xml)


def _xml_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, RecursionError):
        text = "it calls itself without end"
    elif isinstance(exc, MemoryError):
        text = "it ran out of memory"
    return f"{text[:300]} ({type(exc).__name__})" if text else type(exc).__name__


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def _where(exc: BaseException, template: jinja2.Template) -> str:
    """The tag (or the text around it) where a template failed, from the traceback's template frames."""
    lineno, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__jinja_template__") is template:
            lineno = template.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    source = getattr(template, "docgen_source", "")
    if lineno is None or not source:
        return ""
    line = source.splitlines()[lineno - 1] if lineno <= len(source.splitlines()) else ""
    tags = [re.sub(r"\s+", " ", tag) for tag in _TAG.findall(re.sub(r"<[^>]+>", "", line))]
    if len(tags) == 1:
        return f"\n  in: {tags[0][:200]}"
    return f"\n  near: {surrounding_text(source, lineno, radius=0)}"


def surrounding_text(source: str, lineno: int | None, radius: int = 2) -> str:
    """The document text around a Jinja line number (tags stripped), for error messages."""
    if not lineno:
        return ""
    lines = source.splitlines()[max(lineno - 1 - radius, 0): lineno + radius]
    text = " ".join(re.sub(r"<[^>]+>", "", line) for line in lines)
    return re.sub(r"\s+", " ", text).strip()[:200]


def render_many(template: str | Path, jobs: Iterable[tuple[Path, Mapping]], *,
                force: bool = False, settings: Settings | None = None, progress=None) -> list[Path]:
    """Many documents from one template prepared once (the batch path)."""
    prepared = DocumentTemplate(template, settings=settings)
    written = []
    for out, context in jobs:
        written.append(prepared.render_to(out, context, force=force))
        if progress is not None:
            progress(out)
    return written
