"""实名制就业帮扶台账 pages under /registry (Chinese, server-rendered): login, the work queue (a 专员's
community; a supervisor's streets and escalations; an HR agency's plans), persons and their file
(一人一档) with the forms that record contacts, services, statuses, spells and plans, 免申即享 and a
ledger claim from it, the roster import, the figures with a chart and Excel.

``install(app)`` (one line in jiuye/web/app.py) adds these routes, the JSON API (registry_api.py),
a session cookie of its own scoped to /registry (the ledger's users and sessions, the same form
token check), the security headers, and, in demo mode, the demo data at startup.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...ledger.config import demo_mode
from ...ledger.errors import InvalidInput, LedgerError
from ...registry import Registry
from ...numerals import ascii_whole_number
from ...registry.models import CONTACT_CHANNELS, DETAIL_LABELS, SERVICE_KINDS, SPELL_KINDS, STATUS_KINDS
from ..deps import CSRF, CredentialsDep, LedgerDep, MaybePageUser, flash
from .registry_api import registry_of
from ..templating import templates, today

log = logging.getLogger("jiuye.registry")


async def seed_demo(app: FastAPI):
    """Lifespan (the router's, merged into the app's by ``include_router``): in demo mode, the demo
    registry is written at startup into the app's ledger, unless a ledger was handed in."""
    _seed_demo(app)
    yield


router = APIRouter(prefix="/registry", include_in_schema=False, lifespan=seed_demo)
COOKIE = "jiuye_registry"
MAX_UPLOAD = 20_000_000      # bytes: a roster of some 100,000 rows
class RegistryLogin(Exception):
    """No login on a /registry page: redirect to /registry/login."""


def page_user(request: Request, user: MaybePageUser):
    if user is None:
        raise RegistryLogin()
    request.state.user = user
    return user


def page(request: Request, name: str, user, status: int = 200, **extra):
    registry = registry_of(request)
    who = None
    if user is not None:
        try:
            who = registry.whoami(user.id)
        except LedgerError:
            who = None
    context = {"request": request, "user": user, "who": who, "csrf": _csrf(request),
               "flash": request.session.pop("flash", None), "today": today(), "demo": demo_mode(),
               "STATUS_KINDS": STATUS_KINDS, "CONTACT_CHANNELS": CONTACT_CHANNELS, "SERVICE_KINDS": SERVICE_KINDS,
               "SPELL_KINDS": SPELL_KINDS, "DETAIL_LABELS": DETAIL_LABELS, "place": _place, **extra}
    return templates.TemplateResponse(request, f"registry/{name}", context, status_code=status)


def _place(key: str | None) -> str:
    """A District or City key as its Chinese name (xicheng → 西城区)."""
    from ...model.facts.places import City, District
    for enum in (District, City):
        if key in enum.__members__:
            return enum[key].value
    return key or "—"


def _csrf(request: Request) -> str:
    from ..deps import csrf_token
    return csrf_token(request)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _day(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("on", f"日期格式应为YYYY-MM-DD，而不是“{value[:20]}”") from None


# -- login ------------------------------------------------------------------------------------------
def _demo_users():
    from ...registry.demo import USERS
    return [(u, label, pw) for u, _, label, pw, _ in USERS] if demo_mode() else []


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: MaybePageUser, next: str = "/registry"):
    return page(request, "login.html", user, next=_safe(next), demo_users=_demo_users())


def _safe(target: str | None) -> str:
    return target if target and target.startswith("/registry") and not target.startswith("//") else "/registry"


@router.post("/login", response_class=HTMLResponse, dependencies=CSRF)
def login(request: Request, ledger: LedgerDep, credentials: CredentialsDep, username: str = Form(""),
          password: str = Form(""), next: str = Form("/registry")):
    user = ledger.authenticate(username.strip(), password) if username.strip() and password else None
    if user is None:
        log.warning("registry login refused for %r", username[:64])
        return page(request, "login.html", None, 401, next=_safe(next), username=username, demo_users=_demo_users(),
                    error={"field": "password", "message": "用户名或密码不正确，或账号已停用"})
    old = request.session.get("sid")
    if old:
        credentials.end_session(old)
    request.session.clear()
    request.session["sid"] = credentials.open_session(user.id, user.username)
    flash(request, f"欢迎，{user.display_name}")
    return _see_other(_safe(next))


@router.post("/logout", dependencies=CSRF)
def logout(request: Request, credentials: CredentialsDep):
    sid = request.session.get("sid")
    if sid:
        credentials.end_session(sid)
    request.session.clear()
    return _see_other("/registry/login")


# -- the work queue -----------------------------------------------------------------------------------
@router.get("", response_class=HTMLResponse)
def home(request: Request, user=Depends(page_user), on: str = ""):
    registry = registry_of(request)
    who = registry.whoami(user.id)
    day = _day(on)
    if who["role"] == "hr_agency":
        return page(request, "plans.html", user, plans=registry.plans(user.id), on=day.isoformat())
    lines = registry.due(user.id, on=day)
    week = (day + dt.timedelta(days=7)).isoformat()
    groups = [("逾期", [x for x in lines if x["state"] == "overdue"]),
              ("本周到期", [x for x in lines if x["state"] == "due" and x["due_on"] <= week]),
              ("以后到期", [x for x in lines if x["state"] == "due" and x["due_on"] > week]),
              ("待核实（缺少信息，无法判断是否应办）", [x for x in lines if x["state"] == "undetermined"])]
    streets = registry.due_by_street(user.id, on=day) if who["role"] in ("supervisor", "admin") else []
    escalations = registry.escalations(user.id) if who["role"] == "supervisor" else []
    return page(request, "due.html", user, groups=groups, streets=streets, escalations=escalations,
                on=day.isoformat(), total=len(lines))


@router.post("/escalate", dependencies=CSRF)
def escalate(request: Request, user=Depends(page_user), on: str = Form("")):
    out = registry_of(request).escalate(user.id, on=_day(on))
    flash(request, f"已上报逾期步骤{len(out['escalated'])}个，关闭已就业人员的计划{len(out['closed'])}个")
    return _see_other(f"/registry?on={_day(on).isoformat()}")


# -- persons ------------------------------------------------------------------------------------------
@router.get("/persons", response_class=HTMLResponse)
def persons(request: Request, user=Depends(page_user), q: str = ""):
    return page(request, "persons.html", user, persons=registry_of(request).persons(user.id, search=q), q=q)


@router.post("/persons", dependencies=CSRF)
def register(request: Request, user=Depends(page_user), id_number: str = Form(""), name: str = Form(""),
             household: str = Form(""), phone: str = Form(""), hukou_district: str = Form(""),
             hukou_moved_in_on: str = Form(""), previous_hukou_district: str = Form(""), on: str = Form("")):
    registry = registry_of(request)
    who = registry.whoami(user.id)
    try:
        p = registry.register_person(user.id, id_number, name, who["area_id"] or -1, on=_day(on),
                                     household=household or None, phone=phone or None,
                                     hukou_district=hukou_district or None, hukou_moved_in_on=hukou_moved_in_on or None,
                                     previous_hukou_district=previous_hukou_district or None)
    except InvalidInput as error:
        return page(request, "persons.html", user, 422, persons=registry.persons(user.id), q="", error=error,
                    form={"id_number": id_number, "name": name})
    flash(request, f"已登记 {p['name']}（{p['id_number']}）")
    return _see_other(f"/registry/persons/{p['id']}")


def _file(request: Request, user, person_id: int, *, reveal: bool = False, status: int = 200, **extra):
    registry = registry_of(request)
    person = registry.person(user.id, person_id, reveal=reveal)
    return page(request, "person.html", user, status, p=person, **extra)


@router.get("/persons/{person_id}", response_class=HTMLResponse)
def person(request: Request, person_id: int, user=Depends(page_user)):
    return _file(request, user, person_id)


@router.post("/persons/{person_id}/reveal", response_class=HTMLResponse, dependencies=CSRF)
def reveal(request: Request, person_id: int, user=Depends(page_user)):
    return _file(request, user, person_id, reveal=True)


def _act(request: Request, user, person_id: int, run, done: str):
    try:
        run()
    except InvalidInput as error:
        return _file(request, user, person_id, status=422, error=error)
    flash(request, done)
    return _see_other(f"/registry/persons/{person_id}")


@router.post("/persons/{person_id}/records", dependencies=CSRF)
def record(request: Request, person_id: int, user=Depends(page_user), kind: str = Form(""), on: str = Form(""),
           outcome: str = Form(""), next_contact_on: str = Form(""), employer: str = Form(""), post: str = Form(""),
           agency: str = Form("")):
    out = {}

    def run():
        out.update(registry_of(request).record(user.id, person_id, kind, on=on, outcome=outcome,
                                               next_contact_on=next_contact_on or None, employer=employer or None,
                                               post=post or None, agency=agency or None))
    response = _act(request, user, person_id, run, "已记录")
    if out:
        settled = "、".join(out["settles"]) or "无"
        request.session["flash"] = ["ok", f"已记录{out['label']}（{out['on']}）；办结义务：{settled}"]
    return response


@router.post("/persons/{person_id}/hukou", dependencies=CSRF)
def hukou_move(request: Request, person_id: int, user=Depends(page_user), hukou_district: str = Form(""),
               hukou_moved_in_on: str = Form(""), previous_hukou_district: str = Form(""), on: str = Form("")):
    return _act(request, user, person_id,
                lambda: registry_of(request).update_person(user.id, person_id, on=_day(on), hukou_district=hukou_district,
                                                           hukou_moved_in_on=hukou_moved_in_on,
                                                           previous_hukou_district=previous_hukou_district),
                "已登记户籍迁移（原记录保留在变更历史中）")


@router.post("/persons/{person_id}/statuses", dependencies=CSRF)
def add_status(request: Request, person_id: int, user=Depends(page_user), kind: str = Form(""),
               start_on: str = Form(""), end_on: str = Form(""), category: str = Form(""),
               graduation_date: str = Form(""), school: str = Form(""), origin: str = Form(""),
               willing: str = Form("yes")):
    details = {"category": category or None, "graduation_date": graduation_date or None, "school": school or None,
               "origin": origin or None}
    if kind == "willing":
        details = {"willing": willing != "no"}
    if kind == "low_income":
        details = {"kind": category or "低保"}
    return _act(request, user, person_id,
                lambda: registry_of(request).add_status(user.id, person_id, kind, start_on=start_on,
                                                        end_on=end_on or None, details=details),
                f"已登记状态：{STATUS_KINDS.get(kind, kind)}")


@router.post("/statuses/{status_id}/end", dependencies=CSRF)
def end_status(request: Request, status_id: int, user=Depends(page_user), person_id: int = Form(0),
               end_on: str = Form("")):
    return _act(request, user, person_id, lambda: registry_of(request).end_status(user.id, status_id, end_on=end_on),
                "已结束该状态（原记录保留）")


@router.post("/persons/{person_id}/spells", dependencies=CSRF)
def add_spell(request: Request, person_id: int, user=Depends(page_user), kind: str = Form(""),
              start_on: str = Form(""), employer: str = Form(""), contract: str = Form(""), insured: str = Form("")):
    return _act(request, user, person_id,
                lambda: registry_of(request).add_spell(user.id, person_id, kind, start_on=start_on,
                                                       employer=employer or None, contract=bool(contract),
                                                       insured=bool(insured)),
                "已登记就业")


@router.post("/persons/{person_id}/plans", dependencies=CSRF)
def open_plan(request: Request, person_id: int, user=Depends(page_user), on: str = Form(""), goals: str = Form(""),
              agency: str = Form(""), step1: str = Form(""), due1: str = Form(""), step2: str = Form(""),
              due2: str = Form("")):
    steps = [(t, d) for t, d in ((step1, due1), (step2, due2)) if t.strip()]
    return _act(request, user, person_id,
                lambda: registry_of(request).open_plan(user.id, person_id, on=on, goals=goals,
                                                       agency=agency or None, steps=steps),
                "已制定帮扶计划")


@router.post("/plans/{plan_id}/events", dependencies=CSRF)
def plan_event(request: Request, plan_id: int, user=Depends(page_user), kind: str = Form(""), on: str = Form(""),
               note: str = Form(""), step_id: str = Form(""), back: str = Form("")):
    registry_of(request).plan_event(user.id, plan_id, kind, on=on, note=note,
                                    step_id=ascii_whole_number(step_id))
    flash(request, "已更新计划")
    return _see_other(_safe(back) if back else "/registry")


@router.get("/plans", response_class=HTMLResponse)
def plans(request: Request, user=Depends(page_user)):
    return page(request, "plans.html", user, plans=registry_of(request).plans(user.id), on=today())


# -- 免申即享 ------------------------------------------------------------------------------------------
@router.get("/persons/{person_id}/measures", response_class=HTMLResponse)
def measures(request: Request, person_id: int, user=Depends(page_user), on: str = ""):
    registry = registry_of(request)
    day = _day(on)
    found = registry.outreach(user.id, person_id, on=day)
    return page(request, "measures.html", user, p=registry.person(user.id, person_id), found=found,
                on=day.isoformat())


@router.post("/persons/{person_id}/claims", dependencies=CSRF)
def start_claim(request: Request, person_id: int, user=Depends(page_user), measure_id: str = Form(""),
                on: str = Form("")):
    out = registry_of(request).start_claim(user.id, person_id, measure_id, on=_day(on))
    flash(request, f"已在经办台账发起申请第{out['application_id']}号（{measure_id}），并记录免申即享告知")
    return _see_other(f"/registry/persons/{person_id}")


# -- import ---------------------------------------------------------------------------------------------
@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, user=Depends(page_user)):
    from ...registry.importer import REGISTRY_COLUMNS
    return page(request, "import.html", user, columns=REGISTRY_COLUMNS, result=None)


@router.post("/import", response_class=HTMLResponse, dependencies=CSRF)
async def import_file(request: Request, user=Depends(page_user), file: UploadFile = File(...), on: str = Form("")):
    from ...registry.importer import REGISTRY_COLUMNS, import_file as run_import
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput("file", "请上传 .csv 或 .xlsx 文件")
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput("file", f"文件最大{MAX_UPLOAD // 1_000_000}MB")
    fd, name = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(name, 0o600)
        result = run_import(registry_of(request), user.id, Path(name), on=_day(on), source=file.filename)
    finally:
        os.unlink(name)
    return page(request, "import.html", user, columns=REGISTRY_COLUMNS, result=result, filename=file.filename)


# -- figures --------------------------------------------------------------------------------------------
def _month(month: str) -> str:
    return month or dt.date.today().strftime("%Y-%m")


@router.get("/figures", response_class=HTMLResponse)
def figures(request: Request, user=Depends(page_user), month: str = ""):
    report = registry_of(request).figures(user.id, month=_month(month))
    return page(request, "figures.html", user, report=report, chart=chart(report))


@router.get("/figures.xlsx")
def figures_excel(request: Request, user=Depends(page_user), month: str = ""):
    from ...registry.figures import to_excel
    report = registry_of(request).figures(user.id, month=_month(month))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "figures.xlsx"
        to_excel(report, path)
        body = path.read_bytes()
    name = quote(f"实名制台账{report['month']}.xlsx")
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


def chart(report: dict) -> list[dict]:
    """Bars of the rates per area (inline SVG in the page: no script, no external file)."""
    keys = [("visit", "回访覆盖率"), ("plan", "一生一策覆盖率"), ("contacted", "登记失业人员本月联系率"),
            ("graduate", "北京生源毕业生就业率")]
    out = []
    for row in report["rows"]:
        bars = []
        for n, (key, label) in enumerate(keys):
            rate = row[f"{key}_rate"]
            bars.append({"label": label, "rate": rate, "y": 22 * n, "width": 0 if rate is None else round(300 * rate),
                         "text": "—" if rate is None else f"{rate:.0%}（{row[f'{key}_done']}/{row[f'{key}_due']}）"})
        out.append({"area": row["area"], "level": row["level"], "bars": bars, "target_x": round(300 * report["target"])})
    return out


# -- installation -------------------------------------------------------------------------------------
def install(app: FastAPI, secret) -> None:
    """The registry's routes (their lifespan seeds the demo: ``seed_demo``), session cookie and login
    redirect (its no-store header: app.SecurityHeaders). ``secret()``: the session cookie's key (the app's)."""
    from . import registry_api
    app.include_router(router)
    app.include_router(registry_api.router)

    @app.exception_handler(RegistryLogin)
    async def login_redirect(request: Request, error: RegistryLogin):
        target = request.url.path + (("?" + request.url.query) if request.url.query else "")
        return _see_other("/registry/login?next=" + quote(target if request.method == "GET" else "/registry"))

    app.add_middleware(RegistrySessions, secret=secret)


def _seed_demo(app: FastAPI) -> None:
    if not demo_mode() or getattr(app.state, "ledger", None) is not None:
        return                   # tests hand their own ledger in; make run seeds the demo
    from ...registry.demo import seed
    try:
        registry = Registry(ledger=get_ledger_for(app))
        seed(registry)
        log.warning("实名制台账：已写入演示数据")
    except LedgerError as error:
        log.info("实名制台账：未写入演示数据：%s", error.message)
    except Exception:            # e.g. two workers seeding at once: the app still serves
        log.exception("实名制台账：写入演示数据失败")


def get_ledger_for(app):
    from ..deps import credentials_of
    return credentials_of(app).ledger


class RegistrySessions:
    """Starlette's SessionMiddleware for /registry only (cookie path /registry), like the ledger's."""

    def __init__(self, app, secret) -> None:
        self.app, self.secret, self.inner = app, secret, None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/registry"):
            return await self.app(scope, receive, send)
        if self.inner is None:
            from starlette.middleware.sessions import SessionMiddleware
            from ..credentials import SESSION_HOURS, secure_cookies
            self.inner = SessionMiddleware(self.app, secret_key=self.secret(), session_cookie=COOKIE,
                                           max_age=SESSION_HOURS * 3600, path="/registry", same_site="lax",
                                           https_only=secure_cookies())     # as the ledger's: Secure unless
                                                                            # JIUYE_INSECURE_COOKIES=1
        return await self.inner(scope, receive, send)
