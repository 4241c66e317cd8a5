"""Beijing's service duties (实名制就业帮扶台账): 一人一档、一生一策 for 困难家庭高校毕业生 with 就业意愿
(clause 8) and the 零就业家庭 dynamic monitoring until cleared (clause 13). The duties: duties.yaml."""

from jiuye.model.base import assessment_day, condition, named
from jiuye.model.dates import age_in_years, as_days
from jiuye.model.entities import Person

beijing_duty_8_difficult_family_graduate = condition(
    Person, "本市困难家庭高校毕业生（离校未就业）", "beijing/8",
    lambda person, period, parameters: (person("difficult_family_member", period)
                                        & person("left_school_unemployed", period)
                                        & ~person("employed", period) & ~person("flexibly_employed", period)),
    doc="困难家庭成员，台账登记为离校未就业高校毕业生，评估时未就业。")

beijing_duty_8_willing = condition(
    Person, "有就业意愿", "beijing/8",
    lambda person, period, parameters: person("willing_to_work", period))

beijing_duty_13_zero_employment_family = condition(
    Person, "零就业家庭（家庭中法定劳动年龄内成员均未就业）", "beijing/13",
    lambda person, period, parameters: person("zero_employment_family", period),
    doc="台账按户判断：户内16周岁以上、未达法定退休年龄的成员均未就业（单位就业或灵活就业）。")

beijing_duty_13_not_employed = condition(
    Person, "本人未就业", "beijing/13",
    lambda person, period, parameters: ~person("employed", period) & ~person("flexibly_employed", period))



def _working_age(person, period, parameters):
    day = assessment_day(person, period)
    return (age_in_years(person("birth_date", period), day) >= 16) & \
        (as_days(person("statutory_retirement_date", period)) > day)


beijing_duty_13_working_age = condition(
    Person, "法定劳动年龄内（16周岁以上、未达法定退休年龄）", "beijing/13", _working_age,
    doc="评估之日已满16周岁，且尚未到法定退休日期。")

named(globals())
