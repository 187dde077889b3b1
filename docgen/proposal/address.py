"""How a proposal addresses the client: 贵行, 贵院, 贵校, 贵单位 or 贵司 — and "you" in English.

Chinese business writing addresses a bank as 贵行, a hospital as 贵院, a school
as 贵校, a government body or public institution as 贵单位 and a company as
贵司. The client's name decides first (华东某城市商业银行 → 贵行, 某市人民医院 → 贵院);
the industry is the fallback.
"""

from __future__ import annotations

_BY_NAME = (
    (("银行", "信用社", "农商行", "城商行", "农信"), "贵行"),
    (("医院", "卫生院", "疾控", "妇幼保健"), "贵院"),
    (("大学", "学院", "学校", "中学", "小学", "职校"), "贵校"),
    (("局", "委员会", "政府", "厅", "办公室", "管理中心", "研究所", "研究院"), "贵单位"),
)
_BY_INDUSTRY = {"healthcare": "贵院", "education": "贵校", "government": "贵单位"}


def client_address(name: str, industry: str, language: str) -> str:
    """The polite second person for this client in `language` (zh: 贵行/贵院/贵校/贵单位/贵司; en: you)."""
    if language != "zh":
        return "you"
    for words, address in _BY_NAME:
        if any(word in name for word in words):
            return address
    return _BY_INDUSTRY.get(industry, "贵司")
