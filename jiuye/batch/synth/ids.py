"""身份证号 and 统一社会信用代码 for a synthetic population, and the population in the roster format."""

from __future__ import annotations


import numpy as np

from ..population import Population


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
    from ...ids import id_check_chars
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
    from ...ids import USCC_CHARS, uscc_check_chars
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
        from ...ids import birth_and_sex_from_ids
        _, sex = birth_and_sex_from_ids(person_ids.astype(str))
        facts["sex"] = sex.astype(np.int16)
    return _dc.replace(population, person_ids=person_ids, org_ids=org_ids, person_facts=facts)
