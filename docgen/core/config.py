"""Settings: company, logo, fonts, language and a templates folder.

Read from an optional `docgen.toml` (the current folder, or --config). A
company's own Word templates in its templates folder replace the bundled
ones file by file, so branding never means touching the package.

    [company]
    name_zh = "示例科技有限公司"
    name_en = "Example Tech Co., Ltd."
    logo = "logo.png"

    [fonts]
    east_asian = "宋体"          # body text, Chinese
    east_asian_heading = "黑体"
    latin = "Calibri"

    [docgen]
    language = "zh"
    templates = "my-templates"   # relative to docgen.toml
    data = "docgen-data"         # the data folder: proposal outcomes (default: --data, else ./docgen-data)
"""

from __future__ import annotations

import struct
import tomllib
import zlib
from dataclasses import dataclass, field, fields
from pathlib import Path

from docgen.core.errors import InputError, Location, Problems

_PACKAGE = Path(__file__).resolve().parents[1]  # docgen/


def bundled_path(name: str) -> Path:
    """A bundled folder (templates, casebook, requirements_forms).

    A wheel carries them in docgen/_bundled; a source checkout or editable
    install has them at the repository root.
    """
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.exists() else _PACKAGE.parent / name


@dataclass(frozen=True)
class Fonts:
    east_asian: str = "宋体"
    east_asian_heading: str = "黑体"
    latin: str = "Calibri"
    latin_heading: str = "Calibri"
    monospace: str = "Consolas"


@dataclass(frozen=True)
class Settings:
    company_zh: str = "示例科技有限公司"
    company_en: str = "Example Tech Co., Ltd."
    logo: Path | None = None
    fonts: Fonts = field(default_factory=Fonts)
    language: str = "zh"
    templates_dir: Path | None = None
    source: Path | None = None
    data_dir: Path | None = None  # [docgen] data: the data folder (outcomes store) when --data is not given

    def company(self, lang: str) -> str:
        return self.company_zh if lang == "zh" else self.company_en

    def template_path(self, relative: str) -> Path:
        """The company's template when it has one, else the bundled one."""
        if self.templates_dir is not None:
            own = self.templates_dir / relative
            if own.exists():
                return own
        return bundled_path("templates") / relative


_SCHEMA = {
    "company": {"name_zh": str, "name_en": str, "logo": str},
    "fonts": {f.name: str for f in fields(Fonts)},
    "docgen": {"language": str, "templates": str, "data": str},
}


def load_settings(path: str | Path | None = None) -> Settings:
    """Settings from `path`, or ./docgen.toml when present, or the defaults."""
    if path is None:
        candidate = Path.cwd() / "docgen.toml"
        if not candidate.exists():
            return Settings()
        path = candidate
    path = Path(path)
    where = Location(file=str(path))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("config file not found", where=where) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid TOML: {exc}", where=where) from None

    problems = Problems()
    for table, value in raw.items():
        if table not in _SCHEMA or not isinstance(value, dict):
            problems.add(where.with_(field=table), f"unknown section; expected one of {', '.join(_SCHEMA)}")
            continue
        for key, item in value.items():
            expected = _SCHEMA[table].get(key)
            if expected is None:
                problems.add(where.with_(field=f"{table}.{key}"), f"unknown key; expected one of {', '.join(_SCHEMA[table])}")
            elif not isinstance(item, expected):
                problems.add(where.with_(field=f"{table}.{key}"), "expected a text value")
    company, fonts_raw, general = raw.get("company", {}), raw.get("fonts", {}), raw.get("docgen", {})
    language = general.get("language", "zh")
    if language not in ("zh", "en"):
        problems.add(where.with_(field="docgen.language"), f"expected zh or en, got {language!r}")
    base = path.resolve().parent
    logo = base / company["logo"] if company.get("logo") else None
    if logo is not None:
        trouble = png_problem(logo)
        if trouble:
            problems.add(where.with_(field="company.logo"), trouble)
    templates_dir = base / general["templates"] if general.get("templates") else None
    if templates_dir is not None and not templates_dir.is_dir():
        problems.add(where.with_(field="docgen.templates"), f"templates folder {templates_dir} does not exist")
    problems.raise_if_any()

    defaults = Settings()
    return Settings(
        company_zh=company.get("name_zh", defaults.company_zh),
        company_en=company.get("name_en", defaults.company_en),
        logo=logo,
        fonts=Fonts(**{k: v for k, v in fonts_raw.items() if isinstance(v, str)}),
        language=language,
        templates_dir=templates_dir,
        source=path,
        data_dir=base / general["data"] if general.get("data") else None,
    )


MAX_LOGO_BYTES = 5 << 20


def png_problem(path: Path) -> str | None:
    """Why `path` is not a usable PNG logo (missing, a folder, not PNG, truncated, corrupt), or None."""
    if not path.exists():
        return f"logo file {path} does not exist"
    if not path.is_file():
        return f"{path} is a folder; expected a PNG file"
    if path.stat().st_size > MAX_LOGO_BYTES:
        return f"{path} is larger than {MAX_LOGO_BYTES >> 20} MB; use a smaller PNG"
    data = path.read_bytes()
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return f"{path} is not a PNG file; save the logo as PNG"
    offset, seen_end = 8, False
    while offset + 12 <= len(data):  # every chunk: length, type, data, CRC
        length = struct.unpack(">I", data[offset:offset + 4])[0]
        kind = data[offset + 4:offset + 8]
        end = offset + 12 + length
        if end > len(data) or zlib.crc32(data[offset + 4:end - 4]) != struct.unpack(">I", data[end - 4:end])[0]:
            break
        if kind == b"IEND":
            seen_end = True
            break
        offset = end
    if not seen_end:
        return f"{path} is a damaged or truncated PNG; export the logo again"
    return None
