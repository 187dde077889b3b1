"""The architecture diagram (docgen.proposal.diagram): every block named, bounded, a sane PNG, the same every time."""

from __future__ import annotations

import re
import struct

import pytest

from docgen.core.errors import ExternalToolError
from docgen.proposal.diagram import MAX_BLOCKS, MAX_SITES, architecture_dot, architecture_png

LAYERS = [
    ("接入", ["SD-WAN 分支网关", "互联网出口"]),
    ("网络", ["核心交换机", "数据中心接入交换机", "波分互联(裸光纤)"]),
    ("存储", ["全闪存阵列(双活)", "分布式存储"]),
    ("灾备", ["同城双活", "异地灾备中心", "备份一体机", "不可篡改备份(WORM)"]),
    ("安全", ["下一代防火墙", "日志审计"]),
    ("运维", ["统一监控平台"]),
]
SITES = ["总行数据中心", "同城灾备中心"]


def squeeze(text: str) -> str:
    return "".join(text.split())


def labels(dot: str) -> list[str]:
    """The text of every cell without spaces (a label may wrap at a space), line breaks joined."""
    cells = re.findall(r"<FONT[^>]*>(?:<B>)?(.*?)(?:</B>)?</FONT>", dot)
    return [squeeze(cell.replace("<BR/>", "")) for cell in cells]


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_source_names_every_layer_block_and_site():
    found = labels(architecture_dot(LAYERS, SITES, "zh"))
    expected = ["站点", *SITES, *(name for name, _ in LAYERS), *(b for _, blocks in LAYERS for b in blocks)]
    assert sorted(found) == sorted(map(squeeze, expected))


def test_security_and_operations_are_columns_down_the_side():
    dot = architecture_dot(LAYERS, SITES, "zh")
    first_row = dot.split("</TR>")[0]
    assert "安全" in first_row and "运维" in first_row  # their headings sit in the sites row
    assert 'ROWSPAN="4"' in dot  # and their blocks span the four bands below it
    assert "Security" in architecture_dot([("Security", ["Firewall"]), ("Network", ["Core"])], [], "en")


def test_long_lists_and_labels_are_bounded():
    many = [("计算", [f"服务器集群{i}" for i in range(15)])]
    found = labels(architecture_dot(many, [f"站点{i}" for i in range(20)], "zh"))
    assert [f for f in found if f.startswith("服务器集群")] == [f"服务器集群{i}" for i in range(MAX_BLOCKS - 1)]
    assert "另10项" in found and f"另{20 - MAX_SITES + 1}项" in found
    long = labels(architecture_dot([("存储", ["超" * 40]), ("Storage", ["word " * 20])], [], "en"))
    assert all(len(label) <= 32 for label in long) and any(label.endswith("…") for label in long)
    assert "10more" in labels(architecture_dot([("Compute", [f"n{i}" for i in range(15)])], [], "en"))


def test_hostile_text_is_escaped():
    dot = architecture_dot([("网络", ['R&D <Ltd> "x"', "{{ 7*7 }}"])], ["A\x00B"], "zh")
    assert "R&amp;D &lt;Ltd&gt;<BR/>&quot;x&quot;" in dot and "{{ 7*7 }}" in dot and "\x00" not in dot
    assert "AB" in labels(dot)


def test_english_words_are_not_broken_chinese_breaks_between_characters():
    layers = [("Operations", ["Observability"]), ("运维", ["统一监控与告警平台"])]
    dot = architecture_dot(layers, ["Kuala Lumpur"], "en")
    assert "Observability" in dot and "Opera" + "<BR/>" not in dot
    assert "统一监控<BR/>与告警平台" in dot or "统一监控与<BR/>告警平台" in dot


def test_png_is_valid_sane_and_the_same_every_time(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "one"))
    first = architecture_png(LAYERS, SITES, "zh")
    width, height = png_size(first)
    assert 800 <= width <= 2600 and 300 <= height <= 1400
    assert width > height  # a landscape picture for a page-wide figure
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "two"))  # drawn again by Graphviz, not cached
    assert architecture_png(LAYERS, SITES, "zh") == first


def test_a_diagram_drawn_once_is_not_drawn_again(monkeypatch, tmp_path):
    import graphviz

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = architecture_png(LAYERS, SITES, "zh")

    def no_drawing(*args, **kwargs):
        raise AssertionError("Graphviz ran for a diagram it drew before")

    with monkeypatch.context() as patch:
        patch.setattr(graphviz.Source, "pipe", no_drawing)
        assert architecture_png(LAYERS, SITES, "zh") == first
        with pytest.raises(AssertionError):  # another diagram is drawn
            architecture_png(LAYERS, ["另一站点"], "zh")
    [entry] = (tmp_path / "cache" / "docgen" / "diagrams").glob("*.png")
    entry.write_bytes(first[: len(first) // 2])  # a damaged entry is drawn again
    assert architecture_png(LAYERS, SITES, "zh") == first


def test_the_worst_case_stays_page_sized():
    layers = [(f"层{i}", [f"很长的方案模块名称{i}{j}" for j in range(20)]) for i in range(12)]
    width, height = png_size(architecture_png(layers, [f"站点{i}" for i in range(20)], "zh"))
    assert width <= 3200 and height <= 2400


def test_without_graphviz_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ExternalToolError, match="apt-get install graphviz"):
        architecture_png(LAYERS, SITES, "zh")
