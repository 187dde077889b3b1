"""One error hierarchy for the whole library.

The library raises these; the CLI (docgen.cli) turns them into a short message
on stderr and an exit code. Every message says *where* (file, sheet, row,
column, YAML line, field) and *what was expected*.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem is: any subset of file, sheet, row, column, line, field."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def with_(self, **changes) -> "Location":
        return Location(**{**self.__dict__, **changes})


@dataclass(frozen=True)
class Problem:
    where: Location
    message: str
    warning: bool = False
    zh: str = ""  # the message in Chinese, where a reader has one (summary.xlsx speaks the packets' language)

    def __str__(self) -> str:
        where = str(self.where)
        return f"{where}: {self.message}" if where else self.message


class DocgenError(Exception):
    """Base of every error docgen raises on purpose. exit_code goes to the shell."""

    exit_code = 2


class InputError(DocgenError):
    """Bad input: carries every problem found, so the user fixes them in one go."""

    def __init__(self, problems: list[Problem] | str, *, where: Location | None = None):
        if isinstance(problems, str):
            problems = [Problem(where or Location(), problems)]
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class TemplateError(DocgenError):
    """A Word template is broken, unsafe, or needs a variable docgen does not provide."""


class OutputExistsError(DocgenError):
    """The output exists and --force was not given: we never overwrite silently."""


class OutputError(DocgenError):
    """The output could not be written (permissions, no space, name too long, read-only…)."""


class ExternalToolError(DocgenError):
    """LibreOffice (or another helper program) is missing, timed out, or failed."""


class Problems:
    """Collects problems while validating; raise_if_any() fails with all of them."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, where: Location, message: str) -> None:
        self.items.append(Problem(where, message))

    def warn(self, where: Location, message: str, zh: str = "") -> None:
        self.items.append(Problem(where, message, warning=True, zh=zh))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.warning]

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputError(self.errors)
