"""对标: one persona placed in each district in turn, assessed under that district's and its city's
measures. Engine-generic: districts come from the catalogue's document jurisdictions."""

from __future__ import annotations

import copy
import datetime as dt

from .catalogue import load_catalogue
from .assess.situation import InputError
from .model.facts.places import CITY_OF_DISTRICT, District
from .model.system import get_system
from .assess.jurisdiction import district_variables


def comparable_districts() -> list[dict]:
    """Districts with a document of their own, each with the documents that apply there."""
    catalogue = load_catalogue()
    districts: dict[str, dict] = {}
    for key, document in catalogue.documents.items():
        place = document.jurisdiction or {}
        if place.get("district"):
            districts.setdefault(place["district"], {"district": place["district"], "city": place.get("city"),
                                                     "documents": []})["documents"].append(key)
    for key, document in catalogue.documents.items():
        place = document.jurisdiction or {}
        if not place.get("district") and place.get("city"):
            for entry in districts.values():
                if entry["city"] == place["city"]:
                    entry["documents"].append(key)
    for entry in districts.values():
        entry["label"] = District[entry["district"]].value
        entry["documents"].sort()
    return sorted(districts.values(), key=lambda d: d["district"])


def move_to(situation: dict, district: str, system) -> dict:
    """The same persona with every place fact (hukou, registration, premises, tax, insurance,
    unemployment registration) moved to `district`; everything else kept."""
    moved = copy.deepcopy(situation)
    names = set(district_variables(system))
    for plural in ("persons", "organisations"):
        for body in (moved.get(plural) or {}).values():
            if not isinstance(body, dict):
                continue
            for name in list(body):
                if name in names:
                    body[name] = district
            if plural == "persons" and "hukou_city" in body:
                body["hukou_city"] = CITY_OF_DISTRICT[district].name
    return moved


def compare(situation: dict, on: dt.date, districts: list[str] | None = None, include=None, *,
            limits: dict | None = None, budget=None) -> dict:
    """The situation placed in each district. ``include(result) -> bool``: the results counted and
    listed (e.g. only the applicant's own measures); default all. ``limits``, ``budget``: as
    ``jiuye.explain.calculate``'s (a public request's)."""
    from .explain import calculate
    system = get_system()
    available = {d["district"]: d for d in comparable_districts()}
    chosen = districts or list(available)
    for i, name in enumerate(chosen):
        if name not in available:
            known = "、".join(District[d].value for d in available)
            raise InputError(f"districts.{i}", f"对标的区：没有“{name}”的政策文件；可选：{known}")
    columns = []
    for name in chosen:
        entry = available[name]
        measures = [m.id for m in load_catalogue().executable() if m.document in entry["documents"]]
        report = calculate(move_to(situation, name, system), on, measures, limits=limits, budget=budget) \
            if measures else {"results": []}
        results = [r for r in report["results"] if include is None or include(r)]
        eligible = [r for r in results if r["status"] == "eligible"]
        columns.append({
            **entry,
            "eligible": len(eligible),
            "undetermined": sum(r["status"] == "undetermined" for r in results),
            "amount_to_date": round(sum(r["amount_to_date"] or 0 for r in eligible), 2),
            "entitlement": round(sum(i["amount"] or 0 for r in eligible for i in r["installments"]), 2),
            "results": [{k: r[k] for k in ("measure", "title", "beneficiary", "status", "amount_to_date",
                                           "installments", "missing")} | {"person": r.get("person")}
                        for r in results],
        })
    return {"on": on.isoformat(), "districts": columns}
