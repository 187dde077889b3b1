"""The presales loop in `docgen demo` (docgen.proposal.loop_demo): every step's document, each one what it says."""

from __future__ import annotations

from docgen.casebook.outcomes import connect, find, store_path
from docgen.core.docprops import read_stamp
from tests.helpers.docs import docx_text


def test_the_demo_goes_round_the_loop(tmp_path):
    from docgen.proposal.loop_demo import demo

    written = demo(tmp_path)
    names = [p.name for p in written]
    assert names[:2] == ["详细技术方案-V0.1.docx", "模块撰写分配.xlsx"] and "split.json" in names
    assert [read_stamp(tmp_path / n)["version"] for n in ("详细技术方案-V0.1.docx", "详细技术方案-V0.2.docx",
                                                         "详细技术方案-V1.0-终稿.docx")] == ["V0.1", "V0.2", "V1.0"]
    assembled = (tmp_path / "assemble.txt").read_text(encoding="utf-8")
    assert "merged 2 module(s) M01, M07" in assembled and "the draft may be released" in assembled
    diff = (tmp_path / "diff.txt").read_text(encoding="utf-8")
    assert "## 解决方案 › 存储" in diff and "修改 单元格 [符合度]: '待确认' → '部分满足'" in diff
    assert "新增 8, 删除 0, 修改 2" in diff  # the storage writer's 8 items, the matrix writer's 2 cells
    final_text = docx_text(tmp_path / "详细技术方案-V1.0-终稿.docx")
    assert "SHA-256" in final_text and "草稿 · 未审核" not in final_text
    with connect(store_path(tmp_path / "data")) as db:
        hospital = find(db, "西南某三甲医院", "医学影像存储扩容与 PACS 性能提升项目")
    assert hospital.result == "won" and hospital.cases == tuple(read_stamp(tmp_path / "详细技术方案-V1.0-终稿.docx")["cases"].split(","))
    stats = (tmp_path / "cases-stats.txt").read_text(encoding="utf-8")
    assert "13 proposals" in stats and "hospital-pacs-2024 | 5 | 4 | 1 | 80%" in stats
    assert "中标" in docx_text(tmp_path / "项目复盘.docx")
