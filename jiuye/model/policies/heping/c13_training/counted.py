"""heping/十三 claimed by stated numbers (issue 12, item 3): a recognised 创业培训机构 may give, for one
training it ran, how many trainees obtained the 结业证书 (创业培训: 500 each; 改善和扩大企业培训, trainees
who had already started a business: 1500 each), how many of the 创业培训 trainees started a business
within half a year (1000 each, 再给予), the dates, and declare that they qualify, instead of listing
each trainee (heping/十三/training_fee, /startup_success, /improvement, in rules.py):

    amount = 500 × a + 1500 × c (due on the training's end date) + 1000 × b (due on the stated day
             the last of them registered, within half a year of the end date)

The counts are of trainees *not* listed: listed ones are paid one by one, so nobody is paid twice.
"""

from jiuye.model.base import Installments, condition, installments, named, only_if
from jiuye.model.dates import add_months, as_days
from jiuye.model.counts import stated_counts
from jiuye.model.entities import Organisation

from ..common import at, heping_parameters

stated_counts(globals(), "heping/十三", given="按人数申报：取得结业证书的学员1人及以上", counts={
    "heping_13_count_certified": "按人数申报：参加创业培训并取得结业证书的学员人数（未逐人列出，不含改善和扩大企业培训）",
    "heping_13_count_started": "按人数申报：其中参加培训后半年内成功创业的学员人数（未逐人列出）",
    "heping_13_count_improvement": "按人数申报：已成功创业、参加改善和扩大企业培训并取得结业证书的学员人数（未逐人列出）"},
    given_by=("heping_13_count_certified", "heping_13_count_improvement"))


def _counts(org, period):
    return (org("heping_13_count_certified", period), org("heping_13_count_started", period),
            org("heping_13_count_improvement", period))


def _success_within_half_year(org, period, parameters):
    certified, started, _ = _counts(org, period)
    months = int(parameters(at(org, period)).heping.c13.success_months)
    ended = as_days(org("heping_13_count_end_date", period))
    success = as_days(org("heping_13_count_success_date", period))
    dated = (success > ended) & (success <= add_months(ended, months))
    return (started == 0) | ((started <= certified) & dated)


heping_13_count_success_in_time = condition(
    Organisation, "所报成功创业的学员不多于创业培训取得结业证书的学员，均在培训结束后半年内登记注册", "heping/十三",
    _success_within_half_year,
    doc="无人成功创业（人数0）时不需要日期；成功创业之日晚于培训结束日期，且不晚于其后6个月的对应日（含）。")


@installments("heping/十三/by_count")
def training_subsidies_by_count(org, period, parameters):
    p = heping_parameters(org, period).c13
    certified, started, improvement = _counts(org, period)
    fees = certified * float(p.training_fee) + improvement * float(p.improvement_fee)
    success = started * float(p.success_subsidy)
    return Installments.stack([(org("heping_13_count_end_date", period), fees),
                               (only_if(started > 0, org("heping_13_count_success_date", period)), success)])


named(globals())
