"""Company knowledge: the team, the credentials, the price book and the service levels.

Four parts in the templates folder (docs/company.md):

    company/team.yaml          people, the roles they fill, certificates, cases delivered
    company/credentials/*.yaml one certificate, partnership or award per file, with its image
    company/pricebook.xlsx     products and services (docgen.proposal.pricebook)
    company/service.yaml       service hours, warranty years, SLA levels by severity

docgen bundles fictional defaults. A company's own templates folder replaces
them part by part: its `company/team.yaml` replaces the bundled team, and
its `company/credentials/` folder replaces the bundled credentials as a whole
(fictional certificates must never mix with real ones). Every problem in all
four parts is reported at once, with file, line or sheet/row, and field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen.core.config import Settings, bundled_path, png_problem
from docgen.core.errors import Location, Problems
from docgen.core.vocabulary import INDUSTRIES, LANGUAGES, normalize_industry
from docgen.proposal.pricebook import Pricebook, load_pricebook
from docgen.proposal.yamlfields import Fields, read_yaml

# Role keys and their names (zh, en); docs/company.md lists them.
ROLES = {
    "presales_owner": ("售前负责人", "Presales owner"),
    "project_manager": ("项目经理", "Project manager"),
    "solution_architect": ("解决方案架构师", "Solution architect"),
    "storage_engineer": ("存储工程师", "Storage engineer"),
    "backup_engineer": ("备份与容灾工程师", "Backup and DR engineer"),
    "network_engineer": ("网络工程师", "Network engineer"),
    "security_engineer": ("安全工程师", "Security engineer"),
    "cloud_engineer": ("云平台工程师", "Cloud engineer"),
    "dba": ("数据库工程师", "Database administrator"),
    "data_engineer": ("数据工程师", "Data engineer"),
    "operations_engineer": ("运维工程师", "Operations engineer"),
    "implementation_engineer": ("实施工程师", "Implementation engineer"),
    "test_engineer": ("测试工程师", "Test engineer"),
    "trainer": ("培训讲师", "Trainer"),
    "service_manager": ("服务经理", "Service manager"),
}
TEAM_FIELDS = ("people",)
PERSON_FIELDS = ("name", "name_en", "title", "title_en", "roles", "years", "languages", "cases", "certificates")
CERTIFICATE_FIELDS = ("name", "number", "valid_until")
CREDENTIAL_FIELDS = ("name", "name_en", "kind", "number", "issuer", "valid_until", "image", "industries", "tags")
CREDENTIAL_KINDS = ("certificate", "partner", "award")
SERVICE_FIELDS = ("service_hours", "service_hours_en", "warranty_years", "hotline", "levels")
LEVEL_FIELDS = ("severity", "name", "name_en", "description", "description_en", "response_minutes", "onsite_hours",
                "resolution_hours")
SEVERITIES = (1, 2, 3, 4)
IMAGE_MAX_BYTES = 5 << 20
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PARTS = {"team": "company/team.yaml", "credentials": "company/credentials", "pricebook": "company/pricebook.xlsx",
         "service": "company/service.yaml"}


@dataclass(frozen=True)
class Certificate:
    """A person's certificate (PMP, HCIE …)."""

    name: str
    number: str
    valid_until: dt.date | None  # None: does not expire
    where: Location = field(default_factory=Location, compare=False, repr=False)

    def valid_on(self, today: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= today


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    roles: tuple[str, ...]
    years: int
    certificates: tuple[Certificate, ...] = ()
    cases: tuple[str, ...] = ()  # casebook ids of projects the person delivered
    languages: tuple[str, ...] = ("zh",)
    name_en: str = ""
    title_en: str = ""
    where: Location = field(default_factory=Location, compare=False, repr=False)

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name

    def title_in(self, lang: str) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title

    def is_named(self, name: str) -> bool:
        wanted = " ".join(name.split()).casefold()
        return wanted in {" ".join(n.split()).casefold() for n in (self.name, self.name_en) if n}


@dataclass(frozen=True)
class Credential:
    """One certificate, partnership or award of the company (资质与荣誉)."""

    id: str  # the file name without .yaml
    name: str
    kind: str
    number: str
    issuer: str
    valid_until: dt.date | None
    image: Path
    name_en: str = ""
    industries: tuple[str, ...] = ()  # empty: relevant to every client
    tags: tuple[str, ...] = ()  # empty: relevant whatever the requirements
    where: Location = field(default_factory=Location, compare=False, repr=False)

    def valid_on(self, today: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= today

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True)
class SlaLevel:
    severity: int  # 1 = most severe
    name: str
    description: str
    response_minutes: int
    onsite_hours: int | None  # None: resolved remotely, nobody is sent
    resolution_hours: int
    name_en: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class Service:
    service_hours: str
    warranty_years: int
    levels: tuple[SlaLevel, ...]  # severity 1 to 4
    hotline: str = ""
    service_hours_en: str = ""


@dataclass(frozen=True)
class Company:
    team: tuple[Person, ...]
    credentials: tuple[Credential, ...]
    pricebook: Pricebook
    service: Service
    sources: dict = field(default_factory=dict, compare=False)  # part -> path it was read from
    bundled: tuple[str, ...] = ()  # parts that are docgen's fictional defaults


@dataclass(frozen=True)
class Expiry:
    """An expired certificate: the company's (holder "") or a person's."""

    name: str
    number: str
    valid_until: dt.date
    holder: str
    where: Location


def company_paths(settings: Settings | None) -> dict[str, tuple[Path, bool]]:
    """part -> (path, is the bundled default) for team, credentials, pricebook and service."""
    own_dir = settings.templates_dir if settings is not None else None
    found = {}
    for part, relative in PARTS.items():
        own = own_dir / relative if own_dir is not None else None
        if own is not None and own.exists():
            found[part] = (own, False)
        else:
            found[part] = (bundled_path("templates") / relative, True)
    return found


def load_company(settings: Settings | None = None) -> Company:
    """The company's four parts, validated; InputError lists every problem of all of them."""
    problems = Problems()
    company = read_company(settings, problems)
    problems.raise_if_any()
    return company


def read_company(settings: Settings | None, problems: Problems) -> Company:
    """Like load_company, but problems and warnings go to `problems` (for `company check`)."""
    paths = company_paths(settings)
    team = load_team(paths["team"][0], problems)
    credentials = load_credentials(paths["credentials"][0], problems)
    pricebook = _load_part(paths["pricebook"][0], problems, lambda p: load_pricebook(p, problems)) or Pricebook(())
    service = load_service(paths["service"][0], problems)
    return Company(team=team, credentials=credentials, pricebook=pricebook, service=service,
                   sources={part: str(path) for part, (path, _) in paths.items()},
                   bundled=tuple(part for part, (_, bundled) in paths.items() if bundled))


def expired(company: Company, today: dt.date) -> list[Expiry]:
    """Every credential and personal certificate whose valid_until is before `today`."""
    found = [Expiry(c.name, c.number, c.valid_until, "", c.where.with_(field="valid_until"))
             for c in company.credentials if not c.valid_on(today)]
    found += [Expiry(c.name, c.number, c.valid_until, person.name, c.where.with_(field=f"{c.where.field}.valid_until"))
              for person in company.team for c in person.certificates if not c.valid_on(today)]
    return found


def credentials_for(company: Company, industry: str, words: list[str], today: dt.date) -> list[Credential]:
    """The valid credentials for a client: of its industry (or every industry) and,
    for a credential with tags, sharing a tag with `words` (the requirements' categories and tags)."""
    wanted = {w.casefold().strip() for w in words}
    industry = normalize_industry(industry) or industry
    return [c for c in company.credentials
            if c.valid_on(today)
            and (not c.industries or industry in c.industries)
            and (not c.tags or wanted & {t.casefold() for t in c.tags})]


# --- reading ---------------------------------------------------------------------------------------

def _load_part(path: Path, problems: Problems, loader):
    if not path.exists():
        problems.add(Location(file=str(path)), "not found")
        return None
    return loader(path)


def load_team(path: Path, problems: Problems) -> tuple[Person, ...]:
    """The people of team.yaml; problems (file, line, field) go to `problems`."""
    root = read_yaml(path, problems)
    if root is None:
        return ()
    where = Location(file=str(path))
    top = Fields(root, where, TEAM_FIELDS, problems)
    people, seen = [], {}
    entries = top.items("people")
    if not entries and isinstance(root.value, dict):
        problems.add(top.at("people"), "list at least one person")
    for index, node in enumerate(entries):
        person = _person(Fields(node, where, PERSON_FIELDS, problems, f"people[{index}]."), problems)
        if person is None:
            continue
        if person.name in seen:
            problems.add(person.where.with_(field=f"people[{index}].name"),
                         f"{person.name} is also listed on line {seen[person.name]}")
            continue
        seen[person.name] = person.where.line
        people.append(person)
    return tuple(people)


def _person(f: Fields, problems: Problems) -> Person | None:
    before = len(problems.errors)
    name = f.text("name", required=True)
    title = f.text("title", required=True)
    roles = f.words("roles")
    if not roles:
        problems.add(f.at("roles"), f"list the roles the person can fill: {', '.join(ROLES)}")
    for role in roles:
        if role not in ROLES:
            problems.add(f.at("roles"), f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    years = f.number("years", 0, 60)
    languages = f.words("languages") or ("zh",)
    for language in languages:
        if language not in LANGUAGES:
            problems.add(f.at("languages"), f"unknown language {language!r}; expected {' or '.join(LANGUAGES)}")
    cases = f.words("cases")
    for case in cases:
        if not _ID.match(case):
            problems.add(f.at("cases"), f"{case!r} is not a case id (letters, digits, . _ -)")
    certificates = []
    for index, node in enumerate(f.items("certificates")):
        sub = Fields(node, f.where, CERTIFICATE_FIELDS, problems, f"{f.prefix}certificates[{index}].")
        certificates.append(Certificate(sub.text("name", required=True), sub.text("number", required=True),
                                        sub.date("valid_until"), sub.where.with_(field=sub.prefix.rstrip("."))))
    if len(problems.errors) > before:
        return None
    return Person(name=name, title=title, roles=roles, years=years, certificates=tuple(certificates),
                  cases=cases, languages=languages, name_en=f.text("name_en"), title_en=f.text("title_en"),
                  where=f.where)


def load_credentials(folder: Path, problems: Problems) -> tuple[Credential, ...]:
    """One credential per *.yaml in `folder`, sorted by file name; problems go to `problems`."""
    if not folder.is_dir():
        problems.add(Location(file=str(folder)), "credentials folder not found")
        return ()
    found = []
    if not any(folder.glob("*.yaml")):
        problems.warn(Location(file=str(folder)), "no credentials (*.yaml) in this folder; proposals will list none")
    for path in sorted(folder.glob("*.yaml")):
        root = read_yaml(path, problems)
        if root is None:
            continue
        credential = _credential(path, Fields(root, Location(file=str(path)), CREDENTIAL_FIELDS, problems), problems)
        if credential is not None:
            found.append(credential)
    return tuple(found)


def _credential(path: Path, f: Fields, problems: Problems) -> Credential | None:
    before = len(problems.errors)
    if not _ID.match(path.stem):
        problems.add(f.where.with_(line=None), "the file name must be letters, digits, '.', '_' or '-' (it is the id)")
    name = f.text("name", required=True)
    kind = f.text("kind") or "certificate"
    if kind not in CREDENTIAL_KINDS:
        problems.add(f.at("kind"), f"expected one of {', '.join(CREDENTIAL_KINDS)}, got {kind!r}")
    industries = f.words("industries")
    for industry in industries:
        if normalize_industry(industry) is None:
            problems.add(f.at("industries"), f"unknown industry {industry!r}; expected one of {', '.join(INDUSTRIES)}")
    image = _image(path.parent, f.text("image", required=True), f.at("image"), problems)
    valid_until = f.date("valid_until")
    number, issuer = f.text("number", required=True), f.text("issuer", required=True)
    if len(problems.errors) > before:
        return None
    return Credential(id=path.stem, name=name, kind=kind, number=number, issuer=issuer, valid_until=valid_until,
                      image=image, name_en=f.text("name_en"), tags=f.words("tags"),
                      industries=tuple(normalize_industry(i) for i in industries), where=f.where.with_(line=None))


def _image(folder: Path, relative: str, where: Location, problems: Problems) -> Path:
    """The image file beside the credential: a PNG or JPEG inside the credentials folder, never a URL."""
    if not relative:
        return Path()
    if "://" in relative or Path(relative).is_absolute() or ".." in Path(relative).parts:
        problems.add(where, f"{relative!r}: name a PNG or JPEG file inside {folder.name}/ (no URL, no absolute path)")
        return Path()
    path = folder / relative
    if not path.is_file():
        problems.add(where, f"image file {path} does not exist")
        return path
    if path.stat().st_size > IMAGE_MAX_BYTES:
        problems.add(where, f"{path} is larger than {IMAGE_MAX_BYTES >> 20} MB; use a smaller image")
        return path
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xff\xd8\xff"):
        return path
    trouble = png_problem(path) if head.startswith(b"\x89PNG") else f"{path} is neither PNG nor JPEG"
    if trouble:
        problems.add(where, trouble)
    return path


def load_service(path: Path, problems: Problems) -> Service:
    """service.yaml; problems go to `problems`."""
    root = read_yaml(path, problems)
    empty = Service("", 0, ())
    if root is None:
        return empty
    f = Fields(root, Location(file=str(path)), SERVICE_FIELDS, problems)
    before = len(problems.errors)
    hours = f.text("service_hours", required=True)
    warranty = f.number("warranty_years", 0, 20)
    levels = []
    for index, node in enumerate(f.items("levels")):
        level = _level(Fields(node, f.where, LEVEL_FIELDS, problems, f"levels[{index}]."), problems)
        if level is not None:
            levels.append(level)
    severities = [level.severity for level in levels]
    if len(problems.errors) == before and sorted(severities) != list(SEVERITIES):
        problems.add(f.at("levels"), f"expected one level for each severity 1, 2, 3 and 4; found {severities}")
    levels.sort(key=lambda level: level.severity)
    for more, less in zip(levels, levels[1:]):
        if (less.response_minutes < more.response_minutes or less.resolution_hours < more.resolution_hours):
            problems.warn(f.at("levels"), f"severity {less.severity} is answered faster than severity {more.severity}")
    if len(problems.errors) > before:
        return empty
    return Service(service_hours=hours, warranty_years=warranty, levels=tuple(levels), hotline=f.text("hotline"),
                   service_hours_en=f.text("service_hours_en"))


def _level(f: Fields, problems: Problems) -> SlaLevel | None:
    before = len(problems.errors)
    severity = f.number("severity", 1, 4)
    name = f.text("name", required=True)
    response = f.number("response_minutes", 1, 10_000)
    onsite = f.number("onsite_hours", 1, 1_000, required=False)
    resolution = f.number("resolution_hours", 1, 10_000)
    if len(problems.errors) > before:
        return None
    return SlaLevel(severity=severity, name=name, description=f.text("description"), response_minutes=response,
                    onsite_hours=onsite, resolution_hours=resolution, name_en=f.text("name_en"),
                    description_en=f.text("description_en"))
