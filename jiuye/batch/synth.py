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

from .population import ROLE_KEYS, Population, input_facts

BEIJING = ("dongcheng xicheng chaoyang fengtai shijingshan haidian mentougou fangshan tongzhou shunyi "
           "changping daxing huairou pinggu miyun yanqing").split()
TIANJIN = ("heping hedong hexi nankai hebei hongqiao dongli xiqing jinnan beichen wuqing baodi binhai "
           "ninghe jinghai jizhou").split()
HANGZHOU = ("shangcheng gongshu xihu binjiang xiaoshan yuhang linping qiantang fuyang linan tonglu "
            "chunan jiande").split()

CITIES = {"beijing": BEIJING, "tianjin": TIANJIN, "hangzhou": HANGZHOU}
CITY_LABELS = {"beijing": "北京市", "tianjin": "天津市", "hangzhou": "杭州市"}
# the minimum wage the wages of a home city are drawn around (a parameter of the system)
MINIMUM_WAGE = {"beijing": "reference.minimum_wage.beijing", "tianjin": "reference.minimum_wage.tianjin",
                "hangzhou": "reference.minimum_wage.zhejiang_class1"}
FALLBACK_MINIMUM_WAGE = 2420.0     # Beijing from 2023-09-01, should the parameter move

# share of each group of districts (the rest of a group's share is spread evenly over its members):
# the home district, the rest of its city, the two other covered cities, elsewhere, not known
PERSON_DISTRICTS = {"xicheng": 0.15, "_beijing": 0.50, "_tianjin": 0.03, "_hangzhou": 0.02,
                    "other": 0.25, "unknown": 0.05}
ORG_DISTRICTS = {"xicheng": 0.30, "_beijing": 0.55, "_tianjin": 0.03, "_hangzhou": 0.02,
                 "other": 0.08, "unknown": 0.02}
SHARES = {"person": (0.15, 0.50, 0.03, 0.02, 0.25, 0.05), "organisation": (0.30, 0.55, 0.03, 0.02, 0.08, 0.02)}
# student origin (生源地): the home city, the two others, elsewhere, not known
ORIGIN_SHARES = (0.55, 0.05, 0.03, 0.35, 0.02)


def city_of_district(district: str) -> str:
    for city, members in CITIES.items():
        if district in members:
            return city
    raise ValueError(f"district {district!r} is not in a covered city ({', '.join(CITIES)})")


def district_shares(home: str, entity_key: str) -> dict[str, float]:
    """{district or _city group: share} with `home` first (xicheng gives PERSON_/ORG_DISTRICTS)."""
    city = city_of_district(home)
    others = [c for c in CITIES if c != city]
    h, c, o1, o2, other, unknown = SHARES[entity_key]
    return {home: h, f"_{city}": c, f"_{others[0]}": o1, f"_{others[1]}": o2, "other": other, "unknown": unknown}

NEVER = np.datetime64("9999-12-31", "D")


# -- small vectorised helpers ------------------------------------------------------------------------
def _days(on: dt.date) -> int:
    return int(np.datetime64(on, "D").astype(np.int64))


def _as_date(days) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]")


def _bern(rng, p, n) -> np.ndarray:
    return rng.random(n) < p


def _enum_index(enum, name: str) -> int:
    return enum[name].index


def enum_probabilities(enum, weights: dict[str, float], rest: float = 0.0) -> np.ndarray:
    """The probability of each member (in enum order) that `_weighted_enum` draws with: members by
    name weight, members not named sharing `rest`, normalised (jiuye.batch.assumptions reads it too)."""
    names = list(enum.__members__)
    w = np.array([weights.get(name, 0.0) for name in names], dtype=float)
    unnamed = [i for i, name in enumerate(names) if name not in weights]
    if rest and unnamed:
        w[unnamed] = rest / len(unnamed)
    if w.sum() <= 0:
        w[:] = 1.0
    return w / w.sum()


def _weighted_enum(rng, enum, weights: dict[str, float], n: int, rest: float = 0.0) -> np.ndarray:
    """Sample enum members by name weight; members not named share `rest`."""
    indices = np.array([enum[name].index for name in enum.__members__], dtype=np.int16)
    return rng.choice(indices, size=n, p=enum_probabilities(enum, weights, rest)).astype(np.int16)


def district_groups(enum, shares: dict[str, float]) -> dict[str, str]:
    """{member: the key of `shares` it is drawn under} (home district, `_city` groups, other, unknown)."""
    members = set(enum.__members__)
    groups = {f"_{city}": list(members) for city, members in CITIES.items()}
    out: dict[str, str] = {}
    for key in shares:
        if key in groups:
            for name in groups[key]:
                if name in members and name not in shares:
                    out[name] = key
        elif key in members:
            out[key] = key
    return out


def _district_weights(enum, shares: dict[str, float]) -> dict[str, float]:
    groups = district_groups(enum, shares)
    size = {key: sum(1 for g in groups.values() if g == key) for key in shares}
    weights: dict[str, float] = {}
    for name in enum.__members__:           # enum order, as before
        if name in groups:
            weights[name] = shares[groups[name]] / size[groups[name]]
    return weights


def _districts(rng, enum, n, shares) -> np.ndarray:
    return _weighted_enum(rng, enum, _district_weights(enum, shares), n)


def _same_or_new(rng, base: np.ndarray, p_same: float, fresh: np.ndarray) -> np.ndarray:
    return np.where(_bern(rng, p_same, len(base)), base, fresh).astype(base.dtype)


# -- the generation context ---------------------------------------------------------------------------
@dataclasses.dataclass
class _Ctx:
    rng: np.random.Generator
    system: object
    on: dt.date
    today: int                         # assessment date as days since 1970
    role: np.ndarray                   # per person, index into ROLE_KEYS
    org_of_person: np.ndarray
    facts: dict                        # facts generated so far for this entity (for consistency)
    n: int
    home: str = "xicheng"              # home district (District key)

    @property
    def city(self) -> str:
        return city_of_district(self.home)

    def shares(self, entity_key: str) -> dict[str, float]:
        return district_shares(self.home, entity_key)

    def var(self, name):
        return self.system.variables[name]

    def enum(self, name):
        return self.system.variables[name].possible_values

    def is_role(self, key: str) -> np.ndarray:
        return self.role == ROLE_KEYS.index(key)

    def min_wage(self) -> float:
        return minimum_wage(self.system, self.on, self.city)


def minimum_wage(system, on: dt.date, city: str) -> float:
    """The minimum wage the wages of a home city are drawn around, on the reference date."""
    try:
        node = system.get_parameters_at_instant(on.isoformat())
        for part in MINIMUM_WAGE[city].split("."):
            node = node[part]
        return float(node)
    except Exception:       # the reference value moved: a plausible Beijing figure
        return FALLBACK_MINIMUM_WAGE


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


# Probabilities by role (the key "other": every other role). jiuye.batch.assumptions varies them.
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
    "rural_labour": _flag_of(PERSON_FLAGS, "rural_labour"),
    "employed": g_employed,
    "flexibly_employed": _flag_of(PERSON_FLAGS, "flexibly_employed"),
    "receives_unemployment_insurance": g_receives_unemployment_insurance,
    "receives_flexible_employment_si_subsidy": g_receives_flexible_employment_si_subsidy,
    "training_type": g_training_type,
    "training_end_date": g_training_end_date,
    "training_fee": g_training_fee,
    "entrepreneurship_certificate": g_entrepreneurship_certificate,
    "completion_certificate": g_completion_certificate,
    "skill_certificate_level": g_skill_certificate_level,
    "skill_certificate_date": g_skill_certificate_date,
    "internship_start_date": g_internship_start_date,
    "internship_end_date": g_internship_end_date,
}


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
SAME_AS_HUKOU = 0.8                     # unemployment registered in the hukou district


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


# -- generic facts (new facts nobody wrote a generator for) -------------------------------------------
_COUNT_WORDS = ("count", "number", "headcount", "employees", "persons", "hires", "staff", "members", "_n_")
_MONEY_WORDS = ("fee", "cost", "rent", "amount", "investment", "revenue", "expense", "price", "loan", "fund",
                "income", "turnover", "capital", "tax")


# the placeholder distributions (docs/synthetic-population.md; jiuye.batch.assumptions gives each a range)
GENERIC = {"bool": 0.10, "city": (0.6, 0.05, 0.03, 0.3, 0.0), "date_given": 0.5, "end_date_given": 0.10,
           "amount": (20_000, 1.0), "amount_given": 0.6, "months": (0, 3, 6, 12, 24, 36), "years": 10,
           "count": 8, "int": 3}


def generic_kind(name: str, variable) -> str | None:
    """Which placeholder a fact without a generator gets, from its type and name: bool, district,
    city, enum, birth, date, end_date, wage, rate, cost (amount, sometimes blank), amount, months,
    years, count, int; None: the default is kept."""
    from datetime import date as date_type
    from openfisca_core.indexed_enums import Enum
    vt, lname = variable.value_type, name.lower()
    if vt is bool:
        return "bool"
    if vt is Enum:
        members = set(variable.possible_values.__members__)
        if {"xicheng", "chaoyang"} <= members:
            return "district"
        return "city" if {"beijing", "tianjin"} <= members else "enum"
    if vt is date_type:
        if "birth" in lname:
            return "birth"
        return "end_date" if np.datetime64(variable.default_value, "D") >= NEVER else "date"
    if vt is float:
        if any(w in lname for w in ("wage", "salary", "pay")):
            return "wage"
        if any(w in lname for w in ("rate", "ratio", "share", "percent", "proportion")):
            return "rate"
        return "cost" if any(w in lname for w in _MONEY_WORDS) or np.isnan(variable.default_value) else "amount"
    if vt is int:
        if "month" in lname:
            return "months"
        if "year" in lname:
            return "years"
        return "count" if any(w in lname for w in _COUNT_WORDS) else "int"
    return None


def generic_enum_weights(variable) -> dict[str, float]:
    """Placeholder weights of an enum: uniform, the default member (none/unknown) weighted n/2."""
    members = set(variable.possible_values.__members__)
    default = variable.default_value.name if variable.default_value is not None else None
    weights = {m: 1.0 for m in members}
    if default in weights:           # the default (unknown/none) stays the most frequent value
        weights[default] = max(1.0, len(members) / 2)
    return weights


def generic_fact(c: _Ctx, name: str, variable) -> np.ndarray | None:
    """A plausible value from the fact's type and name. None: leave the default."""
    rng, n = c.rng, c.n
    kind = generic_kind(name, variable)
    if kind == "bool":
        return _bern(rng, GENERIC["bool"], n)
    if kind == "district":
        return _districts(rng, variable.possible_values, n,
                          c.shares("person" if variable.entity.is_person else "organisation"))
    if kind == "city":
        return _weighted_enum(rng, variable.possible_values, city_weights(c.city, GENERIC["city"]), n)
    if kind == "enum":
        return _weighted_enum(rng, variable.possible_values, generic_enum_weights(variable), n)
    if kind == "birth":
        return g_birth_date(c) if "birth_date" not in c.facts else c.facts["birth_date"]
    if kind in ("date", "end_date"):
        default = np.datetime64(variable.default_value, "D")
        days = _as_date(c.today - rng.integers(-180, 5 * 365, n))
        p_given = GENERIC["end_date_given"] if kind == "end_date" else GENERIC["date_given"]  # end-like dates are rare
        return np.where(_bern(rng, p_given, n), days, default)
    if kind == "wage":
        return g_monthly_wage(c)
    if kind == "rate":
        return rng.uniform(0, 1, n).astype(np.float32)
    if kind in ("cost", "amount"):
        median, sigma = GENERIC["amount"]
        amount = np.round(rng.lognormal(np.log(median), sigma, n), 0)
        if kind == "cost":
            return np.where(_bern(rng, GENERIC["amount_given"], n), amount, np.nan).astype(np.float32)
        return amount.astype(np.float32)
    if kind == "months":
        return rng.choice(np.array(GENERIC["months"]), size=n).astype(np.int32)
    if kind == "years":
        return rng.integers(0, GENERIC["years"], n).astype(np.int32)
    if kind == "count":
        return rng.poisson(GENERIC["count"], n).astype(np.int32)
    if kind == "int":
        return rng.poisson(GENERIC["int"], n).astype(np.int32)
    return None                      # str and anything else: keep the default


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
    person_facts = _generate_facts(pctx, input_facts(system, "person"), PERSON_GENERATORS, generic, progress)
    octx = _Ctx(rng, system, on, today, np.zeros(n_orgs, np.int8), np.arange(n_orgs), {}, n_orgs, district)
    org_facts = _generate_facts(octx, input_facts(system, "organisation"), ORG_GENERATORS, generic, progress)
    return Population(on, seed, np.arange(n_persons, dtype=np.int64), np.arange(n_orgs, dtype=np.int64),
                      org_of_person, role, person_facts, org_facts, generic)


# -- identity numbers and the roster ---------------------------------------------------------------------------
# 行政区划代码 (GB/T 2260, 民政部) of the covered districts: the first six characters of a 身份证号
# (where the number was first issued; taken as the hukou district here) and of a 统一社会信用代码's
# registration authority. Places outside the covered cities get one of OTHER_REGIONS.
REGION_CODES = {
    "dongcheng": "110101", "xicheng": "110102", "chaoyang": "110105", "fengtai": "110106", "shijingshan": "110107",
    "haidian": "110108", "mentougou": "110109", "fangshan": "110111", "tongzhou": "110112", "shunyi": "110113",
    "changping": "110114", "daxing": "110115", "huairou": "110116", "pinggu": "110117", "miyun": "110118",
    "yanqing": "110119",
    "heping": "120101", "hedong": "120102", "hexi": "120103", "nankai": "120104", "hebei": "120105",
    "hongqiao": "120106", "dongli": "120110", "xiqing": "120111", "jinnan": "120112", "beichen": "120113",
    "wuqing": "120114", "baodi": "120115", "binhai": "120116", "ninghe": "120117", "jinghai": "120118",
    "jizhou": "120119",
    "shangcheng": "330102", "gongshu": "330105", "xihu": "330106", "binjiang": "330108", "xiaoshan": "330109",
    "yuhang": "330110", "fuyang": "330111", "linan": "330112", "linping": "330113", "qiantang": "330114",
    "tonglu": "330122", "chunan": "330127", "jiande": "330182",
}
OTHER_REGIONS = ("130102", "370102", "410102", "510104", "420102", "430102")   # 石家庄长安 济南历下 郑州中原 成都锦江 武汉江岸 长沙芙蓉

# 统一社会信用代码: 登记管理部门 + 机构类别 (GB 32100-2015 表1) by organisation type
USCC_CATEGORY = {"individual_business": "92", "private_non_enterprise": "52", "industry_association": "51",
                 "chamber_of_commerce": "51", "public_welfare_employment_org": "52", "public_institution": "12",
                 "street": "11", "community": "N2"}
USCC_DEFAULT_CATEGORY = "91"          # 工商 企业
ORG_CODE_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], np.int64)   # GB 11714 组织机构代码


def _region_codes(system, values: np.ndarray, variable: str, rng) -> np.ndarray:
    enum = system.variables[variable].possible_values
    table = np.array([REGION_CODES.get(name, "") for name in enum.__members__], dtype="<U6")
    codes = table[np.asarray(values, np.int64)]
    other = codes == ""
    codes[other] = np.array(OTHER_REGIONS)[rng.integers(0, len(OTHER_REGIONS), int(other.sum()))]
    return codes


def person_id_numbers(population: Population, system, seed: int) -> np.ndarray:
    """Valid, unique 居民身份证号码 (GB 11643-1999): region of the hukou district, the birth date,
    a sequence number whose parity is the sex (odd: male), the check character."""
    from ..ids import id_check_chars
    rng = np.random.default_rng([seed, 11643])
    n = population.n_persons
    region = _region_codes(system, population.person_facts["hukou_district"], "hukou_district", rng)
    birth = np.asarray(population.person_facts["birth_date"], "datetime64[D]")
    sex = np.asarray(population.person_facts["sex"], np.int64)
    male = sex == system.variables["sex"].possible_values["male"].index
    unknown = sex == system.variables["sex"].possible_values["unknown"].index
    male = np.where(unknown, rng.random(n) < 0.5, male)
    # rank within (region, birth date, sex): sequence 2*rank + parity, at most 999
    key = np.char.add(region, np.datetime_as_string(birth, unit="D").astype("<U10"))
    key = np.char.add(key, np.where(male, "1", "0"))
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - group_start
    spill = rank >= 500                    # more than 500 of a sex born the same day in one district
    if spill.any():
        region = region.copy()
        region[spill] = np.array(OTHER_REGIONS)[(rank[spill] // 500) % len(OTHER_REGIONS)]
        rank = np.where(spill, rank % 500, rank)
    sequence = 2 * rank + np.where(male, 1, 0)
    text = np.char.add(np.char.add(region, np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "")),
                       np.char.zfill(sequence.astype(str), 3))
    raw = np.frombuffer(text.astype("S17").tobytes(), np.uint8).reshape(-1, 17)
    check = id_check_chars(raw - 48)
    ids = np.char.add(text, check.view("S1").astype("<U1"))
    if len(np.unique(ids)) != n:
        raise AssertionError("synthetic 身份证号 are not unique")
    return ids.astype(object)


def org_id_numbers(population: Population, system, seed: int) -> np.ndarray:
    """Valid, unique 统一社会信用代码 (GB 32100-2015): category by organisation type, the
    registration district's region code, a 组织机构代码 (GB 11714) from a bijection of the index."""
    from ..ids import USCC_CHARS, uscc_check_chars
    rng = np.random.default_rng([seed, 32100])
    n = population.n_orgs
    kinds = list(system.variables["org_type"].possible_values.__members__)
    category = np.array([USCC_CATEGORY.get(k, USCC_DEFAULT_CATEGORY) for k in kinds], dtype="<U2")
    cat = category[np.asarray(population.org_facts["org_type"], np.int64)] if "org_type" in population.org_facts \
        else np.full(n, USCC_DEFAULT_CATEGORY)
    region = _region_codes(system, population.org_facts["registration_district"], "registration_district", rng) \
        if "registration_district" in population.org_facts else np.full(n, OTHER_REGIONS[0])
    modulus = 31 ** 8
    offset = int(rng.integers(0, modulus))
    body = (np.arange(n, dtype=np.int64) * 7919 + offset) % modulus          # 7919 prime: a bijection
    chars = np.frombuffer(USCC_CHARS.encode(), np.uint8)
    digits = np.empty((n, 8), np.int64)
    for i in range(7, -1, -1):
        digits[:, i] = body % 31
        body //= 31
    letters = chars[digits]
    value = np.where(letters >= 65, letters - 55, letters - 48)       # GB 11714: A=10 … Z=35
    c9 = 11 - (value * ORG_CODE_WEIGHTS).sum(axis=1) % 11
    ninth = np.where(c9 == 10, ord("X"), np.where(c9 == 11, ord("0"), 48 + c9)).astype(np.uint8)
    head = np.frombuffer(np.char.add(cat, region).astype("S8").tobytes(), np.uint8).reshape(-1, 8)
    first17 = np.concatenate([head, letters.astype(np.uint8), ninth[:, None]], axis=1)
    full = np.concatenate([first17, uscc_check_chars(first17)[:, None]], axis=1)
    ids = np.frombuffer(full.tobytes(), "S18").astype("<U18")
    if len(np.unique(ids)) != n:
        raise AssertionError("synthetic 统一社会信用代码 are not unique")
    return ids.astype(object)


def for_roster(population: Population, system) -> Population:
    """The population as `jiuye synth` writes it: 身份证号 and 统一社会信用代码 as ids, the sex agreeing
    with the 身份证号 (its 17th character), so reading the roster back gives the same population."""
    import dataclasses as _dc
    seed = population.seed or 0
    person_ids = person_id_numbers(population, system, seed)
    org_ids = org_id_numbers(population, system, seed)
    facts = dict(population.person_facts)
    if "sex" in facts:
        from ..ids import birth_and_sex_from_ids
        _, sex = birth_and_sex_from_ids(person_ids.astype(str))
        facts["sex"] = sex.astype(np.int16)
    return _dc.replace(population, person_ids=person_ids, org_ids=org_ids, person_facts=facts)
