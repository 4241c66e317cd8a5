"""binjiang/九 claimed by stated numbers of trainees (issue 12, item 3): a filed training provider may
give how many of its trainees of the listed groups obtained each kind of certificate, and declare
that they qualify, instead of listing each trainee (binjiang/九/level_certificate and
/special_certificate, in rules.py).

    amount = 500 × (初级工、中级工) + 1000 × (高级工 and above) + 300 × (专项能力证书 only)

Each trainee is counted once, under the highest certificate of the same training (附则: 从优、从高、
不重复). The counts are of trainees *not* listed as members: listed trainees are paid by the
per-person measures, so a provider that lists some and states the others is paid once for each.
"""

from jiuye.model.base import Installments, installments, named
from jiuye.model.counts import stated_counts
from jiuye.model.entities import Organisation

from ..common import dated, system_params

stated_counts(globals(), "binjiang/九", given="按人数申报：取得证书的学员1人及以上", counts={
    "binjiang_9_count_junior": "按人数申报：取得初级工、中级工职业技能等级认定证书的学员人数（未逐人列出）",
    "binjiang_9_count_senior": "按人数申报：取得高级工及以上职业技能等级认定证书的学员人数（未逐人列出）",
    "binjiang_9_count_special": "按人数申报：只取得专项能力证书的学员人数（未逐人列出）"})

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
