"""No measure reads today's yes/no status for a status its text judges at an earlier event (issue 9,
item 2). The shared yes/no facts (and where the unemployment registration is) say what holds on the
assessment day; a measure whose legal moment is an event (a hire, an internship start, a training, a
founding, an expiry …) reads a fact asked at that moment (registered_unemployed_at_hire,
hard_to_employ_at_hire, dibao_at_hire, rural_labour_at_hire, rural_labour_at_training, the clauses' own
…). The exceptions are statuses the text requires to last, each with the words that say so."""

import pytest

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
         "binjiang_lifted_from_poverty"}
# watched names that are no longer facts of the model (test_every_watched_status_is_a_fact)
RETIRED = {"binjiang_lifted_from_poverty": "脱贫人口: read at each measure's moment (binjiang_4_paired_poverty_at_hire, "
                                          "binjiang_lifted_from_poverty_at_training_start)"}

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
