"""The workspace in a real browser: Playwright for Python driving Debian's Chromium against the live server.

Each flow is what a person does: HR fills the example workbook and downloads
the packets, HR uploads a workbook with mistakes, sales searches and packs,
presales checks requirements, builds and previews a draft, and reviews it.
A screenshot of every page is written to $DOCGEN_SCREENSHOTS (default: a
temporary folder) for people to look at.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORDS, USER_OF

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("DOCGEN_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page_as(browser, server, shots):
    contexts = []
    errors = []

    def open_as(role: str, *, screenshot_login: bool = False):
        context = browser.new_context(base_url=server.url, accept_downloads=True, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto("/login")
        if screenshot_login:
            page.screenshot(path=shots / "login.png", full_page=True)
        page.fill("input[name=username]", USER_OF[role])
        page.fill("input[name=password]", PASSWORDS[USER_OF[role]])
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()
    # The CSP refuses inline scripts and styles: the pages must not need any (a refusal shows up here).
    assert not [e for e in errors if "Content Security Policy" in e], errors


def pdf_page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def wait_for_job(page, timeout: float = 120_000) -> str:
    page.wait_for_url(re.compile(r"/jobs/[A-Za-z0-9_-]{22}$"))
    page.wait_for_selector("#job-state[data-state=done], #job-state[data-state=failed]", timeout=timeout)
    return page.get_attribute("#job-state", "data-state")


@pytest.mark.libreoffice
def test_hr_fills_the_example_workbook_and_gets_packets_of_14_pages(page_as, example_scores, shots, tmp_path):
    page = page_as("hr", screenshot_login=True)
    assert page.url.endswith("/review")
    assert page.locator("h1").inner_text() == "绩效考核表"
    page.screenshot(path=shots / "review.png", full_page=True)
    page.set_input_files("input[name=workbook]", str(example_scores))
    page.check("input[name=pdf]")
    page.click("button:has-text('生成考核表')")
    assert wait_for_job(page) == "done"
    assert page.locator("progress").get_attribute("value") == page.locator("progress").get_attribute("max") == "6"
    page.screenshot(path=shots / "job-fill.png", full_page=True)
    with page.expect_download() as download:
        page.click("a.button:has-text('.zip')")
    archive = tmp_path / "packets.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp_path / "out")
        names = zf.namelist()
    assert len([n for n in names if n.endswith(".docx")]) == 6
    assert "summary.xlsx" in names and "print-all.pdf" in names
    pdfs = [tmp_path / "out" / n for n in names if n.endswith(".pdf") and n != "print-all.pdf"]
    assert len(pdfs) == 6 and all(pdf_page_count(p) == 14 for p in pdfs)
    assert pdf_page_count(tmp_path / "out" / "print-all.pdf") == 6 * 14
    page.goto("/review")
    assert "hr1" in page.locator("section:has-text('历史批次') table").inner_text()


def test_hr_workbook_with_mistakes_shows_every_place_and_makes_nothing(page_as, shots, tmp_path):
    from tests.helpers.review import ENGINEER, make_workbook, typical_row

    bad = make_workbook(tmp_path / "scores-with-mistakes.xlsx", ENGINEER,
                        [typical_row(ENGINEER, 1), typical_row(ENGINEER, 2, **{"B1.level": 9}),
                         typical_row(ENGINEER, 3, employee_id="E001")])
    page = page_as("hr")
    page.set_input_files("input[name=workbook]", str(bad))
    page.click("button:has-text('生成考核表')")
    assert wait_for_job(page) == "failed"
    table = page.locator("#problems table")
    headers = table.locator("th").all_inner_texts()
    assert {"工作表", "行", "列", "问题"} <= set(headers)
    text = table.inner_text()
    assert "Scores" in text and "scores-with-mistakes.xlsx" in text and "B1.level" in text and "重复" in text
    assert "应为介于 1 到 5 之间的等级，实际为 9" in text  # the library's problem, in the page's language
    assert page.locator("ul.downloads a").count() == 0
    page.screenshot(path=shots / "job-fill-problems.png", full_page=True)


def test_sales_searches_sees_only_external_cases_opens_one_and_downloads_a_pack(page_as, shots, tmp_path):
    from docgen.casebook.cases import load_casebook
    from docgen.core.config import bundled_path

    external = {c.id for c in load_casebook(bundled_path("casebook")) if c.external}
    page = page_as("sales")
    assert page.url.endswith("/cases")
    page.fill("input[name=q]", "同城双活")
    page.click("form.search button")
    page.wait_for_selector("li.hit")
    ids = page.locator("li.hit input[name=ids]").evaluate_all("boxes => boxes.map(b => b.value)")
    assert ids and set(ids) <= external
    assert page.locator(".badge.internal").count() == 0
    assert page.locator("li.hit mark").count() > 0  # the matched words are highlighted
    page.screenshot(path=shots / "cases.png", full_page=True)
    page.click("li.hit a.title >> nth=0")
    page.wait_for_selector("article.case h1")
    assert page.locator("article.case .markdown h2").count() >= 2  # the case's Markdown, rendered
    page.screenshot(path=shots / "case.png", full_page=True)
    page.go_back()
    page.check("li.hit input[name=ids] >> nth=0")
    with page.expect_download() as download:
        page.click("button:has-text('下载案例集')")
    pack = tmp_path / "pack.docx"
    download.value.save_as(pack)
    from tests.helpers.docs import docx_text

    assert "参考案例集" in docx_text(pack)


def test_presales_checks_builds_previews_downloads_and_reviews_a_draft(page_as, example_requirements, shots, tmp_path):
    from docgen.core.pdf import libreoffice_available

    page = page_as("presales")
    assert page.url.endswith("/proposals")
    page.set_input_files("form[action='/proposals/requirements'] input[name=requirements]", str(example_requirements))
    page.click("form[action='/proposals/requirements'] button")
    page.wait_for_selector("#summary")
    assert "华东某城市商业银行" in page.locator("#summary").inner_text()
    page.screenshot(path=shots / "proposals.png", full_page=True)
    page.select_option("select[name=stage]", "intro")
    page.click("button:has-text('生成草稿')")
    assert wait_for_job(page) == "done"
    if libreoffice_available():
        assert page.locator(".previews img").count() >= 2
        page.wait_for_function("() => [...document.querySelectorAll('.previews img')].every(i => i.naturalWidth > 0)")
    page.screenshot(path=shots / "job-draft.png", full_page=True)
    with page.expect_download() as download:
        page.click("a.button:has-text('.docx')")
    draft = tmp_path / "draft.docx"
    download.value.save_as(draft)
    page.goto("/proposals")
    page.set_input_files("form[action='/proposals/check'] input[name=draft]", str(draft))
    page.click("button:has-text('审核草稿')")
    page.wait_for_selector("#findings")
    page.screenshot(path=shots / "draft-check.png", full_page=True)
    if page.locator("table#findings").count():
        assert page.locator("table#findings tbody tr").count() >= 1
    else:
        page.click("button:has-text('发布')")
        page.wait_for_selector("text=下载客户版")


def test_admin_adds_a_user_and_sees_the_audit_log_and_data_folder(page_as, server, shots):
    page = page_as("admin")
    assert page.url.endswith("/admin")
    page.fill("form[action='/admin/users'] input[name=username]", "newsales")
    page.select_option("form[action='/admin/users'] select[name=role]", "sales")
    page.fill("form[action='/admin/users'] input[name=password]", "new-sales-pass")
    page.click("form[action='/admin/users'] button")
    page.wait_for_selector("text=用户已添加")
    assert "newsales" in page.locator("#users").inner_text()
    audit = page.locator("#audit").inner_text()
    assert "登录" in audit and "添加用户" in audit and "下载" in audit
    assert str(server.data.resolve()) in page.locator("dl.facts").inner_text()
    page.screenshot(path=shots / "admin.png", full_page=True)


def test_english_switch_and_the_403_page(page_as, shots):
    page = page_as("sales")
    page.click("text=English")
    page.wait_for_selector("nav >> text=Cases")
    assert page.locator("h1").inner_text() == "Search the casebook"
    page.goto("/review")
    assert page.locator("h1").inner_text() == "Not allowed"
    page.screenshot(path=shots / "forbidden-en.png", full_page=True)


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.libreoffice
def test_every_page_in_chinese_and_english(browser, server, shots, example_scores, example_requirements, tmp_path):
    """A screenshot of each page in both languages (for people to look at); each fits the window's width
    and its heading is in the page's language. Jobs run once; their pages are shown in both languages."""
    from tests.helpers.review import ENGINEER, make_workbook, typical_row

    context = browser.new_context(base_url=server.url, accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto("/login")
    page.fill("input[name=username]", USER_OF["admin"])
    page.fill("input[name=password]", PASSWORDS[USER_OF["admin"]])
    page.click("button[type=submit]")
    page.wait_for_url("**/admin")
    # The jobs and uploads the pages show: a done fill, a failed fill, a draft with its preview.
    page.goto("/review")
    page.set_input_files("input[name=workbook]", str(example_scores))
    page.click("form[action='/review/fill'] button")
    assert wait_for_job(page) == "done"
    fill_job = page.url
    bad = make_workbook(tmp_path / "scores-with-mistakes.xlsx", ENGINEER,
                        [typical_row(ENGINEER, 1, **{"B1.level": 9}), typical_row(ENGINEER, 2, employee_id="E001")])
    page.goto("/review")
    page.set_input_files("input[name=workbook]", str(bad))
    page.click("form[action='/review/fill'] button")
    assert wait_for_job(page) == "failed"
    failed_job = page.url
    page.goto("/proposals")
    page.set_input_files("form[action='/proposals/requirements'] input[name=requirements]", str(example_requirements))
    page.click("form[action='/proposals/requirements'] button")
    page.wait_for_selector("#summary")
    proposals = page.url
    page.select_option("select[name=stage]", "intro")
    page.click("form[action='/proposals/build'] button")
    assert wait_for_job(page) == "done"
    draft_job = page.url
    with page.expect_download() as download:
        page.click("a.button:has-text('.docx')")
    draft = tmp_path / "draft.docx"
    download.value.save_as(draft)
    import docx  # an edited draft with what the check refuses, for the check table

    edited = docx.Document(draft)
    edited.add_paragraph("与某国际存储厂商相比,我方【待补充:价格优势】。")
    edited.save(draft)
    external = "bank-active-active-2024"

    pages = [("home", "/"), ("review", "/review"), ("job-fill", fill_job), ("job-fill-problems", failed_job),
             ("cases", "/cases?q=同城双活"), ("case", f"/cases/{external}"), ("proposals", proposals),
             ("job-draft", draft_job), ("admin", "/admin")]
    for lang in ("zh", "en"):
        page.goto(f"/lang?to={lang}&next=/admin")
        for name, url in pages:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            if name == "job-draft":
                page.wait_for_function("() => [...document.querySelectorAll('.previews img')]"
                                       ".every(i => i.complete && i.naturalWidth > 0)")
            _look(page, shots / f"{lang}-{name}.png", lang, heading=name != "case")  # a case's title is its own
        page.goto("/proposals")
        page.set_input_files("form[action='/proposals/check'] input[name=draft]", str(draft))
        page.click("form[action='/proposals/check'] button")
        page.wait_for_selector("table#findings")
        _look(page, shots / f"{lang}-draft-check.png", lang, heading=False)  # names the client's file
    page.goto("/lang?to=zh&next=/")
    context.close()
    login = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    for lang in ("zh", "en"):
        first = login.new_page()
        first.goto(f"/lang?to={lang}&next=/login")
        _look(first, shots / f"{lang}-login.png", lang)
    login.close()


def _look(page, path: Path, lang: str, heading: bool = True) -> None:
    page.screenshot(path=path, full_page=True)
    if heading:
        text = page.locator("h1").first.inner_text()
        assert bool(CJK.search(text)) == (lang == "zh"), (path.name, text)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path.name}: the page is {overflow} px wider than the window"
