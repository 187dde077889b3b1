"""The shared words of every job: industries (with their Chinese names) and document languages."""

from __future__ import annotations

INDUSTRIES = (
    "finance", "government", "manufacturing", "energy", "healthcare", "education",
    "telecom", "retail", "transport", "internet", "other",
)
INDUSTRY_ALIASES = {
    "金融": "finance", "政府": "government", "制造": "manufacturing", "能源": "energy",
    "医疗": "healthcare", "教育": "education", "运营商": "telecom", "零售": "retail",
    "交通": "transport", "互联网": "internet", "其他": "other",
}
INDUSTRY_NAMES_ZH = {v: k for k, v in INDUSTRY_ALIASES.items()}

LANGUAGES = ("zh", "en")


def normalize_industry(value: str) -> str | None:
    """'金融' or 'Finance' -> 'finance'; None when unknown."""
    text = str(value).strip()
    if text.lower() in INDUSTRIES:
        return text.lower()
    return INDUSTRY_ALIASES.get(text)
