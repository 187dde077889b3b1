"""Builds the bundled, fictional company knowledge that is not typed by hand.

    python -m docgen.proposal.build_company            # templates/company/pricebook.xlsx
    python -m docgen.proposal.build_company --images   # also the credential placeholder images

The price book (~40 products and services of made-up brands) is written from
ITEMS, so it can be rebuilt and a test checks the committed file holds exactly
these values. The credential images are placeholders drawn from each
credential's YAML with Pillow and the Noto CJK fonts; Pillow is needed only
here (the `build` extra), never when docgen runs.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from docgen.core.config import bundled_path
from docgen.proposal.pricebook import CATEGORIES, COLUMNS, SHEET

# code, category, brand, model, name, name_en, unit, list price, cost, tags
ITEMS = [
    ("STOR-AFA-H5000", "storage", "华存", "HC-A5000", "全闪存存储阵列（双控，含 8×32Gb FC、4×25GbE）",
     "All-flash storage array (dual controller, 8×32Gb FC, 4×25GbE)", "台", 680000, 495000, "all-flash, storage"),
    ("STOR-CAP-50T", "storage", "华存", "HC-A5000-E50", "全闪存扩容包（50TB 可用容量，含 NVMe SSD）",
     "All-flash capacity pack (50 TB usable, NVMe SSD)", "套", 260000, 188000, "capacity, storage"),
    ("STOR-DIST-N3", "storage", "华存", "HC-D3000", "分布式存储节点（4U 36 盘位，200TB 可用）",
     "Distributed storage node (4U, 36 bays, 200 TB usable)", "台", 320000, 236000, "distributed, archive"),
    ("STOR-DIST-100T", "storage", "华存", "HC-D3000-E100", "分布式存储扩容包（100TB 可用容量）",
     "Distributed storage capacity pack (100 TB usable)", "套", 150000, 108000, "capacity, archive"),
    ("STOR-AA-LIC", "storage", "华存", "HyperSync-AA", "存储双活软件许可（每对阵列）",
     "Storage active-active licence (per array pair)", "套", 180000, 120000, "active-active"),
    ("STOR-REP-LIC", "storage", "华存", "HyperSync-R", "存储异步复制软件许可（每台阵列）",
     "Storage asynchronous replication licence (per array)", "套", 60000, 38000, "replication"),
    ("BAK-APP-B2000", "backup", "磐石", "PS-B2000", "备份一体机（100TB 可用容量，在线重删压缩）",
     "Backup appliance (100 TB usable, inline deduplication)", "台", 420000, 300000, "backup"),
    ("BAK-CAP-50T", "backup", "磐石", "PS-B2000-E50", "备份一体机扩容包（50TB 可用容量）",
     "Backup appliance capacity pack (50 TB usable)", "套", 120000, 82000, "backup, capacity"),
    ("BAK-WORM-V1", "backup", "磐石", "PS-Vault V1", "不可篡改备份存储（WORM，空气隔离）",
     "Immutable backup vault (WORM, air-gapped)", "台", 380000, 270000, "ransomware, worm"),
    ("BAK-SW-TB", "backup", "磐石", "PS-Backup 8", "备份软件许可（按前端容量计）",
     "Backup software licence (per front-end TB)", "TB", 3200, 1900, "backup"),
    ("BAK-DR-ORCH", "backup", "磐石", "PS-Orchestrator", "容灾编排与切换演练平台许可",
     "DR orchestration and failover drill licence", "套", 150000, 95000, "disaster-recovery, drill"),
    ("SRV-X86-2U", "compute", "北辰", "BC-R5300", "双路机架服务器（2×32 核，512GB 内存，2×960GB SSD）",
     "2-socket rack server (2×32 cores, 512 GB RAM, 2×960 GB SSD)", "台", 98000, 76000, "server"),
    ("SRV-XC-2U", "compute", "北辰", "BC-K5200", "信创服务器（国产 64 核 ×2，512GB 内存）",
     "Domestic-CPU server (2×64 cores, 512 GB RAM)", "台", 115000, 89000, "xinchuang, server"),
    ("SRV-HCI-NODE", "compute", "云栈", "YZ-H300", "超融合一体机节点（2×28 核，768GB，全闪存）",
     "Hyper-converged node (2×28 cores, 768 GB, all-flash)", "台", 168000, 126000, "hci, cloud"),
    ("NET-CORE-9800", "network", "云岭", "YL-S9800", "数据中心核心交换机（双主控，48×100GE）",
     "Data-centre core switch (dual supervisor, 48×100GE)", "台", 420000, 318000, "network, core"),
    ("NET-TOR-6800", "network", "云岭", "YL-S6800", "数据中心接入交换机（48×25GE + 8×100GE）",
     "Data-centre access switch (48×25GE + 8×100GE)", "台", 68000, 49000, "network"),
    ("NET-OOB-2200", "network", "云岭", "YL-S2200", "带外管理交换机（48×GE）",
     "Out-of-band management switch (48×GE)", "台", 9800, 6900, "network, management"),
    ("NET-DWDM-W16", "network", "云岭", "YL-W1600", "波分复用设备（两中心裸光纤互联，8 波）",
     "DWDM system (dark-fibre interconnect of two sites, 8 waves)", "套", 360000, 262000, "active-active, dci"),
    ("NET-LB-3000", "network", "云岭", "YL-L3000", "应用负载均衡与全局负载均衡（GSLB）",
     "Application and global server load balancer (GSLB)", "台", 180000, 128000, "active-active, load-balancing"),
    ("NET-SDWAN-E200", "network", "云岭", "YL-E200", "SD-WAN 分支网关（双 WAN 口，4G 备份链路）",
     "SD-WAN branch edge (dual WAN, 4G backup link)", "台", 12800, 8600, "sd-wan, branch"),
    ("NET-SDWAN-CTRL", "network", "云岭", "YL-Orchestrator", "SD-WAN 控制器与编排器许可（含 50 站点）",
     "SD-WAN controller and orchestrator licence (50 sites)", "套", 150000, 96000, "sd-wan"),
    ("SEC-FW-5000", "security", "天盾", "TD-F5000", "下一代防火墙（20Gbps，含 IPS/AV 三年特征库）",
     "Next-generation firewall (20 Gbps, IPS/AV signatures for 3 years)", "台", 168000, 118000, "security, firewall"),
    ("SEC-WAF-2000", "security", "天盾", "TD-W2000", "Web 应用防火墙",
     "Web application firewall", "台", 128000, 88000, "security, waf"),
    ("SEC-BH-1000", "security", "天盾", "TD-B1000", "运维堡垒机（500 资产）",
     "Privileged access bastion host (500 assets)", "台", 86000, 58000, "security, 等保"),
    ("SEC-LOG-1000", "security", "天盾", "TD-L1000", "日志审计系统（日志保存 180 天以上）",
     "Log audit system (logs kept 180 days or more)", "台", 98000, 66000, "security, 等保, audit"),
    ("SEC-DB-1000", "security", "天盾", "TD-D1000", "数据库审计系统",
     "Database activity audit", "台", 108000, 72000, "security, audit"),
    ("SEC-HSM-C100", "security", "天盾", "TD-C100", "服务器密码机（支持 SM2/SM3/SM4 国密算法）",
     "Hardware security module (SM2/SM3/SM4)", "台", 158000, 112000, "security, crypto, 国密"),
    ("SEC-ZTNA-100U", "security", "天盾", "TD-ZeroTrust", "零信任访问许可（每 100 用户·年）",
     "Zero-trust access licence (per 100 users per year)", "套", 36000, 21000, "zero-trust"),
    ("SW-HCI-CPU", "software", "云栈", "YunZhan 6", "虚拟化与超融合软件许可（每颗 CPU）",
     "Virtualisation and HCI software licence (per CPU)", "CPU", 18000, 11000, "cloud, virtualization"),
    ("SW-OPS-100", "software", "观澜", "GuanLan Ops 5", "统一运维监控平台许可（每 100 个纳管对象）",
     "Unified monitoring platform licence (per 100 monitored objects)", "套", 80000, 48000, "operations, monitoring"),
    ("SW-SSO-1000U", "software", "天盾", "TD-IAM", "统一身份认证与单点登录许可（每 1000 用户）",
     "Identity and single sign-on licence (per 1,000 users)", "套", 60000, 36000, "sso, identity"),
    ("SW-DATA-PLAT", "software", "观澜", "GuanLan Data 3", "数据平台基础软件许可（含数据集成与数据治理）",
     "Data platform licence (data integration and governance)", "套", 480000, 320000, "data platform"),
    ("SVC-PM-DAY", "service", "示例科技", "", "项目经理服务", "Project management", "人天", 2800, 1500, "service"),
    ("SVC-ARCH-DAY", "service", "示例科技", "", "高级架构师服务", "Senior architect", "人天", 3800, 2100, "service"),
    ("SVC-IMPL-DAY", "service", "示例科技", "", "实施工程师服务", "Implementation engineer", "人天", 2200, 1200,
     "service"),
    ("SVC-MIG-TB", "service", "示例科技", "", "数据迁移与完整性校验服务", "Data migration with integrity check",
     "TB", 800, 420, "migration"),
    ("SVC-DRILL", "service", "示例科技", "", "灾备切换演练服务（方案、实施、报告）",
     "DR failover drill (plan, run, report)", "次", 45000, 24000, "disaster-recovery, drill"),
    ("SVC-DENGBAO", "service", "示例科技", "", "等保三级整改与测评配合服务（每个定级系统）",
     "MLPS level 3 remediation and assessment support (per system)", "系统", 60000, 33000, "security, 等保"),
    ("TRN-ADMIN", "training", "示例科技", "", "系统管理员培训（5 天，每班不超过 10 人）",
     "Administrator training (5 days, up to 10 people)", "班", 30000, 14000, "training"),
    ("TRN-USER", "training", "示例科技", "", "最终用户培训（每场半天）", "End-user training (half-day session)",
     "场", 6000, 2500, "training"),
    ("WAR-HW-1Y", "warranty", "原厂", "", "硬件原厂维保（7×24，4 小时备件到场，每年）",
     "Manufacturer hardware support (24×7, 4-hour parts, per year)", "年", 60000, 36000, "warranty"),
    ("WAR-SW-1Y", "warranty", "原厂", "", "软件升级与原厂技术支持（每年）",
     "Software updates and manufacturer support (per year)", "年", 40000, 22000, "warranty"),
    ("WAR-ONSITE-1Y", "warranty", "示例科技", "", "7×24 驻场运维服务（1 人·年）",
     "24×7 on-site operations engineer (one person-year)", "人年", 360000, 216000, "support, service"),
]
BRANDS_EN = {"华存": "HuaCun", "磐石": "PanShi", "北辰": "BeiChen", "云栈": "YunZhan", "云岭": "YunLing",
             "天盾": "TianDun", "观澜": "GuanLan", "示例科技": "Example Tech", "原厂": "Manufacturer"}
UNITS_EN = {"台": "unit", "套": "set", "人天": "person-day", "TB": "TB", "CPU": "CPU", "次": "run", "系统": "system",
            "班": "class", "场": "session", "年": "year", "人年": "person-year"}
ORDER = ("code", "name", "name_en", "brand", "brand_en", "model", "unit", "unit_en", "list_price", "cost", "category",
         "tags")
WIDTHS = {"code": 18, "name": 44, "name_en": 44, "brand": 10, "brand_en": 13, "model": 16, "unit": 7, "unit_en": 11,
          "list_price": 13, "cost": 13, "category": 16, "tags": 26}


def rows() -> list[dict]:
    """ITEMS as the price book's rows, keyed by column."""
    keys = ("code", "category", "brand", "model", "name", "name_en", "unit", "list_price", "cost", "tags")
    found = [dict(zip(keys, item)) for item in ITEMS]
    return [{**row, "brand_en": BRANDS_EN[row["brand"]], "unit_en": UNITS_EN[row["unit"]]} for row in found]


def build(out_dir: str | Path) -> Path:
    """Write pricebook.xlsx into out_dir (templates/company)."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{SHEET} 价目表"
    sheet.append([f"{key} {COLUMNS[key][0]}" for key in ORDER])
    fill = PatternFill("solid", fgColor="DCE6F1")
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), fill
    internal = PatternFill("solid", fgColor="FCE4D6")  # the cost column is internal: it looks different
    sheet.cell(row=1, column=ORDER.index("cost") + 1).fill = internal
    for row in rows():
        values = {**row, "category": f"{row['category']} {CATEGORIES[row['category']][0]}"}
        sheet.append([values[key] for key in ORDER])
    for row in sheet.iter_rows(min_row=2):
        for key in ("list_price", "cost"):
            row[ORDER.index(key)].number_format = "#,##0.00"
        row[ORDER.index("name")].alignment = Alignment(wrap_text=True)
    for index, key in enumerate(ORDER):
        sheet.column_dimensions[get_column_letter(index + 1)].width = WIDTHS[key]
    sheet.freeze_panes = "B2"
    out = Path(out_dir) / "pricebook.xlsx"
    book.save(out)
    return out


# --- placeholder certificate images -------------------------------------------------------------

_NOTO = {"serif": ("Noto Serif CJK SC:bold", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"),
         "sans": ("Noto Sans CJK SC", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")}


def _font(kind: str, size: int):
    from PIL import ImageFont

    pattern, fallback = _NOTO[kind]
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}|%{index}", pattern], capture_output=True, text=True,
                               timeout=10, check=True).stdout
        path, index = found.split("|")
        return ImageFont.truetype(path, size, index=int(index or 0))
    except (OSError, ValueError, subprocess.SubprocessError):
        return ImageFont.truetype(fallback, size, index=2)  # index 2: the SC face of the Noto CJK collections


_NO_LINE_START = set(")）】」』,，。、:：;；")  # closing punctuation stays on the line it closes


def _wrap(text: str, font, width: int, draw) -> list[str]:
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width and line and char not in _NO_LINE_START:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    return lines + [line] if line else lines


def certificate_png(name: str, number: str, issuer: str, valid_until: str, kind: str) -> bytes:
    """A small placeholder certificate: clearly a sample, with the credential's name in Chinese."""
    from PIL import Image, ImageDraw

    width, height = 640, 452
    paper, ink, red, gold = (253, 250, 240), (40, 40, 40), (178, 34, 34), (176, 141, 87)
    image = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(image)
    draw.rectangle([10, 10, width - 11, height - 11], outline=gold, width=6)
    draw.rectangle([24, 24, width - 25, height - 25], outline=gold, width=2)
    heading = {"partner": "合 作 伙 伴 证 书", "award": "荣 誉 证 书"}.get(kind, "证  书")
    title = _font("serif", 34)
    draw.text((width / 2, 62), heading, font=title, fill=red, anchor="mm")
    body = _font("serif", 24)
    y = 118
    for line in _wrap(name, body, width - 120, draw)[:3]:
        draw.text((width / 2, y), line, font=body, fill=ink, anchor="mm")
        y += 36
    small = _font("sans", 17)
    details = [f"证书编号：{number}", f"发证机构：{issuer}"] + ([f"有效期至：{valid_until}"] if valid_until else [])
    y = max(y + 14, 236)
    for line in details:
        for part in _wrap(line, small, width - 200, draw)[:2]:
            draw.text((60, y), part, font=small, fill=ink)
            y += 26
    # A seal that says what this is: a sample, not a real certificate.
    cx, cy, r = width - 118, height - 104, 58
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=4)
    draw.text((cx, cy - 8), "示例", font=_font("serif", 26), fill=red, anchor="mm")
    draw.text((cx, cy + 22), "SAMPLE", font=_font("sans", 13), fill=red, anchor="mm")
    draw.text((60, height - 52), "示例数据 · 仅供演示，非真实证书", font=_font("sans", 14), fill=(120, 120, 120))
    buffer = io.BytesIO()
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def build_images(credentials_dir: str | Path) -> list[Path]:
    """Draw the image each credential YAML in `credentials_dir` names."""
    from docgen.core.yamlload import load_yaml

    written = []
    for path in sorted(Path(credentials_dir).glob("*.yaml")):
        fields = load_yaml(path.read_text(encoding="utf-8"), str(path)).plain()
        target = path.parent / fields["image"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(certificate_png(fields["name"], fields["number"], fields["issuer"],
                                           fields.get("valid_until") or "", fields.get("kind") or "certificate"))
        written.append(target)
    return written


if __name__ == "__main__":
    folder = bundled_path("templates") / "company"
    print(build(folder))
    if "--images" in sys.argv[1:]:
        for image in build_images(folder / "credentials"):
            print(image)
