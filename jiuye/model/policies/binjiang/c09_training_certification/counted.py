"""binjiang/九 claimed by stated numbers of trainees (issue 12, item 3): a filed training provider may
give how many of its trainees of the listed groups obtained each kind of certificate, and declare
that they qualify, instead of listing each trainee (binjiang/九/level_certificate and
/special_certificate, in rules.py).

    amount = 500 × (初级工、中级工) + 1000 × (高级工 and above) + 300 × (专项能力证书 only)

Each trainee is counted once, under the highest certificate of the same training (附则: 从优、从高、
不重复). The counts are of trainees *not* listed as members: listed trainees are paid by the
per-person measures, so a provider that lists some and states the others is paid once for each.
"""

from datetime import date

from jiuye.model.base import NOT_GIVEN, Installments, condition, fact, installments, named
from jiuye.model.counts import stated_count
from jiuye.model.entities import Organisation

from ..common import dated, system_params

binjiang_9_count_certificate_date = fact(
    Organisation, date, "按人数申报：所报学员取得证书的日期（最后一人取证之日）", reference="binjiang/九",
    default=NOT_GIVEN)
binjiang_9_count_declared = fact(
    Organisation, bool, "机构声明：按人数申报的学员均属区内失业人员、灵活就业人员、本区户籍大学生、脱贫人口、转业复退军人、"
    "外省进城务工人员之一（按参加培训时认定），参加本机构组织的培训后取得证书，未在本情形中逐人列出，每人只按金额最高的一项计",
    reference="binjiang/九", doc="按人数申报时，学员条件以机构声明给出（申报时由人力社保部门按名单核实）。")


binjiang_9_count_junior = stated_count(
    "binjiang_9_count_junior", "按人数申报：取得初级工、中级工职业技能等级认定证书的学员人数（未逐人列出）", "binjiang/九")
binjiang_9_count_senior = stated_count(
    "binjiang_9_count_senior", "按人数申报：取得高级工及以上职业技能等级认定证书的学员人数（未逐人列出）", "binjiang/九")
binjiang_9_count_special = stated_count(
    "binjiang_9_count_special", "按人数申报：只取得专项能力证书的学员人数（未逐人列出）", "binjiang/九")

COUNTS = ("binjiang_9_count_junior", "binjiang_9_count_senior", "binjiang_9_count_special")

binjiang_9_count_given = condition(
    Organisation, "按人数申报：取得证书的学员1人及以上", "binjiang/九",
    lambda org, period, parameters: sum(org(name, period) for name in COUNTS) >= 1)
binjiang_9_count_certified = dated(
    Organisation, "取证日期在本意见施行之后、评估日或之前", "binjiang/九", "binjiang_9_count_certificate_date")


@installments("binjiang/九/certificates_by_count")
def counted_certificate_subsidy(org, period, parameters):
    p = system_params(org, period).c09.certificate_subsidy
    amount = (org("binjiang_9_count_junior", period) * p.junior_or_intermediate
              + org("binjiang_9_count_senior", period) * p.senior_or_above
              + org("binjiang_9_count_special", period) * p.special_skill)
    return Installments.stack([(org("binjiang_9_count_certificate_date", period), amount.astype(float))])


named(globals())
