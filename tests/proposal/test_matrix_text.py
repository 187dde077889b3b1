"""The matrix cell gives an answer's lead: its first paragraph and, when that ends with a colon, what it lists."""

from docgen.proposal.context import first_paragraph


def test_plain_paragraph():
    assert first_paragraph("**双活**架构,`RPO=0`。\n\n第二段") == "双活架构,RPO=0。"


def test_a_colon_brings_its_list_short_items_whole():
    text = "两步:\n\n- 先做 A;\n- 再做 B。\n\n其余"
    assert first_paragraph(text) == "两步:先做 A；再做 B。"


def test_a_long_list_is_given_by_its_titles():
    items = "\n".join(f"- 标题{n}:" + "很长的说明" * 12 for n in range(4))
    assert first_paragraph(f"我们这样做:\n\n{items}") == "我们这样做:标题0、标题1、标题2、标题3。"


def test_english_keeps_its_spacing():
    text = "Two steps:\n\n- Plan the cut-over.\n- Run it."
    assert first_paragraph(text) == "Two steps: Plan the cut-over; Run it."
