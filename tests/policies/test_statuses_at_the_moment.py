"""No measure reads today's yes/no status for a status its text judges at an earlier event (issue 9,
item 2). The shared yes/no facts (and where the unemployment registration is) say what holds on the
assessment day; a measure whose legal moment is an event (a hire, an internship start, a training, a
founding, an expiry …) reads a fact asked at that moment (registered_unemployed_at_hire,
hard_to_employ_at_hire, dibao_at_hire, rural_labour_at_hire, rural_labour_at_training, the clauses' own
…). The exceptions are statuses the text requires to last, each with the words that say so.

The audit (test_every_status_read_at_an_event_is_accounted_for) goes further: every yes/no or enum fact
of a person or unit that an event-dated measure reads is asked at the moment, watched here, the hukou
(its own guard), the education (its own guard: test_event_measures_read_the_education_at_their_moment), or
listed in status_moments.yaml with why today's value is the one the text asks for (kind todo: not yet read
at its moment, with what is missing)."""

import re
from pathlib import Path

import pytest
import yaml

from jiuye.assess.dependencies import dependencies

TODAY = {"registered_unemployed", "employed", "flexibly_employed", "hard_to_employ", "dibao",
         "receives_unemployment_insurance",
         # the family situations (heping 附件2/1 特殊就业困难人员 …): a hire often ends 零就业 or 低保
         "zero_employment_family", "single_parent_family", "dibao_family", "supports_seriously_ill_relative",
         # 农村劳动力 (a hire, a training or a founding can end it: settling in town, a job in a city) and
         # where the unemployment registration is today (a registration is cancelled by the job, or moved)
         "rural_labour", "unemployment_registration_district",
         # 脱贫人口 (binjiang/四 at the hire, binjiang/九 at the training's start): no today's fact is left;
         # the name stays watched so that bringing it back for an event-dated measure fails here
         "binjiang_lifted_from_poverty",
         # 社会公益性就业组织安置人员、本市分流职工 (xicheng/6 at the signing: a hire ends the placement)
         "public_welfare_placed", "city_diverted_worker",
         # retired: read at each measure's moment (bringing one back for an event-dated measure fails here)
         "heping_poor_village_labour", "heping_registered_poor_labour", "binjiang_migrant_worker",
         "heping_20_other_key_group", "heping_20_rural_school_leaver"}
# watched names that are no longer facts of the model (test_every_watched_status_is_a_fact)
RETIRED = {"binjiang_lifted_from_poverty": "脱贫人口: read at each measure's moment (binjiang_4_paired_poverty_at_hire, "
                                          "binjiang_lifted_from_poverty_at_training_start)",
           "heping_poor_village_labour": "困难村劳动力: heping_poor_village_labour_at_hire (十), "
                                         "heping_14_poor_village_labour_at_founding, heping_20_poor_village_labour_at_training",
           "heping_registered_poor_labour": "建档立卡贫困劳动力: heping_registered_poor_labour_at_hire (十)",
           "binjiang_migrant_worker": "外省进城务工人员: binjiang_migrant_worker_at_training_start (九)",
           "heping_20_other_key_group": "heping_20_other_key_group_at_training (二十: 等重点群体 at the training)",
           "heping_20_rural_school_leaver": "heping_20_rural_school_leaver_at_training (二十: 农村未继续升学初高中毕业生)"}

# measure -> {fact: why today's value is the one the text asks for}
LASTING = {
    "beijing/4": {"flexibly_employed": "每月仍须处于灵活就业状态（灵活就业社会保险补贴按月）"},
    "beijing/5/flexible": {"flexibly_employed": "灵活就业社会保险补贴按月：每月仍须灵活就业"},
    "beijing/12/flexible": {"flexibly_employed": "实现灵活就业的…享受灵活就业社会保险补贴：按月，每月仍须灵活就业"},
    "haidian/三是/flexible": {"flexibly_employed": "灵活就业社会保险补贴按月：每月仍须灵活就业"},
    "heping/一/education": {"employed": "在职职工按申请之日：按单位职工申领（记录的解读）"},
    "heping/一/title": {"employed": "同上"},
    "heping/一/skill": {"employed": "同上"},
    "heping/十一/graduate": {"flexibly_employed": "灵活就业社会保险补贴按月：每月仍须灵活就业"},
    "heping/十一/hard_to_employ": {"flexibly_employed": "同上"},
    "heping/十一/renewal": {"flexibly_employed": "同上"},
    "xicheng/9": {"receives_unemployment_insurance": "在享受见习生活补贴期间，不得同时享受失业保险金"},
    "xicheng/18/flexible_subsidy": {"flexibly_employed": "培训后的结果：实现灵活就业"},
    "xicheng/18/provider_fee_skills": {"flexibly_employed": "培训后的结果：实现灵活就业"},
    "xicheng/18/partial": {"flexibly_employed": "培训后的结果：未实现灵活就业", "employed": "培训后的结果"},
    "xicheng/18/partial_fee": {"flexibly_employed": "培训后的结果：未实现灵活就业", "employed": "培训后的结果"},
}


def _inputs(system, deps, name, seen):
    out = set()
    for child in deps.variables.get(name, ()):
        if child in seen:
            continue
        seen.add(child)
        out |= {child} if not system.variables[child].formulas else _inputs(system, deps, child, seen)
    return out


def _event_measures(catalogue):
    return [m for m in catalogue.measures.values()
            if m.executable and m.variable and (m.moment or {}).get("fact")]


def test_event_measures_read_statuses_at_their_moment(system, catalogue):
    deps = dependencies(system)
    wrong = {}
    for measure in _event_measures(catalogue):
        read = _inputs(system, deps, f"{measure.variable}__eligible", set()) & TODAY
        extra = read - set(LASTING.get(measure.id, {}))
        if extra:
            wrong[measure.id] = sorted(extra)
    assert not wrong, f"today's status read for a status judged at the moment: {wrong}"


def test_every_watched_status_is_a_fact(system):
    """A watched name that is not a fact of the model (renamed, mistyped) would silently watch nothing."""
    missing = {name for name in TODAY if name not in system.variables} - set(RETIRED)
    assert not missing, f"not facts of the model: {sorted(missing)}"
    assert not set(RETIRED) & set(system.variables), "a retired name is a fact again: watch it as a fact"


@pytest.mark.parametrize("measure_id", sorted(LASTING))
def test_every_exception_is_still_needed(system, catalogue, measure_id):
    """An exception no longer read is removed (the list says what the measures do)."""
    measure = catalogue.measure(measure_id)
    read = _inputs(system, dependencies(system), f"{measure.variable}__eligible", set())
    assert set(LASTING[measure_id]) <= read


HUKOU = {"hukou_district", "hukou_city"}

# measure -> why today's hukou is the one its text asks for
HUKOU_TODAY: dict = {
    "heping/二十八/income_disregard": "核定家庭收入时每月扣减600元：家庭收入由户籍所在区核定，扣减由核定时的户籍所在区作出",
}


def test_event_measures_read_the_hukou_at_their_moment(system, catalogue):
    """本区户籍 / 本市户籍 judged at an event is read through facts.person.hukou_at, which reads the
    moved-in date (issue 9 item 2: statuses — hukou among them — at the moment)."""
    deps = dependencies(system)
    wrong = []
    for measure in _event_measures(catalogue):
        read = _inputs(system, deps, f"{measure.variable}__eligible", set())
        if read & HUKOU and "hukou_moved_in_date" not in read and measure.id not in HUKOU_TODAY:
            wrong.append(measure.id)
    assert not wrong, f"today's hukou read for a status judged at the moment: {sorted(wrong)}"


@pytest.mark.parametrize("measure_id", sorted(HUKOU_TODAY))
def test_every_hukou_exception_is_still_needed(system, catalogue, measure_id):
    """A measure listed as reading today's hukou does read it, and not through hukou_at."""
    measure = catalogue.measure(measure_id)
    read = _inputs(system, dependencies(system), f"{measure.variable}__eligible", set())
    assert read & HUKOU and "hukou_moved_in_date" not in read


EDUCATION = {"education_level", "education_level_before_highest"}

# formula variable -> why it may read today's highest education (education_level) without the level
# before it: the formula itself requires the highest education obtained by the measure's moment
EDUCATION_OBTAINED = {
    "binjiang_7_unemployed_graduate": "离校2年未就业高校毕业生：同一公式要求毕业日期不晚于参加服务或培训之日（毕业2年内），"
                                      "其时所持即今日的最高学历",
}


def _closure(system, deps, name, seen):
    for child in deps.variables.get(name, ()):
        if child not in seen:
            seen.add(child)
            if system.variables[child].formulas:
                _closure(system, deps, child, seen)
    return seen


def _education_readers(system, deps, measure) -> set:
    """The formulas in an event-dated measure's conditions that read education_level themselves."""
    return {name for name in _closure(system, deps, f"{measure.variable}__eligible", set())
            if system.variables[name].formulas and "education_level" in deps.variables.get(name, ())}


def test_event_measures_read_the_education_at_their_moment(system, catalogue):
    """高校毕业生 / 中专毕业生 … judged at an event is read through facts.person.education_held_at (or
    education_on_moment): every formula of an event-dated measure that reads the highest education also
    reads the day it was obtained and the level held before it (issue 9 item 2: a degree obtained only
    after the hire, the internship or the training does not count)."""
    deps = dependencies(system)
    wrong = {}
    for measure in _event_measures(catalogue):
        for name in _education_readers(system, deps, measure) - set(EDUCATION_OBTAINED):
            read = deps.variables[name]
            if not {"graduation_date", "education_level_before_highest"} <= set(read):
                wrong.setdefault(measure.id, []).append(name)
    assert not wrong, f"today's highest education read for a status judged at the moment: {wrong}"


@pytest.mark.parametrize("name", sorted(EDUCATION_OBTAINED))
def test_every_education_exception_is_still_needed(system, catalogue, name):
    """A formula listed as reading the highest education with its own graduation test still does, for an
    event-dated measure, and reads graduation_date."""
    deps = dependencies(system)
    readers = set().union(*(_education_readers(system, deps, m) for m in _event_measures(catalogue)))
    assert name in readers and "graduation_date" in deps.variables[name]


# -- the audit: every status an event-dated measure reads --------------------------------------------------
AUDIT = yaml.safe_load((Path(__file__).with_name("status_moments.yaml")).read_text(encoding="utf-8"))["fact_kinds"]
KINDS = {"moment", "event", "continuing", "fixed", "unit", "delegated", "declared", "history", "todo"}
AT_THE_MOMENT = re.compile(r"_(at|on|when|before)_")        # …_at_hire, …_on_allowance_day, …_before_hire
MOMENT_WORDS = ("时", "之日", "前", "期间")
HUKOU_FACTS = HUKOU | {"previous_hukou_district"}            # test_event_measures_read_the_hukou_at_their_moment


def _is_status(variable) -> bool:
    """A yes/no or enum fact of a person or a unit (not a date, an amount, a count or an identity)."""
    return variable.entity.key in ("person", "organisation") and (
        variable.value_type is bool or variable.value_type.__name__ == "Enum")


def _statuses_read(system, catalogue) -> dict:
    """fact -> the event-dated measures reading it, for the statuses the other guards do not cover."""
    deps = dependencies(system)
    out: dict = {}
    for measure in _event_measures(catalogue):
        for name in _inputs(system, deps, f"{measure.variable}__eligible", set()):
            if not _is_status(system.variables[name]) or AT_THE_MOMENT.search(name) \
                    or name in TODAY or name in HUKOU_FACTS or name in EDUCATION:
                continue
            out.setdefault(name, []).append(measure.id)
    return out


def test_every_status_read_at_an_event_is_accounted_for(system, catalogue):
    """Each status an event-dated measure reads is asked at the moment (named so), watched above, the hukou,
    or listed in status_moments.yaml with its kind and words."""
    unlisted = {name: sorted(ids) for name, ids in _statuses_read(system, catalogue).items() if name not in AUDIT}
    assert not unlisted, f"statuses read at an event without a moment or a listed reason: {unlisted}"


def test_every_audit_entry_is_read_and_explained(system, catalogue):
    """No stale entry (a fact no event-dated measure reads any more, or renamed), each with a known kind and
    words; a `moment` entry's label or doc names its moment."""
    read = _statuses_read(system, catalogue)
    assert not set(AUDIT) - set(read), f"listed but not read at an event: {sorted(set(AUDIT) - set(read))}"
    for name, (kind, why) in AUDIT.items():
        assert kind in KINDS and why.strip(), name
        if kind == "moment":
            variable = system.variables[name]
            text = f"{variable.label} {variable.documentation or ''}"
            assert any(word in text for word in MOMENT_WORDS), f"{name}: label/doc names no moment"


def test_audit_todos(system, catalogue):
    """The statuses still read on the assessment day though the text judges them at the event: listed, with
    what is missing (issue 9 item 2). Changing this list means handling one (or finding one)."""
    todo = {name for name, (kind, _) in AUDIT.items() if kind == "todo"}
    assert todo == set()
