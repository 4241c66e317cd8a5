"""Places: the districts of the cities the documents cover, and which city each belongs to."""

import numpy as np
from openfisca_core.indexed_enums import Enum


class City(Enum):
    unknown = "未知"
    beijing = "北京市"
    tianjin = "天津市"
    hangzhou = "杭州市"
    other = "其他城市"


class District(Enum):
    unknown = "未知"
    # Beijing
    dongcheng = "东城区"
    xicheng = "西城区"
    chaoyang = "朝阳区"
    fengtai = "丰台区"
    shijingshan = "石景山区"
    haidian = "海淀区"
    mentougou = "门头沟区"
    fangshan = "房山区"
    tongzhou = "通州区"
    shunyi = "顺义区"
    changping = "昌平区"
    daxing = "大兴区"
    huairou = "怀柔区"
    pinggu = "平谷区"
    miyun = "密云区"
    yanqing = "延庆区"
    # Tianjin
    heping = "和平区"
    hedong = "河东区"
    hexi = "河西区"
    nankai = "南开区"
    hebei = "河北区"
    hongqiao = "红桥区"
    dongli = "东丽区"
    xiqing = "西青区"
    jinnan = "津南区"
    beichen = "北辰区"
    wuqing = "武清区"
    baodi = "宝坻区"
    binhai = "滨海新区"
    ninghe = "宁河区"
    jinghai = "静海区"
    jizhou = "蓟州区"
    # Hangzhou
    shangcheng = "上城区"
    gongshu = "拱墅区"
    xihu = "西湖区"
    binjiang = "滨江区"
    xiaoshan = "萧山区"
    yuhang = "余杭区"
    linping = "临平区"
    qiantang = "钱塘区"
    fuyang = "富阳区"
    linan = "临安区"
    tonglu = "桐庐县"
    chunan = "淳安县"
    jiande = "建德市"
    other = "其他地区"


_BEIJING = ("dongcheng xicheng chaoyang fengtai shijingshan haidian mentougou fangshan tongzhou shunyi "
            "changping daxing huairou pinggu miyun yanqing").split()
_TIANJIN = ("heping hedong hexi nankai hebei hongqiao dongli xiqing jinnan beichen wuqing baodi binhai "
            "ninghe jinghai jizhou").split()
_HANGZHOU = "shangcheng gongshu xihu binjiang xiaoshan yuhang linping qiantang fuyang linan tonglu chunan jiande".split()

CITY_OF_DISTRICT = {
    **{d: City.beijing for d in _BEIJING},
    **{d: City.tianjin for d in _TIANJIN},
    **{d: City.hangzhou for d in _HANGZHOU},
    "other": City.other,
    "unknown": City.unknown,
}

# index of each district in District -> index of its city in City
_DISTRICT_NAMES = list(District.__members__)
_CITY_NAMES = list(City.__members__)
CITY_INDEX_OF_DISTRICT_INDEX = np.array(
    [_CITY_NAMES.index(CITY_OF_DISTRICT[name].name) for name in _DISTRICT_NAMES], dtype=np.int16)


def city_of(district_values):
    """Vectorised: EnumArray of districts -> EnumArray of cities (unknown where the district is)."""
    from openfisca_core.indexed_enums import EnumArray
    from ..partial import Partial, is_partial
    if is_partial(district_values):
        codes = CITY_INDEX_OF_DISTRICT_INDEX[district_values.lo]
        return Partial(codes, codes, district_values.known, district_values.why, City)
    return EnumArray(CITY_INDEX_OF_DISTRICT_INDEX[np.asarray(district_values)], City)
