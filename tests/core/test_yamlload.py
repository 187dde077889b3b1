"""libyaml (CSafeLoader) reads front matter exactly as the bounded pure-Python loader does."""

from __future__ import annotations

import pytest
import yaml

from docgen.core import yamlload
from docgen.core.errors import InputError
from docgen.core.yamlload import load_yaml

SAMPLES = [
    "id: bank-2024\ntitle: 某城商行同城双活\nyear: 2024\nexternal: no\nversion: 3.10\ncode: 010\n",
    "tags: [storage, backup]\nlast_reviewed: 2026-01-05\nempty:\nquoted: \"\"\nnull_text: 'null'\ntilde: ~\n",
    "summary: >\n  folded text\n  over lines\nbody: |\n  kept\n  lines\nlist:\n  - a\n  - b: c\n",
    "\nid: x\n\n\ntitle: after blank lines\n",  # line numbers as a front matter's (file line = n + 1)
    "nested: {a: [1, 2, {b: c}]}\n",
]


def _fast(text: str):
    assert yamlload._compose_fast(text) is not yamlload._SLOW  # the sample does take the libyaml path
    return load_yaml(text, "f.md")


def _slow(text: str, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(yamlload, "_CLoader", None)
        return load_yaml(text, "f.md")


@pytest.mark.skipif(getattr(yaml, "CSafeLoader", None) is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", SAMPLES)
def test_same_values_and_lines(text, monkeypatch):
    fast, slow = _fast(text), _slow(text, monkeypatch)
    assert fast == slow  # Node is a frozen dataclass: values, nested nodes and line numbers compared
    assert fast.plain() == slow.plain()


def test_strings_stay_as_typed():
    values = load_yaml(SAMPLES[0] + SAMPLES[1]).plain()
    assert values["external"] == "no" and values["version"] == "3.10" and values["code"] == "010"
    assert values["last_reviewed"] == "2026-01-05" and values["empty"] is None
    assert values["quoted"] == "" and values["null_text"] == "null" and values["tilde"] is None


@pytest.mark.parametrize("text", ["a: [b\nc: d\n", "a: b\n a: c\n", "a: b\na: c\n"])
def test_errors_are_the_bounded_loaders(text, monkeypatch):
    with pytest.raises(InputError) as fast:
        load_yaml(text, "f.md")
    with pytest.raises(InputError) as slow:
        _slow(text, monkeypatch)
    assert str(fast.value) == str(slow.value) and "f.md" in str(fast.value)


@pytest.mark.parametrize("text", ["a: &x [1, 2]\nb: *x\n", "a: " + "[" * 70 + "]" * 70 + "\n", "a: b\n" * 5000])
def test_what_the_bounds_guard_takes_the_bounded_loader(text):
    assert yamlload._compose_fast(text) is yamlload._SLOW
