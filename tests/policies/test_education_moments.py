"""The education at the legal moment (issue 9 item 2): 高校毕业生（大专及以上学历）/ 中专毕业生 … judged at a hire,
an internship start or a training is the education held that day (facts.person.education_held_at), not
today's highest education. The highest education (education_level) counts from its graduation_date (that
day included); obtained later, the person then held the level before it (education_level_before_highest),
asked only where it decides: never when today's level is not one the text names and none of them can
come before it, nor when the highest was obtained by the moment. Three documents, both ways, on the day
and the day after."""

import pytest

from ..conftest import load_example
from .helpers import node
from .test_heping_moments import missing
from .test_xicheng_moments import result

ASKED = {"graduation_date", "education_level_before_highest"}


# -- xicheng/6 “用人单位与本区户籍的…应届高校毕业生…签订…劳动合同”: at the signing (2024-03-15) ---------------
def xicheng_hire(**facts) -> dict:
    """zhang_san, hired 2024-03-15 by xicheng_company, not registered unemployed then: only 应届高校毕业生
    can qualify him."""
    situation = load_example("xicheng/6")
    situation["persons"]["zhang_san"].update({"registered_unemployed_at_hire": False, **facts})
    return situation


XICHENG = (("xicheng/6/employer", "xicheng_company"), ("xicheng/6/person", "zhang_san"))


@pytest.mark.parametrize("facts, held, status", [
    ({"education_level": "bachelor", "graduation_date": "2024-03-15"}, True, "eligible"),       # graduated on the day
    ({"education_level": "bachelor", "graduation_date": "2024-03-16",                           # the day after: 高中 then
      "education_level_before_highest": "high_school"}, False, "ineligible"),
    ({"education_level": "master", "graduation_date": "2024-06-30",                             # a 硕士 after the hire,
      "education_level_before_highest": "bachelor"}, True, "eligible"),                         # a 本科 graduate then
])
def test_xicheng_6_graduate_is_judged_at_the_signing(facts, held, status):
    for on in ("2025-03-14", "2026-11-23"):
        for measure, beneficiary in XICHENG:
            found = result(xicheng_hire(**facts), on, measure, beneficiary)
            assert node(found["conditions"], "xicheng_6_higher_education")["result"] is held
            assert found["status"] == status
            assert not missing(found) & ASKED


def test_xicheng_6_level_before_asked_only_where_it_decides():
    # a 本科 obtained after the hire: a 大专 graduate then would qualify, a 高中 graduate not — asked
    found = result(xicheng_hire(education_level="bachelor", graduation_date="2024-03-16"), "2026-11-23",
                   *XICHENG[0])
    assert found["status"] == "undetermined"
    assert missing(found) == {"education_level_before_highest"}
    # a 大专 obtained after the hire: nothing below 大专 is 大专及以上 — ineligible without asking
    found = result(xicheng_hire(education_level="college", graduation_date="2024-03-16"), "2026-11-23",
                   *XICHENG[0])
    assert found["status"] == "ineligible"
    assert not missing(found) & ASKED
    # the graduation date not given: asked (the level before too, in case it came after the hire)
    found = result(xicheng_hire(education_level="master"), "2026-11-23", *XICHENG[0])
    assert found["status"] == "undetermined"
    assert "graduation_date" in missing(found)


@pytest.mark.parametrize("level", ["high_school", "secondary_vocational", "below_secondary", "unknown"])
def test_xicheng_6_a_level_not_higher_is_decided_without_any_date(level):
    """Soundness: education never decreases, so today's level below 大专 settles 高校毕业生 at the hire as no —
    neither the graduation date nor the level before is asked."""
    situation = xicheng_hire(education_level=level)
    situation["persons"]["zhang_san"].pop("graduation_date", None)
    for measure, beneficiary in XICHENG:
        found = result(situation, "2026-11-23", measure, beneficiary)
        assert node(found["conditions"], "xicheng_6_higher_education")["result"] is False
        assert found["status"] == "ineligible"
        assert not missing(found) & ASKED
    # the example itself (高中, registered unemployed when hired) stays eligible without a graduation date
    plain = load_example("xicheng/6")
    assert "graduation_date" not in plain["persons"]["zhang_san"]
    assert result(plain, "2026-11-23", *XICHENG[0])["status"] == "eligible"


# -- heping/二十 “高校毕业生…等重点群体参加职业技能培训”: at the training (its end, 2022-09-15) --------------------
def heping_trainee(**facts) -> dict:
    person = {"hukou_district": "heping", "training_type": "skills", "training_end_date": "2022-09-15",
              "heping_20_poor_village_labour_at_training": False, **facts}
    return {"persons": {"trainee": person}}


def heping_result(situation):
    return result(situation, "2022-09-30", "heping/二十/key_groups", "trainee")


@pytest.mark.parametrize("facts, held", [
    ({"graduation_date": "2022-09-15"}, True),                                                  # on the day
    ({"graduation_date": "2022-09-16", "education_level_before_highest": "high_school"}, False),  # the day after
    ({"graduation_date": "2022-09-16", "education_level_before_highest": "college"}, True),     # 大专 before 本科
])
def test_heping_20_graduate_is_judged_at_the_training(facts, held):
    found = heping_result(heping_trainee(education_level="bachelor", **facts))
    assert node(found["conditions"], "heping_20_graduate")["result"] is held
    assert not missing(found) & ASKED
    if held:
        assert found["status"] == "eligible"
    else:       # the other groups (退役军人, 农村劳动力 …) not given: still open, but not through the education
        assert found["status"] == "undetermined"


def test_heping_20_a_level_not_higher_is_decided_without_any_date():
    found = heping_result(heping_trainee(education_level="high_school"))
    assert node(found["conditions"], "heping_20_graduate")["result"] is False
    assert not missing(found) & ASKED
    found = heping_result(heping_trainee(education_level="bachelor"))       # no graduation date: asked
    assert node(found["conditions"], "heping_20_graduate")["result"] is None
    assert "graduation_date" in missing(found)


# -- beijing/5/internship “鼓励高校毕业生参加就业见习”: at the internship start (2022-07-15) -----------------------
def beijing_intern(graduated: str, **facts) -> dict:
    situation = load_example("beijing_5_flexible_graduate.json")
    situation["persons"]["zhou_jie"].update({"graduation_date": graduated, **facts})
    return situation


@pytest.mark.parametrize("graduated, facts, held, status", [
    ("2022-07-15", {}, True, "eligible"),                   # 大专 obtained on the internship start
    ("2022-07-16", {}, False, "ineligible"),                # the day after: no level below 大专 qualifies, none asked
    ("2022-07-16", {"education_level": "bachelor", "education_level_before_highest": "college"}, True, "eligible"),
])
def test_beijing_5_internship_graduate_is_judged_at_the_start(graduated, facts, held, status):
    for on in ("2022-07-15", "2022-09-30"):
        found = result(beijing_intern(graduated, **facts), on, "beijing/5/internship", "zhou_jie")
        assert node(found["conditions"], "beijing_5_higher_education_at_internship")["result"] is held
        assert found["status"] == status
        assert not missing(found) & ASKED


# -- heping 附件2/2 重点创业人群 (heping/十四): at the founding (registration 2023-05-10) ------------------------
@pytest.mark.parametrize("graduated, before, held", [("2023-05-10", None, True),
                                                     ("2023-05-11", "high_school", False),
                                                     ("2023-05-11", "bachelor", True)])
def test_heping_priority_founder_graduate_is_judged_at_the_founding(graduated, before, held):
    situation = load_example("heping/十四")
    person = situation["persons"]["wu_hao"]
    person.update({"education_level": "master", "graduation_date": graduated})
    if before:
        person["education_level_before_highest"] = before
    found = result(situation, "2024-06-30", "heping/十四/si_subsidy", "heping_design_studio")
    assert node(found["conditions"], "heping_fj2_higher_education")["result"] is held
    assert not missing(found) & {"education_level_before_highest"}


# -- soundness of facts.person.education_held_at, every case ---------------------------------------------------
LEVELS = ["unknown", "below_secondary", "high_school", "secondary_vocational", "technical_school", "college", "bachelor",
          "master", "doctor"]
STAGE = {"unknown": 0, "below_secondary": 1, "high_school": 2, "secondary_vocational": 2, "technical_school": 2,
         "college": 3, "bachelor": 4, "master": 5, "doctor": 6}
DAYS = ["2022-09-14", "2022-09-15", "2022-09-16"]          # graduated before, on, after the training's end
FACTS = ("education_level", "education_level_before_highest", "graduation_date")


# condition, its measure, the fact its moment reads, which levels it names
CONDITIONS = [("heping_20_graduate", "heping/二十/key_groups", "training_end_date", {"college", "bachelor", "master", "doctor"}),
              ("xicheng_9_secondary_vocational_graduate", "xicheng/9", "internship_start_date", {"secondary_vocational"})]


def _evaluate(condition: tuple, rows: list[dict]) -> list:
    """The condition of each row, its moment 2022-09-15: True, False or None (undetermined)."""
    import datetime as dt
    from jiuye.assess.evaluation import Evaluation
    from jiuye.explain import _prepare
    from jiuye.model.partial import is_partial, known_mask, lo_of
    from jiuye.model.system import get_system
    variable, measure, moment, _ = condition
    situation = {"persons": {f"p{i}": {"training_type": "skills", moment: "2022-09-15", **row}
                             for i, row in enumerate(rows)}}
    system = get_system()
    _, on, _, _, population = _prepare(situation, dt.date(2022, 9, 30), [measure], system, None)
    value = Evaluation(population, on, system).value(variable)
    order = {ident: i for i, ident in enumerate(population.person_ids)}
    known = known_mask(value) if is_partial(value) else [True] * len(rows)
    values = lo_of(value) if is_partial(value) else value
    return [bool(values[order[f"p{i}"]]) if known[order[f"p{i}"]] else None for i in range(len(rows))]


@pytest.mark.parametrize("condition", CONDITIONS, ids=[c[0] for c in CONDITIONS])
def test_education_held_at_is_sound_and_follows_the_reading(condition):
    """Every highest level × level before × graduation day (before, on, after the moment): with all three
    given, the reading (held then: the highest from its graduation day, else the level before, which is a
    lower one; 初中及以下 throughout); with any of them removed, a decided value is the one every completion
    gives, and it is undetermined only where completions differ."""
    named = condition[3]
    full = [dict(zip(FACTS, case)) for case in
            [(level, before, day) for level in LEVELS for before in LEVELS for day in DAYS]]
    values = dict(zip([tuple(row.values()) for row in full], _evaluate(condition, full)))
    for (level, before, day), value in values.items():
        if day <= "2022-09-15" or level == "below_secondary":
            assert value is (level in named), (level, before, day)
        elif STAGE[before] < STAGE[level]:                # a consistent level before
            assert value is (before in named), (level, before, day)
    reduced, expected = [], []
    for removed in ({0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}):
        seen = set()
        for case in values:
            kept = tuple(None if i in removed else v for i, v in enumerate(case))
            if kept in seen:
                continue
            seen.add(kept)
            completions = {v for c, v in values.items() if all(k is None or k == x for k, x in zip(kept, c))}
            reduced.append({name: v for name, v in zip(FACTS, kept) if v is not None})
            expected.append(completions.pop() if len(completions) == 1 else None)
    got = _evaluate(condition, reduced)
    assert [(row, want, have) for row, want, have in zip(reduced, expected, got) if want != have] == []
