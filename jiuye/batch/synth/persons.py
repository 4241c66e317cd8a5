"""The persons' generators of the synthetic population and their distributions (docs/synthetic-population.md)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .base import (CITIES, NEVER, ORIGIN_SHARES, _Ctx, _as_date, _bern, _districts, _enum_index,
                   _same_or_new, _weighted_enum)

# -- persons ------------------------------------------------------------------------------------------
AGE = {"other": (38, 11, 16), "founder": (42, 9, 22)}    # Normal(mean, sd) clipped to [lowest, 64]; interns apart


def _age(c: _Ctx) -> np.ndarray:
    rng, n = c.rng, c.n
    mean, sd, low = AGE["other"]
    age = np.clip(rng.normal(mean, sd, n), low, 64)
    age = np.where(c.is_role("intern"), rng.uniform(18, 26, n), age)
    mean, sd, low = AGE["founder"]
    age = np.where(c.is_role("founder"), np.clip(rng.normal(mean, sd, n), low, 64), age)
    return age


def g_birth_date(c):
    age_days = (c.facts["_age"] * 365.25).astype(np.int64) + c.rng.integers(0, 365, c.n)
    return _as_date(c.today - age_days)


def g_sex(c):
    return _weighted_enum(c.rng, c.enum("sex"), {"male": 0.52, "female": 0.46, "unknown": 0.02}, c.n)


def g_retirement_category(c):
    enum = c.enum("retirement_category")
    sex = c.facts.get("sex")
    female55 = _bern(c.rng, 0.6, c.n)
    out = np.full(c.n, _enum_index(enum, "male"), np.int16)
    if sex is not None:
        sex_enum = c.enum("sex")
        female = sex == _enum_index(sex_enum, "female")
        out = np.where(female, np.where(female55, _enum_index(enum, "female_55"), _enum_index(enum, "female_50")), out)
        out = np.where(sex == _enum_index(sex_enum, "unknown"), _enum_index(enum, "unknown"), out)
    return out.astype(np.int16)


def g_hukou_district(c):
    return _districts(c.rng, c.enum("hukou_district"), c.n, c.shares("person"))


HUKOU_MOVED = 0.03          # share whose hukou was moved into its district in the last 8 years


def g_hukou_moved_in_date(c):
    """Most never moved (the optional fact's default, 1900-01-01); the others moved in the last 8 years."""
    moved = _bern(c.rng, HUKOU_MOVED, c.n)
    days = c.today - c.rng.integers(0, 8 * 365, c.n)
    return np.where(moved, _as_date(days), np.datetime64("1900-01-01", "D"))


def g_previous_hukou_district(c):
    return _districts(c.rng, c.enum("previous_hukou_district"), c.n, c.shares("person"))


# Probabilities by role (the key "other": every other role). jiuye.batch.assumptions varies them.
SAME_AS_HUKOU = 0.8                     # unemployment registered in the hukou district
REGISTERED_UNEMPLOYED = {"member": 0.30, "employee": 0.01, "other": 0.05}
EMPLOYED = {"employee": 0.97, "founder": 0.97, "other": 0.10}
SOCIAL_INSURANCE_PAID = {"employee": 0.92, "founder": 0.92, "other": 0.20}
# independent flags of persons and organisations
PERSON_FLAGS = {"wage_paid_monthly_in_full": 0.96, "dibao": 0.03, "hard_to_employ": 0.03, "disabled": 0.015,
                "veteran": 0.03, "public_welfare_placed": 0.01, "city_diverted_worker": 0.01, "rural_labour": 0.08,
                "flexibly_employed": 0.04}
ORG_FLAGS = {"operating_normally": 0.93}
# shares within a group: registered unemployed at hire (employees and interns), unemployment insurance
# (the registered unemployed), flexible employment subsidy (the flexibly employed), …
CONDITIONAL = {"registered_unemployed_at_hire": 0.10, "receives_unemployment_insurance": 0.4,
               "receives_flexible_employment_si_subsidy": 0.3, "training_fee_given": 0.7,
               "entrepreneurship_certificate": 0.8, "completion_certificate": 0.85, "contract_ended_early": 0.08,
               "wage_not_given": 0.03, "annual_rent_given": 0.6}


def _by_role(c, table: dict) -> np.ndarray:
    p = np.full(c.n, table["other"])
    for role, value in table.items():
        if role != "other":
            p = np.where(c.is_role(role), value, p)
    return p


def g_registered_unemployed(c):
    return c.rng.random(c.n) < _by_role(c, REGISTERED_UNEMPLOYED)


def g_unemployment_registration_date(c):
    days = c.today - c.rng.integers(0, 720, c.n)
    start = c.facts.get("contract_start_date")
    at_hire = c.facts.get("registered_unemployed_at_hire")
    if start is not None and at_hire is not None:
        before_hire = start.astype(np.int64) - c.rng.integers(1, 180, c.n)
        days = np.where(at_hire, before_hire, days)
    given = c.facts.get("registered_unemployed", np.zeros(c.n, bool)) | (at_hire if at_hire is not None else False)
    return np.where(given, _as_date(days), np.datetime64("1970-01-01", "D"))


def g_unemployment_registration_district(c):
    enum = c.enum("unemployment_registration_district")
    hukou = c.facts.get("hukou_district")
    fresh = _districts(c.rng, enum, c.n, c.shares("person"))
    if hukou is None or c.enum("hukou_district") is not enum:
        return fresh
    return _same_or_new(c.rng, hukou, SAME_AS_HUKOU, fresh)


def g_registered_unemployed_at_hire(c):
    return _bern(c.rng, CONDITIONAL["registered_unemployed_at_hire"], c.n) & (c.is_role("employee") | c.is_role("intern"))


def g_rural_labour_at_hire(c):
    """A 农村劳动力 today was one when hired (employees: the status is taken to have lasted since the
    hire); no random draw, so the rest of the population is unchanged."""
    return c.facts.get("rural_labour", np.zeros(c.n, bool)) & c.is_role("employee")


def g_public_welfare_placed_at_hire(c):
    """An employee placed by a 社会公益性就业组织 today was one when hired (taken to have lasted since the
    hire); no random draw, so the rest of the population is unchanged."""
    return c.facts.get("public_welfare_placed", np.zeros(c.n, bool)) & c.is_role("employee")


def g_city_diverted_worker_at_hire(c):
    """An employee who is a 本市分流职工 today was one when hired (as above); no random draw."""
    return c.facts.get("city_diverted_worker", np.zeros(c.n, bool)) & c.is_role("employee")


def g_rural_labour_at_training(c):
    """A 农村劳动力 today was one when trained (the trained: the status is taken to have lasted since the
    training); no random draw, so the rest of the population is unchanged."""
    return c.facts.get("rural_labour", np.zeros(c.n, bool)) & _trained(c)


def _flag_of(table: dict, name: str):
    """A flag with the probability `table[name]`, read when the population is generated."""
    return lambda c: _bern(c.rng, table[name], c.n)


def g_employed(c):
    return c.rng.random(c.n) < _by_role(c, EMPLOYED)


def g_receives_unemployment_insurance(c):
    return c.facts.get("registered_unemployed", np.zeros(c.n, bool)) & \
        _bern(c.rng, CONDITIONAL["receives_unemployment_insurance"], c.n)


def g_receives_flexible_employment_si_subsidy(c):
    return c.facts.get("flexibly_employed", np.zeros(c.n, bool)) & \
        _bern(c.rng, CONDITIONAL["receives_flexible_employment_si_subsidy"], c.n)


EDUCATION = {"below_secondary": 0.15, "high_school": 0.15, "secondary_vocational": 0.10,
             "technical_school": 0.05, "college": 0.20, "bachelor": 0.25, "master": 0.08, "doctor": 0.02}
GRADUATION_AGE = {"below_secondary": 16, "high_school": 18, "secondary_vocational": 18, "technical_school": 19,
                  "college": 21, "bachelor": 22, "master": 25, "doctor": 29}


def g_education_level(c):
    return _weighted_enum(c.rng, c.enum("education_level"), EDUCATION, c.n)


def g_graduation_date(c):
    enum = c.enum("education_level")
    level = c.facts.get("education_level")
    grad_age = np.full(c.n, 22, np.int64)
    if level is not None:
        table = np.full(len(enum.__members__), 22, np.int64)
        for name, a in GRADUATION_AGE.items():
            if name in enum.__members__:
                table[enum[name].index] = a
        grad_age = table[level]
    birth_year = c.facts["birth_date"].astype("datetime64[Y]").astype(np.int64)
    year = birth_year + grad_age + c.rng.integers(0, 2, c.n)
    july = (year.astype("datetime64[Y]") + np.timedelta64(6, "M")).astype("datetime64[D]")
    return july


# the level held before the highest (read only where the highest was obtained after a measure's moment):
# a level of a lower stage (facts.person.EDUCATION_STAGE); 初中及以下 has none below it (held throughout:
# never read) and keeps its own, 未知 stays 未知
EDUCATION_BEFORE = {"high_school": {"below_secondary": 1.0}, "secondary_vocational": {"below_secondary": 1.0},
                    "technical_school": {"below_secondary": 1.0},
                    "college": {"high_school": 0.55, "secondary_vocational": 0.35, "technical_school": 0.10},
                    "bachelor": {"high_school": 0.85, "college": 0.15},
                    "master": {"bachelor": 0.97, "college": 0.03},
                    "doctor": {"master": 0.85, "bachelor": 0.15}}


def g_education_level_before_highest(c):
    enum = c.enum("education_level_before_highest")
    level = c.facts.get("education_level")
    if level is None:
        return None
    highest = c.enum("education_level")
    out = level.astype(np.int16).copy()                  # 初中及以下, 未知: their own
    for name, weights in EDUCATION_BEFORE.items():
        if name in highest.__members__:
            out = np.where(level == highest[name].index, _weighted_enum(c.rng, enum, weights, c.n), out)
    return out.astype(np.int16)


def g_student_origin_city(c):
    enum = c.enum("student_origin_city")
    return _weighted_enum(c.rng, enum, city_weights(c.city, ORIGIN_SHARES), c.n)


def city_weights(city: str, shares) -> dict[str, float]:
    home, first, second, other, unknown = shares
    others = [x for x in CITIES if x != city]
    return {city: home, others[0]: first, others[1]: second, "other": other, "unknown": unknown}


def g_contract_start_date(c):
    rng, n = c.rng, c.n
    days = c.today - rng.integers(0, 6 * 365, n)
    # at least 16 years old at hire
    birth = c.facts["birth_date"].astype(np.int64)
    days = np.maximum(days, birth + int(16 * 365.25) + 1)
    # many young graduates are hired in their graduation year
    grad = c.facts.get("graduation_date")
    if grad is not None:
        g = grad.astype(np.int64)
        fresh = (g <= c.today) & (g > c.today - 6 * 365) & _bern(rng, 0.5, n)
        days = np.where(fresh, g + rng.integers(0, 150, n), days)
    days = np.where(c.is_role("intern"), c.today - rng.integers(0, 365, n), days)
    return _as_date(np.minimum(days, c.today))


CONTRACT_TYPES = {"fixed_term": 0.75, "open_ended": 0.20, "task_based": 0.05}           # employees
OTHER_CONTRACT_TYPES = {"unknown": 0.7, "fixed_term": 0.2, "open_ended": 0.1}          # other roles
CONTRACT_TERMS = {6: 0.05, 12: 0.25, 24: 0.25, 36: 0.35, 60: 0.10}                    # months, fixed term


def g_contract_type(c):
    enum = c.enum("contract_type")
    employee = _weighted_enum(c.rng, enum, CONTRACT_TYPES, c.n)
    other = _weighted_enum(c.rng, enum, OTHER_CONTRACT_TYPES, c.n)
    return np.where(c.is_role("employee"), employee, other).astype(np.int16)


def g_contract_term_months(c):
    term = c.rng.choice(np.array(list(CONTRACT_TERMS)), size=c.n, p=list(CONTRACT_TERMS.values()))
    kind = c.facts.get("contract_type")
    if kind is not None:
        term = np.where(kind == _enum_index(c.enum("contract_type"), "fixed_term"), term, 0)
    return term.astype(np.int32)


def g_contract_termination_date(c):
    start = c.facts["contract_start_date"].astype(np.int64)
    early = _bern(c.rng, CONDITIONAL["contract_ended_early"], c.n)
    end = np.minimum(start + c.rng.integers(30, 900, c.n), c.today)
    return np.where(early, _as_date(end), NEVER)


WAGE_MULTIPLE_BETA = (2.0, 3.0)      # wage = minimum wage × (1 + 2·Beta(2, 3)): 1x..3x, mean 1.8x


def g_monthly_wage(c):
    multiple = 1.0 + 2.0 * c.rng.beta(*WAGE_MULTIPLE_BETA, c.n)
    multiple = np.where(c.is_role("intern"), c.rng.uniform(0.9, 1.3, c.n), multiple)
    wage = np.round(multiple * c.min_wage(), 0)
    return np.where(_bern(c.rng, CONDITIONAL["wage_not_given"], c.n), np.nan, wage).astype(np.float32)


def g_social_insurance_paid(c):
    return c.rng.random(c.n) < _by_role(c, SOCIAL_INSURANCE_PAID)


TRAINING_TYPES = {"none": 0.85, "skills": 0.10, "entrepreneurship": 0.05}
SKILL_LEVELS = {"none": 0.80, "junior": 0.07, "intermediate": 0.06, "senior": 0.04, "technician": 0.02,
                "senior_technician": 0.01}
INTERNSHIP_MONTHS = {3: 0.3, 6: 0.5, 12: 0.2}


def g_training_type(c):
    return _weighted_enum(c.rng, c.enum("training_type"), TRAINING_TYPES, c.n)


def _trained(c, kind: str | None = None) -> np.ndarray:
    t = c.facts.get("training_type")
    if t is None:
        return _bern(c.rng, 0.15, c.n)
    enum = c.enum("training_type")
    if kind is None:
        return t != _enum_index(enum, "none")
    return t == _enum_index(enum, kind)


def g_training_end_date(c):
    days = c.today - c.rng.integers(0, 730, c.n)
    return np.where(_trained(c), _as_date(days), np.datetime64("1970-01-01", "D"))


def g_training_fee(c):
    fee = np.round(c.rng.uniform(800, 6000, c.n), 0)
    return np.where(_trained(c) & _bern(c.rng, CONDITIONAL["training_fee_given"], c.n), fee, np.nan).astype(np.float32)


def g_entrepreneurship_certificate(c):
    return _trained(c, "entrepreneurship") & _bern(c.rng, CONDITIONAL["entrepreneurship_certificate"], c.n)


def g_completion_certificate(c):
    return _trained(c, "skills") & _bern(c.rng, CONDITIONAL["completion_certificate"], c.n)


def g_skill_certificate_level(c):
    return _weighted_enum(c.rng, c.enum("skill_certificate_level"), SKILL_LEVELS, c.n)


def g_skill_certificate_date(c):
    level = c.facts.get("skill_certificate_level")
    has = level != 0 if level is not None else _bern(c.rng, 0.2, c.n)
    return np.where(has, _as_date(c.today - c.rng.integers(0, 5 * 365, c.n)), np.datetime64("1970-01-01", "D"))


def g_internship_start_date(c):
    days = c.today - c.rng.integers(0, 365, c.n)
    return np.where(c.is_role("intern"), _as_date(days), np.datetime64("1970-01-01", "D"))


def g_internship_end_date(c):
    start = c.facts["internship_start_date"]
    months = c.rng.choice(np.array(list(INTERNSHIP_MONTHS)), size=c.n, p=list(INTERNSHIP_MONTHS.values()))
    end = (start.astype("datetime64[M]") + months.astype("timedelta64[M]")).astype("datetime64[D]") \
        + (start - start.astype("datetime64[M]").astype("datetime64[D]")) - np.timedelta64(1, "D")
    return np.where(c.is_role("intern"), end, np.datetime64("1970-01-01", "D"))


# name -> generator; order matters (later generators read earlier facts through c.facts)
PERSON_GENERATORS: dict[str, Callable] = {
    "birth_date": g_birth_date,
    "sex": g_sex,
    "retirement_category": g_retirement_category,
    "hukou_district": g_hukou_district,
    "education_level": g_education_level,
    "graduation_date": g_graduation_date,
    "student_origin_city": g_student_origin_city,
    "contract_start_date": g_contract_start_date,
    "contract_type": g_contract_type,
    "contract_term_months": g_contract_term_months,
    "contract_termination_date": g_contract_termination_date,
    "monthly_wage": g_monthly_wage,
    "wage_paid_monthly_in_full": _flag_of(PERSON_FLAGS, "wage_paid_monthly_in_full"),
    "social_insurance_paid": g_social_insurance_paid,
    "registered_unemployed": g_registered_unemployed,
    "registered_unemployed_at_hire": g_registered_unemployed_at_hire,
    "unemployment_registration_date": g_unemployment_registration_date,
    "unemployment_registration_district": g_unemployment_registration_district,
    "dibao": _flag_of(PERSON_FLAGS, "dibao"),
    "hard_to_employ": _flag_of(PERSON_FLAGS, "hard_to_employ"),
    "disabled": _flag_of(PERSON_FLAGS, "disabled"),
    "veteran": _flag_of(PERSON_FLAGS, "veteran"),
    "public_welfare_placed": _flag_of(PERSON_FLAGS, "public_welfare_placed"),
    "city_diverted_worker": _flag_of(PERSON_FLAGS, "city_diverted_worker"),
    "public_welfare_placed_at_hire": g_public_welfare_placed_at_hire,
    "city_diverted_worker_at_hire": g_city_diverted_worker_at_hire,
    "rural_labour": _flag_of(PERSON_FLAGS, "rural_labour"),
    "rural_labour_at_hire": g_rural_labour_at_hire,
    "employed": g_employed,
    "flexibly_employed": _flag_of(PERSON_FLAGS, "flexibly_employed"),
    "receives_unemployment_insurance": g_receives_unemployment_insurance,
    "receives_flexible_employment_si_subsidy": g_receives_flexible_employment_si_subsidy,
    "training_type": g_training_type,
    "training_end_date": g_training_end_date,
    "rural_labour_at_training": g_rural_labour_at_training,
    "training_fee": g_training_fee,
    "entrepreneurship_certificate": g_entrepreneurship_certificate,
    "completion_certificate": g_completion_certificate,
    "skill_certificate_level": g_skill_certificate_level,
    "skill_certificate_date": g_skill_certificate_date,
    "internship_start_date": g_internship_start_date,
    "internship_end_date": g_internship_end_date,
    "hukou_moved_in_date": g_hukou_moved_in_date,
    "previous_hukou_district": g_previous_hukou_district,
    "education_level_before_highest": g_education_level_before_highest,
}
