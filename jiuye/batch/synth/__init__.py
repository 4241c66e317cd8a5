"""A seeded synthetic population: persons assigned to organisations, with facts.

Moved here from bench/population.py (which re-exports it, so the benchmarks keep working).
`jiuye synth` writes it as a roster (jiuye.batch.roster); docs/synthetic-population.md documents
every distribution, its source or the assumption it rests on.

    from jiuye.batch.synth import generate_population
    from jiuye.batch.population import build_simulation
    pop = generate_population(n_persons=100_000, n_orgs=10_000, seed=1, on=date(2025, 6, 15))
    simulation = build_simulation(pop)            # an OpenFisca Simulation, facts set as inputs
    simulation.calculate("xicheng_6_employer", "2025-06")

Facts are generated for *every* input variable of the system (every variable without a
formula), so facts added by other documents are picked up without editing this file:

* facts this module knows (`PERSON_GENERATORS` / `ORG_GENERATORS`) get realistic, mutually
  consistent values (age and role drive contract, graduation, internship dates …);
* any other fact gets a generic value from its type and name (districts mostly the home city,
  dates around the assessment date, costs as NaN-or-amount, booleans ~10 % true …).
  `Population.generic_facts` lists them, so a new fact can be given a realistic generator; costs
  of measures that hinge on them are placeholders, not estimates.

`district` (a key of the District enum, default xicheng) is the home district: it gets the largest
share of persons' hukou and of organisations' registrations, its city the next (see
`district_shares`); the city's minimum wage anchors the wages. With the default the population is
exactly the one bench/batch.py has always measured.

Arrays use OpenFisca's storage types directly: enums as int16 indices, dates as datetime64[D],
floats as float32. Nothing here is per-row Python: 1M persons take about a second.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import numpy as np

from ..population import ROLE_KEYS, Population, input_facts
from .base import (BEIJING, CITIES, CITY_LABELS, FALLBACK_MINIMUM_WAGE, HANGZHOU, MINIMUM_WAGE, NEVER,  # noqa: F401
                   ORG_DISTRICTS, ORIGIN_SHARES, PERSON_DISTRICTS, SHARES, TIANJIN, _Ctx, _as_date, _bern,
                   _days, _district_weights, _districts, _enum_index, _same_or_new, _weighted_enum,
                   city_of_district, district_groups, district_shares, enum_probabilities, minimum_wage)
from .persons import (SAME_AS_HUKOU, AGE, CONDITIONAL, CONTRACT_TERMS, CONTRACT_TYPES, EDUCATION, EMPLOYED, GRADUATION_AGE,  # noqa: F401
                      INTERNSHIP_MONTHS, ORG_FLAGS, OTHER_CONTRACT_TYPES, PERSON_FLAGS, PERSON_GENERATORS,
                      REGISTERED_UNEMPLOYED, SKILL_LEVELS, SOCIAL_INSURANCE_PAID, TRAINING_TYPES,
                      WAGE_MULTIPLE_BETA, _age, _by_role, _flag_of, _trained, city_weights, g_birth_date,
                      g_completion_certificate, g_contract_start_date, g_contract_term_months,
                      g_contract_termination_date, g_contract_type, g_education_level, g_employed,
                      g_entrepreneurship_certificate, g_graduation_date, g_hukou_district,
                      g_internship_end_date, g_internship_start_date, g_monthly_wage,
                      g_receives_flexible_employment_si_subsidy, g_receives_unemployment_insurance,
                      g_registered_unemployed, g_registered_unemployed_at_hire, g_retirement_category,
                      g_sex, g_skill_certificate_date, g_skill_certificate_level, g_social_insurance_paid,
                      g_student_origin_city, g_training_end_date, g_training_fee, g_training_type,
                      g_unemployment_registration_date, g_unemployment_registration_district)
from .organisations import (ANNUAL_RENT, EMPLOYER_CLASS_AT_HIRE, ORG_AGE_MEAN_DAYS, ORG_CLASS_AT_MOMENT,  # noqa: F401
                            ORG_GENERATORS, ORG_TYPES, SAME_DISTRICT, _like_registration, class_at_moment,
                            employer_class_at_hire, g_annual_rent, g_org_type, g_registration_date,
                            g_registration_district)
from .generic import (GENERIC, _COUNT_WORDS, _MONEY_WORDS, generic_enum_weights, generic_fact, generic_kind)  # noqa: F401
from .ids import (ORG_CODE_WEIGHTS, OTHER_REGIONS, REGION_CODES, USCC_CATEGORY, USCC_DEFAULT_CATEGORY,  # noqa: F401
                  _region_codes, for_roster, org_id_numbers, person_id_numbers)


# -- public API ---------------------------------------------------------------------------------------
def _generate_facts(ctx: _Ctx, names: list[str], known: dict[str, Callable], generic: list[str],
                    progress: Callable | None = None) -> dict:
    ordered = [n for n in known if n in names] + [n for n in names if n not in known]
    for name in ordered:
        if progress:
            progress()
        variable = ctx.var(name)
        if name in known:
            value = known[name](ctx)
        else:
            value = generic_fact(ctx, name, variable)
            generic.append(name)
        if value is not None:
            ctx.facts[name] = value
    return {k: v for k, v in ctx.facts.items() if not k.startswith("_")}


def generation_steps(system) -> int:
    """How many times `generate_population` calls `progress` (once per fact)."""
    return len(input_facts(system, "person")) + len(input_facts(system, "organisation"))


def generate_population(n_persons: int = 1_000_000, n_orgs: int = 100_000, seed: int = 20250615,
                        on: dt.date = dt.date(2025, 6, 15), system=None, district: str = "xicheng",
                        progress: Callable | None = None) -> Population:
    """Persons in organisations (every organisation has at least one member; sizes heavy-tailed),
    roles mostly employee, some founders (about half of the organisations' first members),
    interns and other members; facts for every input variable of the system. `progress()` is
    called once per fact (`generation_steps`)."""
    if system is None:
        from jiuye.model.system import get_system
        system = get_system()
    city_of_district(district)          # a covered district, or ValueError
    if n_orgs < 1 or n_persons < n_orgs:
        raise ValueError("need 1 <= orgs <= persons (every organisation gets at least one member)")
    rng = np.random.default_rng(seed)

    # memberships: person i < n_orgs is the first member of organisation i; the others join
    # organisations with lognormal weights (a few large employers, many small ones)
    weights = rng.lognormal(0.0, 1.2, n_orgs)
    rest = rng.choice(n_orgs, size=n_persons - n_orgs, p=weights / weights.sum())
    org_of_person = np.concatenate([np.arange(n_orgs), rest]).astype(np.int64)
    first_role = np.where(_bern(rng, 0.5, n_orgs), ROLE_KEYS.index("founder"), ROLE_KEYS.index("employee"))
    other_role = rng.choice(np.array([ROLE_KEYS.index(k) for k in ("employee", "intern", "member", "founder")]),
                            size=n_persons - n_orgs, p=[0.92, 0.04, 0.03, 0.01])
    role = np.concatenate([first_role, other_role]).astype(np.int8)

    today = _days(on)
    generic: list[str] = []
    pctx = _Ctx(rng, system, on, today, role, org_of_person, {}, n_persons, district)
    pctx.facts["_age"] = _age(pctx)
    person_names, org_names = input_facts(system, "person"), input_facts(system, "organisation")
    person_facts = _generate_facts(pctx, [n for n in person_names if n not in EMPLOYER_CLASS_AT_HIRE],
                                   PERSON_GENERATORS, generic, progress)
    octx = _Ctx(rng, system, on, today, np.zeros(n_orgs, np.int8), np.arange(n_orgs), {}, n_orgs, district)
    org_facts = _generate_facts(octx, [n for n in org_names if n not in ORG_CLASS_AT_MOMENT],
                                ORG_GENERATORS, generic, progress)
    # a unit's class at a moment copies its class today (drawn above; no draw of their own)
    person_facts.update(employer_class_at_hire(pctx, org_facts, person_names))
    org_facts.update(class_at_moment(org_facts, org_names))
    copied = [n for n in person_names if n in EMPLOYER_CLASS_AT_HIRE] + [n for n in org_names if n in ORG_CLASS_AT_MOMENT]
    for _ in copied if progress else ():
        progress()
    return Population(on, seed, np.arange(n_persons, dtype=np.int64), np.arange(n_orgs, dtype=np.int64),
                      org_of_person, role, person_facts, org_facts, generic)
