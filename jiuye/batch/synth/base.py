"""Districts and cities, small vectorised helpers and the generation context of the synthetic
population (jiuye.batch.synth)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from ..population import ROLE_KEYS


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
