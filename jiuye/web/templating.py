"""The Jinja templates of the pages (``templates/<feature>/``), their filters and the context every
page of a feature gets.

Filters, registered once here: ``money`` (``jiuye.money.display``: ``6,000元``, ``6,000.50元``,
``待定``) and ``fact_value`` (a fact as a person reads it: 是/否, a choice's Chinese label).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from ..catalogue import BENEFICIARIES, KINDS
from ..explain import STATUS_LABELS
from ..ledger.config import demo_mode
from ..ledger.models import APPLICATION_STATUSES, ROLES
from ..money import display
from .deps import STAFF, csrf_token
from .answer_sheet import shown_value
from .questions import clause_label

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


def shown_facts(node: dict) -> list[dict]:
    """The facts a condition's line shows: those given or derived, and those it still needs (its
    missing facts). A fact neither given nor needed did not take part in the result (a condition
    decided without it, e.g. the district moved from where the hukou never moved): listing it as
    "未提供" under a ✓ or ✗ would read as a gap. The JSON answer keeps every fact read."""
    needed = {(m.get("entity"), m.get("id"), m.get("variable")) for m in node.get("missing") or []}
    return [f for f in node.get("facts") or [] if f.get("given") or f.get("derived")
            or (f.get("entity"), f.get("id"), f.get("variable")) in needed]


def _shown(fact: dict) -> str:
    variable = None
    if fact.get("variable"):
        from ..model.system import get_system
        variable = get_system().variables.get(fact["variable"])
    return shown_value(variable, fact.get("value"))


def parameter_value(parameter: dict) -> str:
    """A parameter's value in words: a scale as its tiers (第1年6000元/…), a mapping as its entries
    under their descriptions where known, a number with its unit."""
    value = parameter.get("value")
    unit = parameter.get("unit") or ""
    if isinstance(value, list):
        return "/".join(_number(b.get("amount"), unit) if isinstance(b, dict) else str(b) for b in value)
    if isinstance(value, dict):
        return "；".join(f"{_words(k)}：{_number(v, unit) if not isinstance(v, (dict, list)) else '…'}"
                        for k, v in value.items())
    return _number(value, unit)


# words for keys that name no choice of any fact
WORDS = {"person": "每人", "total": "合计", "year": "每年", "valid_to": "失效日期", "valid_from": "施行日期",
         "female": "女职工", "first": "第一档", "second": "第二档", "third": "第三档"}


def _choice_words() -> dict:
    """Every choice key of the model's facts -> its Chinese label (the first fact declaring it)."""
    global _CHOICES
    if _CHOICES is None:
        from ..model.system import get_system
        _CHOICES = {}
        for variable in get_system().variables.values():
            members = getattr(getattr(variable, "possible_values", None), "__members__", None) or {}
            for name, member in members.items():
                if name not in ("unknown", "none", "other"):
                    _CHOICES.setdefault(name, str(member.value))
    return _CHOICES


_CHOICES = None


def _words(key) -> str:
    key = str(key)
    _names()
    return WORDS.get(key) or _choice_words().get(key) or key


_NUMERAL = "一二三四五六七八九十百零附则件是"
_CLAUSE = re.compile(rf"(?<![A-Za-z0-9_])([a-z]+/(?:[0-9]+|[{_NUMERAL}]+|fj[0-9a-z_]+)(?:/(?:[a-z0-9_]+|[{_NUMERAL}]+))*)")
_NAME = re.compile(r"(?<![A-Za-z0-9_])([a-z][a-z0-9]*(?:[_.][a-z0-9]+)+|[a-z]{3,}[0-9]*)(?![A-Za-z0-9_])")


def plain(text) -> str:
    """A text from a policy record as a person reads it: a clause key or measure id as its citation
    (beijing/5/flexible → 北京市第5条), a fact's or definition's name as its label, a parameter's path
    as its description, a choice key as its label. Other words are left as written."""
    if text is None:
        return ""
    names = _names()

    def clause(match):
        token = match.group(1)
        head = token.split("/")
        if head[0] not in names["documents"]:
            return token
        keep = 3 if len(head) > 2 and head[1] in ("附则",) else 2
        return clause_label("/".join(head[:keep]))

    def name(match):
        token = match.group(1)
        found = names["labels"].get(token)
        if found:      # a label may itself name a parameter (本意见已施行（…暂按参数binjiang.effective_date）)
            return f"“{_NAME.sub(label_name, found)}”"
        return _words(token)

    def label_name(match):
        token = match.group(1)
        return f"“{names['labels'][token]}”" if token in names["labels"] else _words(token)
    text = _MIN.sub(r"\1（不超过\2）", str(text))          # min(参加天数,3) → 参加天数（不超过3）
    return _NAME.sub(name, _CLAUSE.sub(clause, text))


_MIN = re.compile(r"(?<![A-Za-z0-9_])min\(\s*([^,()]+?)\s*,\s*([^()]+?)\s*\)")


_NAMES: dict = {}


def _names() -> dict:
    """What `plain` reads: document keys, and the labels of facts, definitions and parameters."""
    if not _NAMES:
        from ..catalogue import load_catalogue
        from ..model.system import get_system
        system = get_system()
        catalogue = load_catalogue()
        labels = {name: v.label for name, v in system.variables.items() if v.label}
        from ..model.entities import Organisation
        words = {}
        for role in Organisation.roles:          # founder(s) → 创业者
            words[role.key] = words[role.plural] = role.label
        WORDS.update({k: v for k, v in words.items() if k not in WORDS})
        for document in catalogue.documents.values():
            for name, definition in (document.definitions or {}).items():
                labels.setdefault(name, definition.get("label") or name)

        def walk(node, path):
            children = getattr(node, "children", None)
            if getattr(node, "description", None) and path:      # a parameter, or a node of several
                labels.setdefault(path, node.description)
            if children is None:
                return
            for key, child in children.items():
                walk(child, f"{path}.{key}" if path else key)
        walk(system.parameters, "")
        _NAMES.update(documents=set(catalogue.documents), labels=labels)
    return _NAMES


def _number(value, unit: str) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if unit == "currency-CNY" and isinstance(value, (int, float)):
        return display(value)
    if unit == "/1" and isinstance(value, float) and value < 1:
        return f"{value * 100:g}%"
    suffix = {"person": "人", "year": "年", "month": "个月", "day": "天"}.get(unit, "")
    return f"{plain(value) if isinstance(value, str) else value}{suffix}"


def source_label(source) -> str:
    """A parameter's source: a clause key as its citation (西城第6条), other sources as written."""
    text = str(source or "")
    if re.fullmatch(r"[a-z]+/[^\s,，]+", text):
        return clause_label(text)
    return plain(text)


def place_label(district: str) -> str:
    """北京市西城区: the city and the district."""
    from ..model.facts.places import CITY_OF_DISTRICT, District
    if district not in District.__members__:
        return district
    city = CITY_OF_DISTRICT.get(district)
    return (city.value if city and city.name not in ("other", "unknown") else "") + District[district].value


templates.env.filters["money"] = display
templates.env.filters["fact_value"] = fact_value
templates.env.filters["shown_facts"] = shown_facts
templates.env.filters["parameter_value"] = parameter_value
templates.env.filters["clause_label"] = clause_label
templates.env.filters["place"] = place_label
templates.env.filters["source_label"] = source_label
templates.env.filters["plain"] = plain


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
