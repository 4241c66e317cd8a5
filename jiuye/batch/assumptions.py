"""The assumed distributions of the synthetic population (jiuye.batch.synth), each with a stated
range, and what changing it within the range does to the population: a weight per row.

A synthetic row was drawn from the generator's distribution p; under another value of a parameter
it would have been drawn from p'. The importance ratio p'(x)/p(x) of the row's own value x is a
weight that makes every weighted sum over the *same rows* what it would be, on average, had the
population been generated with p' — without generating it again. Every assumption here is an
exponential-family tilt, so its log-ratio is linear in fixed features of the rows:

    log p'(x)/p(x) = features(x) · coef(θ)

(shares: indicators of the outcome; categories: one-hot; a normal mean: the deviation; a log-normal
median: the log deviation; an exponential or Poisson mean, a beta mean: their sufficient
statistics). Features are computed once; a draw of the parameters θ is a small coefficient
vector, and all draws' weights are one matrix product (jiuye.batch.uncertainty).

Every assumption lists the facts its distribution changes (`facts`: the fact itself and the facts
the generator derives from it, e.g. education → graduation date), so a measure's cost is weighted
only by the assumptions on facts it reads: the others change nothing in expectation (they are
independent of what the measure reads), and leaving them out keeps the weights well spread.

What this assumes: the range of a parameter stays inside the support of the generator's
distribution (every value that can occur under p' can occur under p: a share stays strictly
between 0 and 1), the rows are many enough to represent p' (the report gives the number of
synthetic units behind each measure), and clipped tails (ages clipped at 16 and 64, registration
ages at 40 years) are neglected in the ratio. Structural draws (memberships, organisation sizes,
roles, dates spread uniformly over a window) are not varied.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import synth
from .calibration import Frame
from .population import ROLE_KEYS

CAP = 0.995                      # a share scaled by a factor stays below this


@dataclasses.dataclass
class Param:
    label: str                   # Chinese, e.g. "比例", "本科比例"
    central: float
    low: float
    high: float
    fmt: str = "pct"             # pct | factor | years | yuan | number

    def draw(self, u: np.ndarray) -> np.ndarray:
        """Two-piece uniform with median `central`: half of the draws in [low, central], half in
        [central, high] — the central value is each parameter's median."""
        lower = self.low + (self.central - self.low) * (2 * u)
        upper = self.central + (self.high - self.central) * (2 * u - 1)
        return np.where(u < 0.5, lower, upper)

    def text(self, value: float) -> str:
        if self.fmt == "pct":
            return f"{value * 100:.3g}%"
        if self.fmt == "factor":
            return f"×{value:.3g}"
        if self.fmt == "years":
            return f"{value:+.3g}岁" if self.central == 0 else f"{value:.3g}年"
        if self.fmt == "yuan":
            return f"{value:,.0f}元"
        return f"{value:.3g}"

    def range_text(self) -> str:
        return f"{self.text(self.central)}（{self.text(self.low)}–{self.text(self.high)}）"


class Assumption:
    """A distribution of the generator with its parameters' ranges."""

    key: str                     # stable id
    label: str                   # Chinese
    entity: str                  # person | organisation
    facts: tuple                 # the facts whose distribution it changes
    params: list
    placeholder: bool = False    # a placeholder distribution (fact without a generator)

    def features(self, frame: Frame) -> np.ndarray:            # (rows, k)
        raise NotImplementedError

    def coef(self, theta: np.ndarray) -> np.ndarray:           # (draws, params) -> (draws, k)
        raise NotImplementedError

    def range_text(self) -> str:
        if len(self.params) == 1:
            return self.params[0].range_text()
        return "；".join(f"{p.label} {p.range_text()}" for p in self.params)

    def central(self) -> np.ndarray:
        return np.array([[p.central for p in self.params]])


def _bool(frame: Frame, entity: str, name: str) -> np.ndarray:
    values, given = frame.fact(entity, name)
    return np.zeros(frame.n(entity), bool) if values is None else (given & values.astype(bool))


def _given(frame: Frame, entity: str, name: str, default=None) -> np.ndarray:
    """The cell holds a value (not blank, not NaN, not the variable's default date)."""
    values, given = frame.fact(entity, name)
    if values is None:
        return np.zeros(frame.n(entity), bool)
    if default is not None:
        given = given & (values != default)
    return given


def _role(frame: Frame, *keys: str) -> np.ndarray:
    return np.isin(frame.role, [ROLE_KEYS.index(k) for k in keys]) & (frame.org_of_person >= 0)


class Share(Assumption):
    """A yes/no outcome with probability p in each of some groups of rows. One group: the parameter
    is p; several: a factor on every group's p (capped below 1)."""

    def __init__(self, key, label, entity, facts, outcome, groups, low, high, placeholder=False):
        self.key, self.label, self.entity, self.facts, self.placeholder = key, label, entity, tuple(facts), placeholder
        self.outcome, self.groups = outcome, groups          # outcome(frame) -> bool; [(mask(frame), p)]
        if len(groups) == 1:
            self.params = [Param("比例", groups[0][1], low, high, "pct")]
        else:
            self.params = [Param("相对倍数", 1.0, low, high, "factor")]

    def features(self, frame):
        x = self.outcome(frame)
        columns = []
        for mask, _ in self.groups:
            g = mask(frame)
            columns += [x & g, ~x & g]
        return np.column_stack(columns).astype(np.float64)

    def coef(self, theta):
        out = []
        for _, p in self.groups:
            q = theta[:, 0] if len(self.groups) == 1 else np.minimum(p * theta[:, 0], CAP)
            out += [np.log(q / p), np.log((1 - q) / (1 - p))]
        return np.column_stack(out)


class Categories(Assumption):
    """Rows fall in one of C classes with shares s (-1: not drawn from this distribution). Each
    share varies by ±r of itself; the shares are then normalised."""

    def __init__(self, key, label, entity, facts, classes, names, shares, r, placeholder=False):
        shares = np.asarray(shares, float)
        keep = shares > 0
        self.key, self.label, self.entity, self.facts, self.placeholder = key, label, entity, tuple(facts), placeholder
        self.classes = classes                               # classes(frame) -> int array into the kept classes
        self.shares = shares[keep] / shares[keep].sum()
        self.keep = keep
        self.params = [Param(f"{n}比例", s, s * (1 - r), min(s * (1 + r), 1.0), "pct")
                       for n, s in zip(np.array(names, dtype=object)[keep], self.shares)]

    def features(self, frame):
        cls = self.classes(frame)
        remap = np.full(len(self.keep) + 1, -1, np.int64)
        remap[np.flatnonzero(self.keep)] = np.arange(self.keep.sum())
        cls = np.where(cls >= 0, remap[np.where(cls >= 0, cls, len(self.keep))], -1)
        out = np.zeros((len(cls), len(self.shares)))
        rows = np.flatnonzero(cls >= 0)
        out[rows, cls[rows]] = 1.0
        return out

    def coef(self, theta):
        normalised = theta / theta.sum(axis=1, keepdims=True)
        return np.log(normalised / self.shares)


class SameOrNew(Assumption):
    """A district that is the base district with probability p, else drawn afresh (and then equal
    to the base with the base's own share q)."""

    def __init__(self, key, label, entity, fact, base, p, low, high, q_of_member):
        self.key, self.label, self.entity, self.facts = key, label, entity, (fact,)
        self.fact, self.base, self.p, self.q_of_member = fact, base, p, np.asarray(q_of_member, float)
        self.q_values = np.unique(self.q_of_member)
        self.params = [Param("比例", p, low, high, "pct")]

    def features(self, frame):
        value, base = frame.enum_index(self.entity, self.fact), frame.enum_index(self.entity, self.base)
        same = value == base
        q_class = np.searchsorted(self.q_values, self.q_of_member[base])
        out = np.zeros((len(value), len(self.q_values) + 1))
        rows = np.flatnonzero(same)
        out[rows, q_class[rows]] = 1.0
        out[~same, -1] = 1.0
        return out

    def coef(self, theta):
        t, p, q = theta[:, :1], self.p, self.q_values[None, :]
        same = np.log((t + (1 - t) * q) / (p + (1 - p) * q))
        return np.column_stack([same, np.log((1 - t[:, 0]) / (1 - p))])


class NormalMean(Assumption):
    """Normal(mean_g, sd_g) in groups of rows; the parameter shifts every group's mean."""

    def __init__(self, key, label, entity, facts, value, groups, low, high):
        self.key, self.label, self.entity, self.facts = key, label, entity, tuple(facts)
        self.value, self.groups = value, groups              # value(frame) -> (x, mask); [(mask(frame), mean, sd)]
        self.params = [Param("均值偏移", 0.0, low, high, "years")]

    def features(self, frame):
        x, given = self.value(frame)
        cols = []
        for mask, mean, _ in self.groups:
            g = mask(frame) & given
            cols += [np.where(g, x - mean, 0.0), g.astype(float)]
        return np.column_stack(cols)

    def coef(self, theta):
        d = theta[:, 0]
        return np.column_stack([c for _, _, sd in self.groups for c in (d / sd ** 2, -d ** 2 / (2 * sd ** 2))])


class LogNormalMedian(Assumption):
    def __init__(self, key, label, entity, fact, median, sigma, low, high, mask=None, placeholder=False):
        self.key, self.label, self.entity, self.facts, self.placeholder = key, label, entity, (fact,), placeholder
        self.fact, self.mu, self.sigma, self.mask = fact, math.log(median), sigma, mask
        self.params = [Param("中位数", median, low, high, "yuan")]

    def features(self, frame):
        values, given = frame.fact(self.entity, self.fact)
        ok = given & (values > 0)
        if self.mask is not None:
            ok &= self.mask(frame)
        dev = np.where(ok, np.log(np.where(ok, values, 1.0)) - self.mu, 0.0)
        return np.column_stack([dev, ok.astype(float)])

    def coef(self, theta):
        d = np.log(theta[:, 0]) - self.mu
        return np.column_stack([d / self.sigma ** 2, -d ** 2 / (2 * self.sigma ** 2)])


class ExponentialMean(Assumption):
    """An age in days since a date, Exponential(mean); the parameter is the mean in years."""

    def __init__(self, key, label, entity, fact, mean_years, low, high):
        self.key, self.label, self.entity, self.facts, self.fact = key, label, entity, (fact,), fact
        self.rate = 1 / (mean_years * 365)
        self.params = [Param("平均年限", mean_years, low, high, "years")]

    def features(self, frame):
        values, given = frame.fact(self.entity, self.fact)
        days = (np.datetime64(frame.on, "D") - values.astype("datetime64[D]")).astype(np.int64).astype(float)
        ok = given & (days >= 0)
        return np.column_stack([np.where(ok, days, 0.0), ok.astype(float)])

    def coef(self, theta):
        rate = 1 / (theta[:, 0] * 365)
        return np.column_stack([-(rate - self.rate), np.log(rate / self.rate)])


class PoissonMean(Assumption):
    def __init__(self, key, label, entity, fact, mean, low, high, placeholder=True):
        self.key, self.label, self.entity, self.facts, self.fact = key, label, entity, (fact,), fact
        self.mean, self.placeholder = mean, placeholder
        self.params = [Param("均值", mean, low, high, "number")]

    def features(self, frame):
        values, given = frame.fact(self.entity, self.fact)
        return np.column_stack([np.where(given, values, 0).astype(float), given.astype(float)])

    def coef(self, theta):
        lam = theta[:, 0]
        return np.column_stack([np.log(lam / self.mean), -(lam - self.mean)])


class BetaMean(Assumption):
    """value = unit × (offset + width·Beta(a, b)); the parameter is the mean of offset + width·Beta
    (a + b kept). Wages: minimum wage × (1 + 2·Beta(2, 3)); rates: Uniform(0, 1) = Beta(1, 1)."""

    def __init__(self, key, label, entity, fact, low, high, mask, *, ab, unit=1.0, offset=0.0, width=1.0,
                 param="均值", placeholder=False):
        self.key, self.label, self.entity, self.facts, self.placeholder = key, label, entity, (fact,), placeholder
        self.fact, self.mask, self.unit, self.offset, self.width = fact, mask, unit, offset, width
        self.a, self.b = ab
        mean = offset + width * self.a / (self.a + self.b)
        self.params = [Param(param, mean, low, high, "number")]

    def features(self, frame):
        values, given = frame.fact(self.entity, self.fact)
        ok = given & self.mask(frame)
        u = np.clip((np.where(ok, values, 0.0) / self.unit - self.offset) / self.width, 1e-4, 1 - 1e-4)
        return np.column_stack([np.where(ok, np.log(u), 0.0), np.where(ok, np.log1p(-u), 0.0), ok.astype(float)])

    def coef(self, theta):
        s = self.a + self.b
        a = s * (theta[:, 0] - self.offset) / self.width
        b = s - a
        log_beta = np.vectorize(lambda x, y: math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y))
        return np.column_stack([a - self.a, b - self.b, log_beta(self.a, self.b) - log_beta(a, b)])


# -- the generator's distributions ------------------------------------------------------------------------------------
def _label(system, name: str) -> str:
    return system.variables[name].label or name


def _enum_classes(entity: str, name: str, member_class=None):
    """classes(frame): the member index (or the class of the member) of each row."""
    def classes(frame):
        index = frame.enum_index(entity, name)
        if index is None:
            return np.full(frame.n(entity), -1)
        return index if member_class is None else np.asarray(member_class)[index]
    return classes


def _only(classes, mask):
    return lambda frame: np.where(mask(frame), classes(frame), -1)


def _value_classes(entity: str, name: str, values: list, mask=None):
    """classes(frame): the position of an integer fact's value in `values` (-1: another value)."""
    def classes(frame):
        v, given = frame.fact(entity, name)
        lookup = {x: i for i, x in enumerate(values)}
        out = np.array([lookup.get(int(x), -1) for x in np.unique(v)])
        cls = out[np.searchsorted(np.unique(v), v)]
        cls = np.where(given, cls, -1)
        return cls if mask is None else np.where(mask(frame), cls, -1)
    return classes


def _enum_categories(system, key, label, entity, name, weights, r, facts=None, rest=0.0, mask=None, placeholder=False):
    enum = system.variables[name].possible_values
    shares = synth.enum_probabilities(enum, weights, rest)
    classes = _enum_classes(entity, name)
    return Categories(key, label, entity, facts or (name,), classes if mask is None else _only(classes, mask),
                      [m.value for m in enum], shares, r, placeholder)


def _district_categories(system, key, label, entity, name, shares, r, facts=None, placeholder=False):
    """The district groups of `district_shares` (home district, rest of its city, …) as categories."""
    enum = system.variables[name].possible_values
    groups = synth.district_groups(enum, shares)
    keys = list(shares)
    member_class = np.array([keys.index(groups[m]) if m in groups else -1 for m in enum.__members__])
    names = []
    for k in keys:
        if k.startswith("_"):
            names.append(f"{synth.CITY_LABELS.get(k[1:], k[1:])}其他区" if k[1:] == synth.city_of_district(keys[0])
                         else synth.CITY_LABELS.get(k[1:], k[1:]))
        else:
            names.append(enum[k].value if k in enum.__members__ else k)
    return Categories(key, label, entity, facts or (name,), _enum_classes(entity, name, member_class),
                      names, [shares[k] for k in keys], r, placeholder)


def _same_or_new(system, key, label, entity, fact, base, p, low, high, shares):
    enum = system.variables[fact].possible_values
    if system.variables[base].possible_values is not enum:
        return None
    weights = synth._district_weights(enum, shares)
    total = sum(weights.values())
    q = [weights.get(m, 0.0) / total for m in enum.__members__]
    return SameOrNew(key, label, entity, fact, base, p, low, high, q)


def _role_groups(table: dict):
    """[(mask, p)] of a {role: p, other: p} table (jiuye.batch.synth)."""
    named = [r for r in table if r != "other"]
    groups = [(lambda f, r=r: _role(f, r), table[r]) for r in named]
    groups.append((lambda f: ~_role(f, *named), table["other"]))
    return groups


def _age_value(frame):
    birth, given = frame.fact("person", "birth_date")
    days = (np.datetime64(frame.on, "D") - birth.astype("datetime64[D]")).astype(np.int64)
    return days / 365.25 - 0.5, given                # the generator adds 0–364 days to the age


FLAG_RANGES = {"wage_paid_monthly_in_full": (0.90, 0.99), "dibao": (0.015, 0.05), "hard_to_employ": (0.015, 0.06),
               "disabled": (0.008, 0.025), "veteran": (0.015, 0.05), "public_welfare_placed": (0.005, 0.02),
               "city_diverted_worker": (0.005, 0.02), "rural_labour": (0.04, 0.15), "flexibly_employed": (0.02, 0.08),
               "operating_normally": (0.85, 0.98)}
# the facts a flag's generator also changes (other generators read it)
FLAG_ALSO = {"flexibly_employed": ("receives_flexible_employment_si_subsidy",),
             "registered_unemployed": ("unemployment_registration_date", "receives_unemployment_insurance",
                                       "unemployment_registration_district")}
PLACEHOLDER_RANGES = {"bool": (0.03, 0.30), "date_given": (0.2, 0.8), "end_date_given": (0.03, 0.30),
                      "amount": (8_000, 50_000), "amount_given": (0.3, 0.9), "count": (4, 16), "int": (1.5, 6),
                      "rate": (0.3, 0.7),
                      "categories": 0.5, "districts": 0.3}
NAMED_RANGES = {"categories": 0.3, "age_shift": (-3.0, 3.0), "wage_multiple": (1.6, 2.0), "org_age": (4.0, 8.0),
                "rent": (200_000, 450_000)}


def named_assumptions(system, frame: Frame, home: str) -> list[Assumption]:
    """The distributions of the generators of jiuye.batch.synth, with their ranges."""
    S, C = synth, synth.CONDITIONAL
    lab = lambda name: _label(system, name)             # noqa: E731
    city = synth.city_of_district(home)
    out: list[Assumption] = [
        NormalMean("age", "年龄分布", "person", ("birth_date", "graduation_date", "contract_start_date"), _age_value,
                   [(lambda f: ~_role(f, "intern", "founder"), *S.AGE["other"][:2]),
                    (lambda f: _role(f, "founder"), *S.AGE["founder"][:2])], *NAMED_RANGES["age_shift"]),
        _district_categories(system, "hukou_district", f"{lab('hukou_district')}分布", "person", "hukou_district",
                             synth.district_shares(home, "person"), NAMED_RANGES["categories"],
                             ("hukou_district", "unemployment_registration_district")),
        _enum_categories(system, "education_level", f"{lab('education_level')}分布", "person", "education_level",
                         S.EDUCATION, NAMED_RANGES["categories"],
                         ("education_level", "graduation_date", "contract_start_date", "education_level_before_highest")),
        Categories("student_origin_city", f"{lab('student_origin_city')}分布", "person", ("student_origin_city",),
                   _enum_classes("person", "student_origin_city"),
                   [m.value for m in system.variables["student_origin_city"].possible_values],
                   synth.enum_probabilities(system.variables["student_origin_city"].possible_values,
                                            synth.city_weights(city, S.ORIGIN_SHARES)), NAMED_RANGES["categories"]),
        _enum_categories(system, "contract_type", f"{lab('contract_type')}（职工）分布", "person", "contract_type",
                         S.CONTRACT_TYPES, NAMED_RANGES["categories"], ("contract_type", "contract_term_months"),
                         mask=lambda f: _role(f, "employee")),
        Categories("contract_term_months", f"{lab('contract_term_months')}分布", "person", ("contract_term_months",),
                   _value_classes("person", "contract_term_months", list(S.CONTRACT_TERMS),
                                  mask=lambda f: frame_is(f, "contract_type", "fixed_term")),
                   [f"{m}个月" for m in S.CONTRACT_TERMS], list(S.CONTRACT_TERMS.values()), NAMED_RANGES["categories"]),
        Share("contract_ended_early", "劳动合同提前解除比例", "person", ("contract_termination_date",),
              lambda f: _given(f, "person", "contract_termination_date", synth.NEVER),
              [(lambda f: np.ones(f.n("person"), bool), C["contract_ended_early"])], 0.04, 0.15),
        _wage("wage_multiple", f"{lab('monthly_wage')}水平", "person", "monthly_wage",
              synth.minimum_wage(system, frame.on, city), lambda f: ~_role(f, "intern")),
        Share("wage_not_given", f"{lab('monthly_wage')}未填报比例", "person", ("monthly_wage",),
              lambda f: ~_given(f, "person", "monthly_wage"), [(lambda f: np.ones(f.n("person"), bool),
                                                                  C["wage_not_given"])], 0.01, 0.08),
        Share("registered_unemployed", f"{lab('registered_unemployed')}比例", "person",
              ("registered_unemployed",) + FLAG_ALSO["registered_unemployed"],
              lambda f: _bool(f, "person", "registered_unemployed"), _role_groups(S.REGISTERED_UNEMPLOYED), 0.5, 2.0),
        Share("registered_unemployed_at_hire", f"{lab('registered_unemployed_at_hire')}比例（职工、见习人员）", "person",
              ("registered_unemployed_at_hire", "unemployment_registration_date"),
              lambda f: _bool(f, "person", "registered_unemployed_at_hire"),
              [(lambda f: _role(f, "employee", "intern"), C["registered_unemployed_at_hire"])], 0.05, 0.20),
        Share("employed", f"{lab('employed')}比例", "person", ("employed",), lambda f: _bool(f, "person", "employed"),
              _role_groups(S.EMPLOYED), 0.9, 1.03),
        Share("social_insurance_paid", f"{lab('social_insurance_paid')}比例", "person", ("social_insurance_paid",),
              lambda f: _bool(f, "person", "social_insurance_paid"), _role_groups(S.SOCIAL_INSURANCE_PAID), 0.9, 1.05),
        Share("receives_unemployment_insurance", f"{lab('receives_unemployment_insurance')}比例（登记失业人员中）", "person",
              ("receives_unemployment_insurance",), lambda f: _bool(f, "person", "receives_unemployment_insurance"),
              [(lambda f: _bool(f, "person", "registered_unemployed"), C["receives_unemployment_insurance"])], 0.25, 0.6),
        Share("receives_flexible_employment_si_subsidy",
              f"{lab('receives_flexible_employment_si_subsidy')}比例（灵活就业人员中）", "person",
              ("receives_flexible_employment_si_subsidy",),
              lambda f: _bool(f, "person", "receives_flexible_employment_si_subsidy"),
              [(lambda f: _bool(f, "person", "flexibly_employed"), C["receives_flexible_employment_si_subsidy"])],
              0.15, 0.5),
        _enum_categories(system, "training_type", f"{lab('training_type')}分布", "person", "training_type",
                         S.TRAINING_TYPES, NAMED_RANGES["categories"],
                         ("training_type", "training_end_date", "training_fee", "entrepreneurship_certificate",
                          "completion_certificate")),
        Share("training_fee_given", f"{lab('training_fee')}有记录比例（参加培训者中）", "person", ("training_fee",),
              lambda f: _given(f, "person", "training_fee"),
              [(lambda f: ~frame_is(f, "training_type", "none"), C["training_fee_given"])], 0.5, 0.9),
        Share("entrepreneurship_certificate", f"{lab('entrepreneurship_certificate')}比例（创业培训者中）", "person",
              ("entrepreneurship_certificate",), lambda f: _bool(f, "person", "entrepreneurship_certificate"),
              [(lambda f: frame_is(f, "training_type", "entrepreneurship"), C["entrepreneurship_certificate"])],
              0.6, 0.95),
        Share("completion_certificate", f"{lab('completion_certificate')}比例（技能培训者中）", "person",
              ("completion_certificate",), lambda f: _bool(f, "person", "completion_certificate"),
              [(lambda f: frame_is(f, "training_type", "skills"), C["completion_certificate"])], 0.65, 0.95),
        _enum_categories(system, "skill_certificate_level", f"{lab('skill_certificate_level')}分布", "person",
                         "skill_certificate_level", S.SKILL_LEVELS, NAMED_RANGES["categories"],
                         ("skill_certificate_level", "skill_certificate_date")),
        Categories("internship_months", "就业见习期限分布", "person", ("internship_end_date",),
                   _internship_classes, [f"{m}个月" for m in S.INTERNSHIP_MONTHS], list(S.INTERNSHIP_MONTHS.values()),
                   NAMED_RANGES["categories"]),
        _same_or_new(system, "unemployment_registration_district", f"{lab('unemployment_registration_district')}与户籍所在区相同的比例",
                     "person", "unemployment_registration_district", "hukou_district", S.SAME_AS_HUKOU, 0.6, 0.95,
                     synth.district_shares(home, "person")),
        _enum_categories(system, "org_type", f"{lab('org_type')}分布", "organisation", "org_type", S.ORG_TYPES,
                         NAMED_RANGES["categories"], rest=0.01),
        _district_categories(system, "registration_district", f"{lab('registration_district')}分布", "organisation",
                             "registration_district", synth.district_shares(home, "organisation"),
                             NAMED_RANGES["categories"],
                             ("registration_district", "premises_district", "tax_district", "social_insurance_district")),
        ExponentialMean("registration_age", "单位成立年限分布（新设单位的多少）", "organisation", "registration_date",
                        S.ORG_AGE_MEAN_DAYS / 365, *NAMED_RANGES["org_age"]),
        LogNormalMedian("annual_rent", f"{lab('annual_rent')}水平", "organisation", "annual_rent", *S.ANNUAL_RENT,
                        *NAMED_RANGES["rent"]),
        Share("annual_rent_given", f"{lab('annual_rent')}有记录比例", "organisation", ("annual_rent",),
              lambda f: _given(f, "organisation", "annual_rent"),
              [(lambda f: np.ones(f.n("organisation"), bool), C["annual_rent_given"])], 0.4, 0.8),
    ]
    for name, p in list(S.PERSON_FLAGS.items()) + [(k, v) for k, v in S.ORG_FLAGS.items()]:
        entity = "person" if name in S.PERSON_FLAGS else "organisation"
        out.append(Share(name, f"{lab(name)}比例", entity, (name,) + FLAG_ALSO.get(name, ()),
                         lambda f, n=name, e=entity: _bool(f, e, n), [(lambda f, e=entity: np.ones(f.n(e), bool), p)],
                         *FLAG_RANGES[name]))
    for fact, p in S.SAME_DISTRICT.items():
        out.append(_same_or_new(system, fact, f"{lab(fact)}与注册地相同的比例", "organisation", fact,
                                "registration_district", p, 0.7, 0.97, synth.district_shares(home, "organisation")))
    return [a for a in out if a is not None]


def _wage(key, label, entity, fact, minimum_wage, mask, placeholder=False):
    return BetaMean(key, label, entity, fact, *NAMED_RANGES["wage_multiple"], mask, ab=synth.WAGE_MULTIPLE_BETA,
                    unit=minimum_wage, offset=1.0, width=2.0, param="平均为最低工资的倍数", placeholder=placeholder)


def frame_is(frame: Frame, name: str, member: str) -> np.ndarray:
    index = frame.enum_index("person", name)
    if index is None:
        return np.zeros(frame.n("person"), bool)
    return index == frame.system.variables[name].possible_values[member].index


def _internship_classes(frame):
    start, _ = frame.fact("person", "internship_start_date")
    end, _ = frame.fact("person", "internship_end_date")
    if start is None or end is None:
        return np.full(frame.n("person"), -1)
    months = ((end + np.timedelta64(1, "D")).astype("datetime64[M]").astype(np.int64)
              - start.astype("datetime64[M]").astype(np.int64))
    lookup = {m: i for i, m in enumerate(synth.INTERNSHIP_MONTHS)}
    cls = np.array([lookup.get(int(m), -1) for m in range(0, 13)])[np.clip(months, 0, 12)]
    return np.where(_role(frame, "intern") & (months >= 0) & (months <= 12), cls, -1)


def placeholder_assumptions(system, frame: Frame, home: str, names: list[str]) -> list[Assumption]:
    """A range for each placeholder distribution (docs/synthetic-population.md, "Placeholder distributions")."""
    G, R = synth.GENERIC, PLACEHOLDER_RANGES
    city = synth.city_of_district(home)
    out: list[Assumption] = []
    for name in names:
        variable = system.variables.get(name)
        if variable is None:
            continue
        entity, label, kind = variable.entity.key, _label(system, name), synth.generic_kind(name, variable)
        every = (lambda f, e=entity: np.ones(f.n(e), bool))
        key = f"placeholder:{name}"
        if kind == "bool":
            out.append(Share(key, f"{label}（占位：为“是”的比例）", entity, (name,), lambda f, n=name, e=entity: _bool(f, e, n),
                             [(every, G["bool"])], *R["bool"], placeholder=True))
        elif kind == "district":
            out.append(_district_categories(system, key, f"{label}（占位分布）", entity, name,
                                            synth.district_shares(home, entity), R["districts"], placeholder=True))
        elif kind == "city":
            enum = variable.possible_values
            out.append(Categories(key, f"{label}（占位分布）", entity, (name,), _enum_classes(entity, name),
                                  [m.value for m in enum],
                                  synth.enum_probabilities(enum, synth.city_weights(city, G["city"])), R["districts"],
                                  placeholder=True))
        elif kind == "enum":
            out.append(_enum_categories(system, key, f"{label}（占位分布）", entity, name,
                                        synth.generic_enum_weights(variable), R["categories"], placeholder=True))
        elif kind in ("date", "end_date"):
            p = G["end_date_given"] if kind == "end_date" else G["date_given"]
            default = np.datetime64(variable.default_value, "D")
            out.append(Share(key, f"{label}（占位：有日期的比例）", entity, (name,),
                             lambda f, n=name, e=entity, d=default: _given(f, e, n, d), [(every, p)],
                             *R[f"{kind}_given"], placeholder=True))
        elif kind == "wage":
            out.append(_wage(key, f"{label}（占位：工资水平）", entity, name, synth.minimum_wage(system, frame.on, city),
                             (lambda f: ~_role(f, "intern")) if entity == "person" else every, placeholder=True))
        elif kind == "rate":
            out.append(BetaMean(key, f"{label}（占位：比例水平）", entity, name, *R["rate"], every, ab=(1.0, 1.0),
                                placeholder=True))
        elif kind in ("cost", "amount"):
            out.append(LogNormalMedian(key, f"{label}（占位：金额水平）", entity, name, *G["amount"], *R["amount"],
                                       placeholder=True))
            if kind == "cost":
                out.append(Share(f"{key}:given", f"{label}（占位：有金额的比例）", entity, (name,),
                                 lambda f, n=name, e=entity: _given(f, e, n), [(every, G["amount_given"])],
                                 *R["amount_given"], placeholder=True))
        elif kind == "months":
            values = list(G["months"])
            out.append(Categories(key, f"{label}（占位分布）", entity, (name,), _value_classes(entity, name, values),
                                  [f"{v}个月" for v in values], [1.0] * len(values), R["categories"], placeholder=True))
        elif kind == "years":
            values = list(range(G["years"]))
            out.append(Categories(key, f"{label}（占位分布）", entity, (name,), _value_classes(entity, name, values),
                                  [f"{v}年" for v in values], [1.0] * len(values), R["categories"], placeholder=True))
        elif kind in ("count", "int"):
            out.append(PoissonMean(key, f"{label}（占位：平均数）", entity, name, G[kind], *R[kind]))
    return out


def assumptions_for(system, frame: Frame, home: str, generic_facts: list[str]) -> list[Assumption]:
    """Every assumed distribution of a synthetic population whose facts the population has."""
    out = []
    for a in named_assumptions(system, frame, home) + placeholder_assumptions(system, frame, home, generic_facts):
        if any(frame.fact(a.entity, f)[0] is not None for f in a.facts):
            out.append(a)
    return out
