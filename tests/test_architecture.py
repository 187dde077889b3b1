"""The layout's promises: imports point one way, and no more than four modules sit at the top.

core stands on nothing of ours; intake on core; casebook on core and the
intake models; proposal on core, intake and casebook; review on core only;
nothing but cli (and `python -m docgen`) imports cli. Each module's imports are
read from its source with ast, so a late import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "docgen"
DOMAINS = ("core", "intake", "casebook", "proposal", "review")

# area -> docgen areas it may import ("intake.models" allows just that module).
ALLOWED = {
    "core": {"core"},
    "intake": {"core", "intake"},
    "casebook": {"core", "casebook", "intake.models"},
    "proposal": {"core", "intake", "casebook", "proposal"},
    "review": {"core", "review"},
    "cli": {"cli", "core", *DOMAINS, "demo", "web"},
    "web": {"core", "intake", "casebook", "proposal", "review", "web"},
    "demo": {"core", *DOMAINS},
    "api": {"core", *DOMAINS},
    "__main__": {"cli"},
    "__init__": set(),
}


def area_of(module: str) -> str:
    """'docgen.casebook.match' -> 'casebook'; 'docgen.demo' -> 'demo'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) for every `import docgen…` and `from docgen… import x` in source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("docgen")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("docgen"):
            if node.module == "docgen" or node.module.count(".") == 1 and node.module.split(".")[1] in DOMAINS:
                # `from docgen.core import pdf` imports the module docgen.core.pdf
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def violations(module: str, source: str) -> list[str]:
    area = area_of(module)
    allowed = ALLOWED[area]
    bad = []
    for line, target in imported_modules(source):
        if target == "docgen" or target == "docgen.__version__":
            continue
        target_area = area_of(target)
        narrow = ".".join(target.split(".")[1:3])
        if target_area in allowed or narrow in allowed:
            continue
        bad.append(f"{module} (line {line}) imports {target}: {area} may import only {sorted(allowed) or 'nothing'}")
    return bad


def package_modules() -> dict[str, str]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__" and len(parts) > 2:
            parts = parts[:-1]
        modules[".".join(parts)] = path.read_text(encoding="utf-8")
    return modules


def test_every_import_points_the_allowed_way():
    problems = [problem for module, source in package_modules().items() for problem in violations(module, source)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("module, source, offending", [
    ("docgen.core.render", "from docgen.proposal.context import TEMPLATE_VARIABLES\n", "docgen.proposal.context"),
    ("docgen.review.batch", "def f():\n    from docgen.casebook import pack\n", "docgen.casebook.pack"),
    ("docgen.casebook.match", "import docgen.intake.requirements\n", "docgen.intake.requirements"),
    ("docgen.intake.analysis", "from docgen.cli.common import current_settings\n", "docgen.cli.common"),
])
def test_a_wrong_import_is_named(module, source, offending):
    [problem] = violations(module, source)
    assert offending in problem and module in problem


def test_allowed_imports_pass():
    assert not violations("docgen.casebook.match", "from docgen.intake.models import RequirementsFile\n")
    assert not violations("docgen.proposal.build", "from docgen.casebook.cache import open_index\n")


def test_the_tree_shows_the_jobs():
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert set(DOMAINS) | {"cli"} <= set(folders)
    top_modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top_modules) <= 4, top_modules
    for domain in (*DOMAINS, "cli"):
        docstring = ast.get_docstring(ast.parse((PACKAGE / domain / "__init__.py").read_text(encoding="utf-8")))
        assert docstring and "may import" in docstring.lower(), f"docgen/{domain}/__init__.py says what it may import"
