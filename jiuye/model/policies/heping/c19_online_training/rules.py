"""heping （十九） 大力推进职业技能提升行动: 600 per employee trained online, to the enterprise.
"""

from jiuye.model.base import installments, named
from jiuye.model.declared import declare

from ..common import ENTERPRISES, one_off

declare(globals())


# =================================================================================================
# （十九） 线上职业技能培训补贴
# =================================================================================================


@installments("heping/十九/online_training")
def online_training_subsidy(person, period, parameters):
    return one_off(person("training_end_date", period), parameters.heping.c19.online_training_subsidy)


named(globals())
