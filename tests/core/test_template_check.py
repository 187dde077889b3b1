"""`templates check`: a trial render with sample values finds what fails at run time, and only that."""

from __future__ import annotations

import docx

from docgen.core.template_check import check_template


def _template(tmp_path, *paragraphs: str):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "t.docx"
    document.save(path)
    return path


def test_ordinary_template_code_passes_the_trial(tmp_path):
    path = _template(
        tmp_path,
        "{% for a, b, c in rows %}{{ a }}{{ b }}{{ c }}{% endfor %}",
        "{% for k, (v, w) in data.items() %}{{ k }}={{ v }}{% endfor %}",
        "{{ '%.2f'|format(total) }} {{ total * 1.1 }} {{ '%d' % count }} {% if total > 5 %}big{% endif %}",
        "{{ items|map(attribute='name')|join(', ') }} {{ items|length }} {{ items|first }} {{ items|sort|list }}",
        "{{ d.strftime('%Y') }} {{ x|default('n/a') }} {{ x|upper }} {{ (x ~ 'y')|truncate(5) }}",
        "{{ rows|groupby('k')|list }} {{ x|tojson }} {{ items|sum(attribute='n') }}",
        "{% for r in rows recursive %}{{ r.name }}{{ loop(r.children) }}{% endfor %}",
        "{% macro tree(n) %}{% for c in n.children %}{{ tree(c) }}{% endfor %}{% endmacro %}{{ tree(root) }}",
    )
    assert check_template(path) == []


def test_what_fails_at_run_time_is_named_with_its_tag(tmp_path):
    path = _template(tmp_path, "客户 {{ client }}", "合计 {{ total / 0 if false else 1/0 }}")
    [problem] = check_template(path)
    assert problem.where.field == "word/document.xml"
    assert "ZeroDivisionError" in problem.message and "{{ total / 0 if false else 1/0 }}" in problem.message


def test_a_template_that_never_stops_is_named(tmp_path):
    path = _template(tmp_path, "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(client) }}")
    [problem] = check_template(path)
    assert "nested more than 50 deep" in problem.message
