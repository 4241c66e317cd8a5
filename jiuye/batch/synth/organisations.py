"""The organisations' generators of the synthetic population and their distributions."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .base import (_as_date, _bern, _districts, _same_or_new, _weighted_enum)
from .persons import (CONDITIONAL, ORG_FLAGS, _flag_of)

# -- organisations ------------------------------------------------------------------------------------
ORG_TYPES = {"limited_company": 0.60, "joint_stock_company": 0.03, "other_enterprise": 0.07,
             "individual_business": 0.13, "private_non_enterprise": 0.04, "law_firm": 0.015,
             "accounting_firm": 0.015, "public_welfare_employment_org": 0.005, "street": 0.003,
             "community": 0.01, "industry_association": 0.005, "chamber_of_commerce": 0.002,
             "public_institution": 0.02, "other": 0.03, "unknown": 0.02}


def g_org_type(c):
    return _weighted_enum(c.rng, c.enum("org_type"), ORG_TYPES, c.n, rest=0.01)


def g_registration_district(c):
    return _districts(c.rng, c.enum("registration_district"), c.n, c.shares("organisation"))


def _like_registration(name: str):
    def generate(c):
        p_same = SAME_DISTRICT[name]
        enum = c.enum(name)
        fresh = _districts(c.rng, enum, c.n, c.shares("organisation"))
        base = c.facts.get("registration_district")
        if base is None or c.enum("registration_district") is not enum:
            return fresh
        return _same_or_new(c.rng, base, p_same, fresh)
    return generate


ORG_AGE_MEAN_DAYS = 6 * 365            # registration age ~ Exponential, at most 40 years
ANNUAL_RENT = (300_000, 0.8)            # LogNormal(median, sigma), rounded to 100 元
SAME_DISTRICT = {"premises_district": 0.85, "tax_district": 0.90, "social_insurance_district": 0.90}


def g_registration_date(c):
    age_days = np.minimum(c.rng.exponential(ORG_AGE_MEAN_DAYS, c.n).astype(np.int64), 40 * 365)
    return _as_date(c.today - age_days)


def g_annual_rent(c):
    rent = np.round(c.rng.lognormal(np.log(ANNUAL_RENT[0]), ANNUAL_RENT[1], c.n), -2)
    return np.where(_bern(c.rng, CONDITIONAL["annual_rent_given"], c.n), rent, np.nan).astype(np.float32)


ORG_GENERATORS: dict[str, Callable] = {
    "org_type": g_org_type,
    "registration_district": g_registration_district,
    "premises_district": _like_registration("premises_district"),
    "tax_district": _like_registration("tax_district"),
    "social_insurance_district": _like_registration("social_insurance_district"),
    "registration_date": g_registration_date,
    "operating_normally": _flag_of(ORG_FLAGS, "operating_normally"),
    "annual_rent": g_annual_rent,
}


# -- facts copied from another, once every fact has its value (no draw of their own) --------------------
# a unit's class judged at an event (a loan, a hire) is taken to be its class today: the synthetic population
# has no history of a unit's size or recognition. Copied after the generic facts they copy are drawn (so the
# draws of every other fact are unchanged); `generate_population` applies them.
ORG_CLASS_AT_MOMENT: dict[str, str] = {
    "heping_17_small_micro_at_loan": "heping_small_micro",        # heping/十七: 申请贷款（贷款发放）时为小微企业
}
# a person's fact giving the employer's class on the hire day: employees only, the listed unit's class today
EMPLOYER_CLASS_AT_HIRE: dict[str, str] = {
    "heping_employer_sme_at_hire": "heping_sme",                  # heping/十: 被招用时所在企业为中小微企业
    "heping_employer_small_micro_at_hire": "heping_small_micro",
    "heping_employer_tech_startup_sme_at_hire": "heping_tech_startup_sme",
    "heping_employer_graduate_startup_at_hire": "heping_graduate_startup",
}


def class_at_moment(org_facts: dict, names: list[str]) -> dict:
    """The organisations' class-at-the-moment facts of `names`, each its class today (ORG_CLASS_AT_MOMENT)."""
    return {name: np.asarray(org_facts[source], bool).copy() for name, source in ORG_CLASS_AT_MOMENT.items()
            if name in names and source in org_facts}


def employer_class_at_hire(c, org_facts: dict, names: list[str]) -> dict:
    """The persons' employer-class-at-the-hire facts of `names` (EMPLOYER_CLASS_AT_HIRE): an employee's is the
    listed unit's class today (taken to have lasted since the hire), anyone else's false."""
    employee = c.is_role("employee") & (c.org_of_person >= 0)
    where = np.clip(c.org_of_person, 0, None)
    return {name: employee & np.asarray(org_facts[source], bool)[where]
            for name, source in EMPLOYER_CLASS_AT_HIRE.items() if name in names and source in org_facts}

