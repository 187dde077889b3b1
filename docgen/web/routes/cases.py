"""Sales (and presales): search the casebook, read a case, download a pack, match a client's requirements.

Internal cases (external: false) exist only for presales and admin: for
sales they are not in results, their pages are 404 and a pack naming one is
told no such case exists — the same answer as for an id that was never there.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from docgen.core.errors import DocgenError
from docgen.core.vocabulary import INDUSTRIES, INDUSTRY_NAMES_ZH
from docgen.web.files import media_type, new_folder, register
from docgen.web.index import IndexBuilding
from docgen.web.pages import (
    guarded,
    in_thread,
    language,
    not_found,
    record,
    render,
    web,
)
from docgen.web.problems import problem_records
from docgen.web.uploads import save_upload

AREA_ROLES = ("sales", "presales")
SNIPPET = 90
MAX_TOP = 100
PAGE_SIZE = 30


def sees_internal(user) -> bool:
    return user.may("presales")


def _query(request: Request, user) -> dict:
    params = request.query_params
    return {"q": params.get("q", "").strip()[:200], "industry": params.get("industry", "").strip(),
            "tags": [t for t in params.getlist("tag") if t.strip()][:10],
            "internal": sees_internal(user) and params.get("all") in ("1", "on", "true")}


def _search(request: Request, user, query: dict, top: int):
    from docgen.casebook.results import hit_records

    index = web(request).casebook.get()
    hits = index.search(query["q"], industry=query["industry"] or None, tags=query["tags"], top=top,
                        include_internal=query["internal"])
    return hits, hit_records(hits)


def snippet(text: str, terms: list[str]) -> Markup:
    """A short piece of `text` around the first matched term, every matched term in <mark>."""
    plain = " ".join(text.replace("#", " ").split())
    terms = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not terms:
        return Markup(escape(plain[:SNIPPET * 2]) + ("…" if len(plain) > SNIPPET * 2 else ""))
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    first = pattern.search(plain)
    start = max(0, first.start() - SNIPPET // 2) if first else 0
    piece = plain[start:start + SNIPPET * 2]
    out, last = [], 0
    for match in pattern.finditer(piece):
        out.append(escape(piece[last:match.start()]))
        out.append(Markup("<mark>") + escape(match.group(0)) + Markup("</mark>"))
        last = match.end()
    out.append(escape(piece[last:]))
    prefix = "…" if start else ""
    suffix = "…" if start + SNIPPET * 2 < len(plain) else ""
    return Markup(prefix + "".join(str(p) for p in out) + suffix)


def _industries(lang: str) -> list[tuple[str, str]]:
    return [(i, INDUSTRY_NAMES_ZH.get(i, i) if lang == "zh" else i) for i in INDUSTRIES]


def _tags(request: Request, user) -> list[str]:
    return web(request).casebook.tags(sees_internal(user))


async def _page(request: Request, user, status: int = 200, **extra):
    query = _query(request, user)
    problems, records = [], []
    try:
        hits, records = await in_thread(_search, request, user, query, PAGE_SIZE)
        for record_, hit in zip(records, hits):
            record_["snippet"] = snippet(f"{hit.case.summary} {hit.case.body}", record_["matched_terms"])
            record_["highlighted_title"] = snippet(hit.case.title, record_["matched_terms"])
    except IndexBuilding:
        raise  # the app's "being built, try again" page (docgen.web.app)
    except DocgenError as exc:
        problems = problem_records(exc)
    lang = language(request)
    problems = extra.pop("problems", None) or problems
    return render(request, "cases.html", status=400 if problems else status, query=query, records=records,
                  problems=problems, industries=_industries(lang),
                  industry_names=dict(_industries(lang)),
                  tags=_tags(request, user), internal_allowed=sees_internal(user), **extra)


@guarded(*AREA_ROLES)
async def search_page(request: Request, user):
    return await _page(request, user)


@guarded(*AREA_ROLES)
async def search_api(request: Request, user):
    query = _query(request, user)
    top = request.query_params.get("top", "10")
    if not top.isdigit() or not 1 <= int(top) <= MAX_TOP:
        return JSONResponse({"error": f"top: expected a whole number from 1 to {MAX_TOP}"}, status_code=400)
    try:
        _, records = await in_thread(_search, request, user, query, int(top))
    except IndexBuilding:
        raise
    except DocgenError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse(records)


@guarded(*AREA_ROLES)
async def case_page(request: Request, user):
    from markdown_it import MarkdownIt

    case_id = request.path_params["case_id"]
    index = web(request).casebook.get()
    case = next((c for c in index.cases if c.id == case_id), None)
    if case is None or (not case.external and not sees_internal(user)):
        return not_found(request)
    # html=False: Markdown in a case file cannot inject markup into the page.
    body = Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(case.body))
    industry = INDUSTRY_NAMES_ZH.get(case.industry, case.industry) if language(request) == "zh" else case.industry
    return render(request, "case.html", case=case, body=body, industry=industry)


def _build_pack(request: Request, user, ids: list[str], lang: str, client: str):
    from docgen.casebook.pack import PackOptions, build_pack

    state = web(request)
    cases = state.casebook.get().cases
    if not sees_internal(user):
        cases = [c for c in cases if c.external]  # an internal id is, for sales, an id that does not exist
    folder = new_folder(state.config)
    path = build_pack(list(cases), ids, folder / "case-pack.docx", PackOptions(lang=lang, client=client),
                      settings=state.config.settings())
    return path, register(state.db, state.config, path, area="sales", user_id=user.id, kind="docx")


@guarded(*AREA_ROLES)
async def pack(request: Request, user):
    form = request.state.form
    ids = [i for i in form.getlist("ids") if isinstance(i, str) and i.strip()][:50]
    lang = form.get("lang") if form.get("lang") in ("zh", "en") else language(request)
    client = str(form.get("client", "")).strip()[:100]
    if not ids:
        return await _page(request, user, problems=[{"field": "ids", "message": "tick at least one case"}])
    try:
        path, _ = await in_thread(_build_pack, request, user, ids, lang, client)
    except DocgenError as exc:
        return await _page(request, user, problems=problem_records(exc))
    record(request, "download", f"case pack {','.join(ids)}")
    return FileResponse(path, media_type=media_type(path.name), filename=path.name)


def _match(request: Request, upload):
    from docgen.casebook.match import match_cases
    from docgen.casebook.results import match_records
    from docgen.intake.requirements import load_requirements

    index = web(request).casebook.get()
    req = load_requirements(upload.path)
    return req, match_records(match_cases(req, None, top=10, index=index))


@guarded(*AREA_ROLES)
async def match(request: Request, user):
    state = web(request)
    form = request.state.form
    upload = None
    try:
        upload = await save_upload(form.get("requirements"), new_folder(state.config), ("yaml", "xlsx"),
                                   state.config.max_upload, "requirements")
        req, records = await in_thread(_match, request, upload)
    except DocgenError as exc:
        problems = problem_records(exc, str(upload.path) if upload else "", upload.name if upload else "")
        return await _page(request, user, problems=problems)
    record(request, "match", f"{upload.name}: {len(records)} cases")
    return render(request, "match.html", client=req.client.name, records=records, name=upload.name)


routes = [
    Route("/cases", search_page, methods=["GET"]),
    Route("/api/cases", search_api, methods=["GET"]),
    Route("/cases/pack", pack, methods=["POST"]),
    Route("/cases/match", match, methods=["POST"]),
    Route("/cases/{case_id}", case_page, methods=["GET"]),
]
