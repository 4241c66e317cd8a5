"""The Jinja templates of the pages (``templates/<feature>/``), their filters and the context every
page of a feature gets.

Filters, registered once here: ``money`` (``jiuye.money.display``: ``6,000元``, ``6,000.50元``,
``待定``) and ``fact_value`` (a fact as a person reads it: 是/否, a choice's Chinese label).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from ..catalogue import BENEFICIARIES, KINDS
from ..explain import STATUS_LABELS
from ..ledger.config import demo_mode
from ..ledger.models import APPLICATION_STATUSES, ROLES
from ..money import display
from .deps import STAFF, csrf_token

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(KINDS=KINDS, BENEFICIARIES=BENEFICIARIES, STATUS_LABELS=STATUS_LABELS, STAFF=STAFF,
                             ROLES=ROLES, STATUSES=APPLICATION_STATUSES)


def fact_value(fact: dict) -> str:
    """A fact's value as a person reads it: 是/否, the Chinese label of a choice, 4000 not 4000.0."""
    if not fact.get("given") and not fact.get("derived"):
        return "未提供"
    shown = _shown(fact)
    return f"{shown}（推算）" if fact.get("derived") else shown


def _shown(fact: dict) -> str:
    value = fact.get("value")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and fact.get("variable"):
        from ..model.system import get_system
        variable = get_system().variables.get(fact["variable"])
        members = getattr(getattr(variable, "possible_values", None), "__members__", {})
        if value in members:
            return str(members[value].value)
    return str(value)


templates.env.filters["money"] = display
templates.env.filters["fact_value"] = fact_value


def today() -> str:
    return dt.date.today().isoformat()


# -- 经办台账 pages ----------------------------------------------------------------------------------
def ledger_page(request: Request, name: str, user, status: int = 200, **extra):
    """``templates/ledger/<name>`` with what every ledger page shows: the user, the form token, the
    message of the last action (once), demo mode."""
    has_session = "session" in request.scope          # (an error page of a request before the middleware)
    context = {"request": request, "user": user, "csrf": csrf_token(request) if has_session else "",
               "flash": request.session.pop("flash", None) if has_session else None, "today": today(),
               "demo": demo_mode(), **extra}
    return templates.TemplateResponse(request, f"ledger/{name}", context, status_code=status)
