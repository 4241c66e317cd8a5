"""（二）深化高质量就业社区建设 (binjiang/二): one-off reward for a newly recognised 高质量就业社区: national 100000, provincial
50000, city 40000, district 10000.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.entities import Organisation
from jiuye.model.declared import declare

from ..common import dated, system_params

declare(globals())


def _recognised(org, period, parameters):
    return org("binjiang_2_community_level", period) != RecognitionLevel.none

binjiang_2_newly_recognised = dated(
    Organisation, "新认定（认定日期在本意见施行之后、评估日或之前）", "binjiang/二", "binjiang_2_recognition_date",
    doc="“新认定”：认定日期在本意见施行之日或之后，且在评估日或之前。")


@installments("binjiang/二")
def quality_community_reward(org, period, parameters):
    p = system_params(org, period).c02.reward
    level = org("binjiang_2_community_level", period)
    amount = np.select([level == RecognitionLevel.national, level == RecognitionLevel.provincial,
                        level == RecognitionLevel.city, level == RecognitionLevel.district],
                       [p.national, p.provincial, p.city, p.district], 0.0)
    return Installments.stack([(org("binjiang_2_recognition_date", period), amount)])


named(globals())
