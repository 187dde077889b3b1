"""The user guide in docs/ stays true to the code.

- Every checked example (a fenced block whose info string names a format, e.g.
  ```yaml requirements) is written to a temporary file and loaded by the real
  loader; an error or a warning fails with the page and line.
- Every field and allowed value the loaders accept appears on its page in
  backticks; the names come from the loaders' own constants and models.
- Every `docgen …` command (and option) in inline code or a bash block exists
  in the click app.
- Links between pages point at pages and headings that exist.

docs/README.md explains the scheme to the people who write the pages.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
import yaml

from docgen.casebook.cases import OPTIONAL as CASE_OPTIONAL
from docgen.casebook.cases import REQUIRED as CASE_REQUIRED
from docgen.casebook.cases import load_casebook
from docgen.casebook.models import Case
from docgen.casebook.tokens import load_synonyms
from docgen.cli import main
from docgen.core import config
from docgen.core.config import Fonts, bundled_path, load_settings
from docgen.core.errors import DocgenError, Problems
from docgen.core.vocabulary import INDUSTRIES, INDUSTRY_ALIASES, LANGUAGES
from docgen.intake import form
from docgen.intake.models import (
    PRIORITIES,
    TRUST_LEVELS,
    Client,
    Competitor,
    Contact,
    Requirement,
    RequirementsFile,
)
from docgen.intake.raw import (
    CLIENT_FIELDS,
    COMPETITOR_FIELDS,
    CONTACT_FIELDS,
    REQUIREMENT_FIELDS,
    TOP_LEVEL,
)
from docgen.intake.requirements import (
    LANGUAGE_ALIASES,
    PRIORITY_ALIASES,
    TRUST_ALIASES,
    check_requirements,
)
from docgen.proposal.answers import (
    ANSWER_FIELDS,
    CAPABILITY_KEYS,
    COMPLIANCE_LEVELS,
    STANDARDS,
    AnswerEntry,
    load_answer_file,
    load_answers,
)
from docgen.proposal.bom import BOM_FIELDS, FIGURES
from docgen.proposal.company import (
    CERTIFICATE_FIELDS,
    CREDENTIAL_FIELDS,
    CREDENTIAL_KINDS,
    LEVEL_FIELDS,
    PERSON_FIELDS,
    ROLES,
    SERVICE_FIELDS,
    TEAM_FIELDS,
    Certificate,
    Credential,
    Person,
    Service,
    SlaLevel,
    load_credentials,
    load_service,
    load_team,
)
from docgen.proposal.pricebook import CATEGORIES, PriceItem
from docgen.proposal.pricebook import COLUMNS as PRICEBOOK_COLUMNS
from docgen.proposal.sections import (
    KINDS,
    SECTION_FIELDS,
    STAGES,
    Section,
    load_section_file,
    load_sections,
)
from docgen.review import batch, roles, scoresheet

DOCS = Path(__file__).resolve().parents[1] / "docs"
FORMAT_PAGES = {
    "requirements-file.md": ("requirements",),
    "case-study.md": ("case-study", "synonyms"),
    "review-role.md": ("role",),
    "proposal-sections.md": ("section",),
    "answers.md": ("answer",),
    "company.md": ("team", "credential", "service"),
    "config.md": ("config",),
}
JOB_PAGES = ("presales.md", "hr.md", "sales.md")
# Model fields that are not typed by users: where a value came from, the file it was read from.
NOT_INPUT = {"where", "path", "source"}


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


# --- fenced blocks ------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    page: str
    line: int  # of the opening fence
    info: tuple[str, ...]  # the info string's words: language, format, file name
    text: str

    @property
    def where(self) -> str:
        return f"docs/{self.page}, line {self.line} (```{' '.join(self.info)})"


def fenced_blocks(name: str, text: str) -> list[Block]:
    blocks, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("```"):
            info, start = tuple(lines[i][3:].split()), i
            i += 1
            body = []
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            blocks.append(Block(name, start + 1, info, "\n".join(body) + "\n"))
        i += 1
    return blocks


def all_pages() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md"))}


def without_fences(text: str) -> str:
    return re.sub(r"^```.*?^```[ \t]*$", "", text, flags=re.MULTILINE | re.DOTALL)


# --- loading checked examples -----------------------------------------------------------------

def _load_requirements(block: Block, tmp: Path) -> None:
    path = tmp / (block.info[2] if len(block.info) > 2 else "requirements.yaml")
    path.write_text(block.text, encoding="utf-8")
    _, warnings = check_requirements(path)
    assert not warnings, f"{block.where}: loads with warnings: {'; '.join(map(str, warnings))}"


def _load_case(block: Block, tmp: Path) -> None:
    folder = tmp / "casebook"
    folder.mkdir()
    (folder / (block.info[2] if len(block.info) > 2 else "case.md")).write_text(block.text, encoding="utf-8")
    [case] = load_casebook(folder)
    assert case.id and case.body.strip()


def _load_synonyms(block: Block, tmp: Path) -> None:
    path = tmp / "synonyms.yaml"
    path.write_text(block.text, encoding="utf-8")
    groups = load_synonyms(path).groups
    written = yaml.safe_load(block.text)["groups"]
    # The loader drops a group of fewer than two words without a word: the example must not have one.
    assert len(groups) == len(written), f"{block.where}: every group needs at least two different words"


def _load_role(block: Block, tmp: Path) -> None:
    name = block.info[2] if len(block.info) > 2 else f"{yaml.safe_load(block.text)['id']}.yaml"
    path = tmp / name
    path.write_text(block.text, encoding="utf-8")
    role = roles.parse_role(path)
    assert roles.load_role(str(path)) == role


def _load_section(block: Block, tmp: Path) -> None:
    folder = tmp / "sections"
    folder.mkdir()
    path = folder / (block.info[2] if len(block.info) > 2 else "section.md")
    path.write_text(block.text, encoding="utf-8")
    problems = Problems()
    section = load_section_file(path, problems)
    problems.raise_if_any()
    assert not problems.warnings, f"{block.where}: loads with warnings: {'; '.join(map(str, problems.warnings))}"
    assert load_sections(folder) == [section]


def _load_answer(block: Block, tmp: Path) -> None:
    folder = tmp / "answers"
    folder.mkdir()
    path = folder / (block.info[2] if len(block.info) > 2 else "answer.md")
    path.write_text(block.text, encoding="utf-8")
    problems = Problems()
    entry = load_answer_file(path, problems)
    problems.raise_if_any()
    assert not problems.warnings, f"{block.where}: loads with warnings: {'; '.join(map(str, problems.warnings))}"
    assert list(load_answers(folder)) == [entry]


def _company_part(block: Block, problems: Problems, loaded) -> None:
    problems.raise_if_any()
    assert not problems.warnings, f"{block.where}: loads with warnings: {'; '.join(map(str, problems.warnings))}"
    assert loaded, f"{block.where}: loads as nothing"


def _load_team(block: Block, tmp: Path) -> None:
    path = tmp / "team.yaml"
    path.write_text(block.text, encoding="utf-8")
    problems = Problems()
    _company_part(block, problems, load_team(path, problems))


def _load_credential(block: Block, tmp: Path) -> None:
    folder = tmp / "credentials"
    folder.mkdir()
    (folder / (block.info[2] if len(block.info) > 2 else "credential.yaml")).write_text(block.text, encoding="utf-8")
    image = folder / yaml.safe_load(block.text)["image"]  # the scan the example names exists, as for a user
    image.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(bundled_path("templates") / "common" / "logo.png", image)
    problems = Problems()
    _company_part(block, problems, load_credentials(folder, problems))


def _load_service(block: Block, tmp: Path) -> None:
    path = tmp / "service.yaml"
    path.write_text(block.text, encoding="utf-8")
    problems = Problems()
    _company_part(block, problems, load_service(path, problems).levels)


def _load_config(block: Block, tmp: Path) -> None:
    path = tmp / "docgen.toml"
    path.write_text(block.text, encoding="utf-8")
    # What the example points at exists next to it, as it would for a user.
    raw = tomllib.loads(block.text)
    logo = raw.get("company", {}).get("logo")
    if logo:
        (tmp / logo).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(bundled_path("templates") / "common" / "logo.png", tmp / logo)
    templates = raw.get("docgen", {}).get("templates")
    if templates:
        (tmp / templates).mkdir(parents=True, exist_ok=True)
    assert load_settings(path).source == path


# format -> (language of the block, loader)
LOADERS = {
    "requirements": ("yaml", _load_requirements),
    "case-study": ("markdown", _load_case),
    "synonyms": ("yaml", _load_synonyms),
    "role": ("yaml", _load_role),
    "section": ("markdown", _load_section),
    "answer": ("markdown", _load_answer),
    "team": ("yaml", _load_team),
    "credential": ("yaml", _load_credential),
    "service": ("yaml", _load_service),
    "config": ("toml", _load_config),
}


def checked_examples() -> list[Block]:
    return [b for name, text in all_pages().items() for b in fenced_blocks(name, text) if len(b.info) > 1]


def load_example(block: Block, tmp: Path) -> None:
    """Load one checked example with its format's real loader; AssertionError naming the page on failure."""
    language, loader = LOADERS[block.info[1]]
    assert block.info[0] == language, f"{block.where}: a {block.info[1]} example is ```{language} {block.info[1]}"
    try:
        loader(block, tmp)
    except DocgenError as exc:
        raise AssertionError(f"{block.where} does not load:\n{exc}") from None


def test_the_guide_exists_and_has_checked_examples():
    pages = all_pages()
    assert {"README.md", *FORMAT_PAGES, *JOB_PAGES} <= set(pages)
    for name, formats in FORMAT_PAGES.items():
        found = {b.info[1] for b in fenced_blocks(name, pages[name]) if len(b.info) > 1}
        assert set(formats) <= found, f"docs/{name} has no checked example of {set(formats) - found}"


def test_every_marker_names_a_format():
    for block in checked_examples():
        assert block.info[1] in LOADERS, (f"{block.where}: unknown format {block.info[1]!r}; "
                                          f"use one of {', '.join(LOADERS)} (see docs/README.md)")
        assert len(block.info) <= 3, f"{block.where}: expected ```<language> <format> [<file name>]"


@pytest.mark.parametrize("block", [b for b in checked_examples() if b.info[1] in LOADERS],
                         ids=lambda b: f"{b.page}:{b.line}:{b.info[1]}")
def test_checked_example_loads(block, tmp_path):
    load_example(block, tmp_path)


_GOOD_REQUIREMENTS = ("client:\n  name: X\n  industry: finance\n  presales_owner: Y\n"
                      "requirements:\n  - {id: R1, category: a, text: b, priority: must}\n")


@pytest.mark.parametrize("fmt, text, says", [
    ("requirements", _GOOD_REQUIREMENTS.replace("  presales_owner: Y\n", ""), "does not load"),
    ("requirements", _GOOD_REQUIREMENTS.replace("priority: must", "prority: must"), "loads with warnings"),
    ("role", (bundled_path("templates") / "review" / "roles" / "presales-engineer.yaml").read_text(encoding="utf-8")
     .replace("weight: 15", "weight: 16", 1), "does not load"),
    ("section", "---\nid: s\ntitle: S\nstages: [intro]\nlanguage: zh\n---\n" + "正文。" * 40, "does not load"),
    ("config", "[docgen]\nlanguage = \"fr\"\n", "does not load"),
    ("case-study", "---\nid: c\ntitle: C\n---\ntext\n", "does not load"),
    ("answer", "---\nid: a\nlanguage: zh\ntags: [x]\nquestions: [q]\ncompliance: always\n---\n正文\n", "does not load"),
    ("synonyms", "groups:\n  - [容灾, 灾备]\n  - [backup]\n", "at least two different words"),
], ids=["requirements-error", "requirements-warning", "role", "section", "config", "case-study", "answer", "synonyms"])
def test_a_broken_example_fails_with_its_page(fmt, text, says, tmp_path):
    """The loading test can fail: a bad example is reported with its page and line."""
    info = (LOADERS[fmt][0], fmt) + (("presales-engineer.yaml",) if fmt == "role" else ())
    with pytest.raises(AssertionError, match=rf"docs/made-up\.md, line 7 \(```{info[0]} {fmt}.*\):? .*{says}"):
        load_example(Block("made-up.md", 7, info, text), tmp_path)


@pytest.mark.parametrize("fmt, text", [
    ("team", "people:\n  - {name: A, title: B, roles: [wizard], years: 1}\n"),
    ("credential", "name: A\nnumber: '1'\nissuer: B\nimage: images/a.png\nvalid_until: soon\n"),
    ("service", "service_hours: 7×24\nwarranty_years: 3\nlevels: []\n"),
], ids=["team", "credential", "service"])
def test_a_broken_company_example_fails_with_its_page(fmt, text, tmp_path):
    with pytest.raises(AssertionError, match=rf"docs/made-up\.md, line 7 \(```yaml {fmt}\) does not load"):
        load_example(Block("made-up.md", 7, ("yaml", fmt), text), tmp_path)


# --- every field and value documented --------------------------------------------------------------

def input_fields(*models) -> list[str]:
    return [f.name for model in models for f in dataclasses.fields(model) if f.name not in NOT_INPUT]


def requirements_names() -> list[str]:
    book = form.build_form("zh")
    headers = [f"{name} {label}" for columns, _ in form.TABLES.values() for name, label, _ in columns]
    return [
        *TOP_LEVEL, *CLIENT_FIELDS, *REQUIREMENT_FIELDS, *COMPETITOR_FIELDS, *CONTACT_FIELDS,
        *input_fields(RequirementsFile, Client, Requirement, Competitor, Contact),
        *PRIORITIES, *PRIORITY_ALIASES, *TRUST_LEVELS, *TRUST_ALIASES, *LANGUAGES, *LANGUAGE_ALIASES,
        *INDUSTRIES, *INDUSTRY_ALIASES,
        # the Excel intake form: its sheets, the Client sheet's row labels, the tables' headers
        *book.sheetnames, form.build_form("en").sheetnames[0],
        *(f"{field} {spec[0]}" for field, spec in form.CLIENT_ROWS.items()), *headers,
        "示例-", "example-",
    ]


def case_names() -> list[str]:
    return [*CASE_REQUIRED, *CASE_OPTIONAL, *input_fields(Case), *LANGUAGES, "groups"]


def role_names() -> list[str]:
    rule_keys = [key for keys in roles.RULE_FIELDS.values() for key in keys]
    return [*roles.ROLE_FIELDS, *roles.INDICATOR_FIELDS, *roles.RULE_TYPES, *rule_keys, *roles.BAND_FIELDS,
            *roles.BAND_BASES, *roles.BETTER, *roles.GRADE_NAMES]


def score_names() -> list[str]:
    return [
        scoresheet.SCORES, scoresheet.INDICATORS, *scoresheet.EMPLOYEE_COLUMNS, *scoresheet.TAIL_COLUMNS,
        *(f"K*.{part}" for part in scoresheet.KPI_PARTS), *(f"B*.{part}" for part in scoresheet.BEHAVIOR_PARTS),
        *scoresheet.INDICATOR_COLUMNS, batch.SUMMARY,
        *batch.SUMMARY_SHEETS, *(column for columns in batch.SUMMARY_SHEETS.values() for column in columns),
    ]


def section_names() -> list[str]:
    return [*SECTION_FIELDS, *input_fields(Section), *KINDS, *STAGES, *LANGUAGES, *BOM_FIELDS, *FIGURES]


def answer_names() -> list[str]:
    return [*ANSWER_FIELDS, *input_fields(AnswerEntry), *COMPLIANCE_LEVELS, *CAPABILITY_KEYS, *STANDARDS, *LANGUAGES]


def company_names() -> list[str]:
    return [*TEAM_FIELDS, *PERSON_FIELDS, *CERTIFICATE_FIELDS, *ROLES, *CREDENTIAL_FIELDS, *CREDENTIAL_KINDS,
            *SERVICE_FIELDS, *LEVEL_FIELDS, *PRICEBOOK_COLUMNS, *CATEGORIES, *LANGUAGES, *INDUSTRIES,
            *input_fields(Person, Certificate, Credential, Service, SlaLevel, PriceItem)]


def config_names() -> list[str]:
    schema = config._SCHEMA  # the table of sections and keys load_settings accepts
    return [*(f"[{table}]" for table in schema), *(key for keys in schema.values() for key in keys),
            *(f.name for f in dataclasses.fields(Fonts)), *LANGUAGES]


DOCUMENTED = {
    "requirements-file.md": requirements_names,
    "case-study.md": case_names,
    "review-role.md": role_names,
    "score-workbook.md": score_names,
    "proposal-sections.md": section_names,
    "answers.md": answer_names,
    "company.md": company_names,
    "config.md": config_names,
}


def missing_names(text: str, names) -> list[str]:
    """The names that do not appear on the page as `name` (in backticks)."""
    return list(dict.fromkeys(name for name in names if f"`{name}`" not in text))


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_field_and_value_is_documented(name):
    missing = missing_names(page(name), DOCUMENTED[name]())
    assert not missing, f"docs/{name} does not document: {', '.join(missing)} (write each as `name`)"


def test_level_names_are_documented():
    text = page("score-workbook.md")
    for names in roles.LEVEL_NAMES.values():
        assert all(level in text for level in names.values()), names


def test_a_made_up_field_is_reported_missing():
    text = page("requirements-file.md")
    assert missing_names(text, [*CLIENT_FIELDS, "no_such_field"]) == ["no_such_field"]
    assert missing_names("`name` and name_zh", ["name", "name_zh"]) == ["name_zh"]


# --- commands ------------------------------------------------------------------------------------

SHELL_STOP = {"|", "||", "&&", ";", ">", ">>", "2>", "#", "\\"}
_OPTION = re.compile(r"^--?[A-Za-z][\w-]*$")
_NAME = re.compile(r"^[a-z][a-z-]*$")


def command_snippets(text: str) -> list[str]:
    """Inline code spans, and the lines of bash/sh/console blocks."""
    snippets = re.findall(r"`([^`\n]+)`", without_fences(text))
    for block in fenced_blocks("", text):
        if block.info[:1] in (("bash",), ("sh",), ("console",)):
            snippets += block.text.splitlines()
    return snippets


def invocations(snippet: str) -> list[list[str]]:
    """The tokens after each `docgen` in a snippet, up to a shell operator."""
    tokens = snippet.split()
    found = []
    for i, token in enumerate(tokens):
        if token == "docgen":
            rest = []
            for item in tokens[i + 1:]:
                if item in SHELL_STOP or item == "docgen":
                    break
                rest.append(item)
            found.append(rest)
    return found


def _options(command: click.Command) -> set[str]:
    names = {"--help", "-h"}
    for param in command.params:
        names.update(param.opts + param.secondary_opts)
    return names


def command_problems(tokens: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """(the command path named, problems) for the tokens after `docgen`."""
    problems: list[str] = []
    command: click.Command = main
    path: list[str] = []
    rest = list(tokens)
    while rest:
        token = rest.pop(0).strip("[]")
        if token.startswith("-"):
            option = token.split("=", 1)[0]
            if _OPTION.match(option) and option not in _options(command):
                problems.append(f"docgen {' '.join(path)}: no option {option}")
            if option == "--config" and rest and "=" not in token:
                rest.pop(0)
            continue
        if isinstance(command, click.Group) and _NAME.match(token):
            sub = command.commands.get(token)
            if sub is None:
                problems.append(f"docgen {' '.join(path + [token])}: no such command")
                break
            command = sub
            path.append(token)
    return tuple(path), problems


def test_every_documented_command_and_option_exists():
    problems = []
    for name, text in all_pages().items():
        for snippet in command_snippets(text):
            for tokens in invocations(snippet):
                problems += [f"docs/{name}: `{snippet.strip()}`: {p}" for p in command_problems(tokens)[1]]
    assert not problems, "\n".join(problems)


def _all_commands(command: click.Command):
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _all_commands(sub)


def test_every_option_named_alone_exists():
    """`--top-share-limit 0.3` in a sentence is an option of some docgen command."""
    known = set().union(*(_options(command) for command in _all_commands(main)))
    problems = []
    for name, text in all_pages().items():
        for snippet in re.findall(r"`([^`\n]+)`", without_fences(text)):
            first = (snippet.split() or [""])[0].split("=", 1)[0]
            if _OPTION.match(first) and first not in known:
                problems.append(f"docs/{name}: `{snippet}`: no docgen command has {first}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name, commands", [
    ("presales.md", {("requirements", "new"), ("requirements", "check"), ("cases", "match"), ("proposal", "brief"),
                     ("proposal", "plan"), ("proposal", "build"), ("proposal", "check"), ("proposal", "release"),
                     ("company", "check"), ("proposal", "quote")}),
    ("hr.md", {("review", "roles"), ("review", "scoresheet"), ("review", "fill"), ("review", "blank")}),
    ("sales.md", {("cases", "search"), ("cases", "match"), ("cases", "pack"), ("cases", "lint")}),
])
def test_job_pages_walk_through_their_commands(name, commands):
    named = {command_problems(tokens)[0] for snippet in command_snippets(page(name)) for tokens in invocations(snippet)}
    assert commands <= named, f"docs/{name} does not show {sorted(commands - named)}"


def test_a_made_up_command_or_option_is_reported():
    assert command_problems(["proposal", "publish", "x.docx"])[1] == ["docgen proposal publish: no such command"]
    assert command_problems(["proposal", "build", "f.yaml", "--colour", "red"])[1] == [
        "docgen proposal build: no option --colour"]
    assert command_problems(["--config", "x.toml", "review", "fill", "s.xlsx", "[--pdf]", "--jobs", "2"]) == (
        ("review", "fill"), [])
    assert invocations("docgen cases search 容灾 --json | head -3") == [["cases", "search", "容灾", "--json"]]


# --- links ---------------------------------------------------------------------------------------------

def anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", without_fences(text), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_links_between_pages_resolve():
    pages = all_pages()
    problems = []
    for name, text in pages.items():
        for target in re.findall(r"\]\(([^)\s]+)\)", without_fences(text)):
            if re.match(r"[a-z]+://", target):
                continue
            file, _, anchor = target.partition("#")
            file = file or name
            if file not in pages:
                problems.append(f"docs/{name}: link to {target}: no page docs/{file}")
            elif anchor and anchor not in anchors(pages[file]):
                problems.append(f"docs/{name}: link to {target}: docs/{file} has no heading #{anchor}")
    assert not problems, "\n".join(problems)
    assert set(re.findall(r"\]\(([\w-]+\.md)\)", pages["README.md"])) >= set(pages) - {"README.md"}
