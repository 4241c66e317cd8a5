"""（二）深化高质量就业社区建设 (binjiang/二): one-off reward for a newly recognised 高质量就业社区: national 100000, provincial
50000, city 40000, district 10000.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.entities import Organisation

from ..common import NOT_GIVEN, dated, system_params


class RecognitionLevel(Enum):
    none = "无"
    national = "国家级"
    provincial = "省级"
    city = "市级"
    district = "区级"


binjiang_2_community_level = fact(
    Organisation, Enum, "新认定的高质量就业社区级别", possible_values=RecognitionLevel, reference="binjiang/二")
binjiang_2_recognition_date = fact(
    Organisation, date, "高质量就业社区认定日期", default=NOT_GIVEN, reference="binjiang/二")


binjiang_2_recognised = condition(
    Organisation, "认定为国家级、省级、市级或区级高质量就业社区", "binjiang/二",
    lambda org, period, parameters: org("binjiang_2_community_level", period) != RecognitionLevel.none)

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
