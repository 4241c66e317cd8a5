"""Xicheng's service duties of clause 8 (实名制就业帮扶台账): 100%摸查回访 of 本区户籍离校未就业高校毕业生, and
一生一策 for those of 困难家庭 with 就业意愿. The duties themselves: duties.yaml."""

from jiuye.model.base import named
from jiuye.model.declared import declare

declare(globals(), "duties.facts.yaml")


def _unemployed_graduate(person, period, parameters):
    return (person("left_school_unemployed", period) & ~person("employed", period)
        & ~person("flexibly_employed", period))


named(globals())
