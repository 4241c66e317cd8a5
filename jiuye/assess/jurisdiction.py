"""Which documents can apply to a situation: those of the cities its places are in."""

from __future__ import annotations

from ..catalogue import load_catalogue


def district_variables(system) -> list[str]:
    """Input facts that name a district (hukou, registration, premises, tax, insurance …); kept
    on the system while its variables are the same (a scan of every variable per request
    otherwise)."""
    from ..model.facts.places import District
    stamp = (id(system.variables), len(system.variables))
    kept = system.__dict__.get("_jiuye_district_variables")
    if kept is not None and kept[0] == stamp and all(system.variables.get(n) is v for n, v in kept[2]):
        return list(kept[1])
    names = sorted(name for name, v in system.variables.items()
                   if getattr(v, "possible_values", None) is District and not v.formulas)
    system.__dict__["_jiuye_district_variables"] = (stamp, names, [(n, system.variables[n]) for n in names])
    return list(names)


def documents_for(situation: dict, system) -> list[str]:
    """The documents whose jurisdiction (city) matches a place the situation gives (of any person
    or organisation); every document when it gives none."""
    from ..model.facts.places import CITY_OF_DISTRICT
    catalogue = load_catalogue()
    names = set(district_variables(system))
    cities = set()
    for plural in ("persons", "organisations"):
        for body in (situation.get(plural) or {}).values():
            if isinstance(body, dict):
                for name, value in body.items():
                    if name in names:
                        values = value.values() if isinstance(value, dict) else [value]
                        cities.update(CITY_OF_DISTRICT[v].name for v in values
                                      if isinstance(v, str) and v in CITY_OF_DISTRICT)
    cities -= {"other", "unknown"}
    if not cities:
        return sorted(catalogue.documents)
    return sorted(key for key, doc in catalogue.documents.items()
                  if (doc.jurisdiction or {}).get("city") in cities or not doc.jurisdiction)
