"""Xicheng's service duties of clause 8 (实名制就业帮扶台账): 100%摸查回访 of 本区户籍离校未就业高校毕业生, and
一生一策 for those of 困难家庭 with 就业意愿. The duties themselves: duties.yaml."""

from jiuye.model.base import condition, named
from jiuye.model.entities import Person
from jiuye.model.facts.places import District

xicheng_duty_8_hukou = condition(
    Person, "本区户籍", "xicheng/8",
    lambda person, period, parameters: person("hukou_district", period) == District.xicheng,
    doc="户籍在西城区。")

xicheng_duty_8_unemployed_graduate = condition(
    Person, "离校未就业高校毕业生", "xicheng/8",
    lambda person, period, parameters: (person("left_school_unemployed", period) & ~person("employed", period)
                                        & ~person("flexibly_employed", period)),
    doc="台账登记为离校未就业高校毕业生，且评估时既未在用人单位就业，也未灵活就业。")

xicheng_duty_8_willing = condition(
    Person, "有就业意愿", "xicheng/8",
    lambda person, period, parameters: person("willing_to_work", period))

xicheng_duty_8_difficult_family = condition(
    Person, "困难家庭", "xicheng/8",
    lambda person, period, parameters: person("difficult_family_member", period),
    doc="原文未定义困难家庭；台账按低保、低收入、零就业等困难家庭登记。")

named(globals())
