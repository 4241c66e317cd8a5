"""Identity numbers: 居民身份证号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

Validation says what is wrong in Chinese and English; masking keeps the region code and the last
four characters of a person's number (``110101********1234``) for lists and logs.
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import InvalidInput

# -- 居民身份证号码 -------------------------------------------------------------------------------
# Province-level codes of GB/T 2260 (first two digits) plus 71 台湾, 81 香港, 82 澳门 and 83 for
# the numbers of 台湾居民居住证 (83 0000), which follow the same structure.
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
}
ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]    # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
ID_CHECK = "10X98765432"                                # ISO 7064 MOD 11-2 check character
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def validate_id_number(value: str, field: str = "id_number", today: dt.date | None = None) -> str:
    """The normalised number (upper-case X), or InvalidInput naming ``field``."""
    if not isinstance(value, str):
        raise InvalidInput(field, "身份证号码应为字符串 expected a string")
    number = value.strip().upper()
    if len(number) != 18:
        raise InvalidInput(field, f"身份证号码应为18位 must have 18 characters, got {len(number)}")
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise InvalidInput(field, "身份证号码前17位应为数字，末位为数字或X the first 17 characters must be digits, the last a digit or X")
    if number[:2] not in PROVINCES or number[2:6] == "0000" and number[:2] not in ("71", "81", "82", "83"):
        raise InvalidInput(field, f"行政区划代码{number[:6]}不存在 implausible region code {number[:6]}")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidInput(field, f"出生日期{number[6:14]}不是有效日期 impossible birth date {number[6:14]}") from None
    if not EARLIEST_BIRTH <= birth <= (today or dt.date.today()):
        raise InvalidInput(field, f"出生日期{birth.isoformat()}不合理 implausible birth date {birth.isoformat()}")
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise InvalidInput(field, f"身份证号码校验码错误（应为{expected}） wrong check character (expected {expected})")
    return number


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """A valid number for demos and tests: region code (6 digits), birth date, a 3-digit sequence."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_check_char(first17)


# -- 统一社会信用代码 ------------------------------------------------------------------------------
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"          # 31 characters: no I O S V Z
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
USCC_WEIGHTS = [3 ** i % 31 for i in range(17)]        # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
USCC_DEPARTMENTS = set("123456789ANY")                 # 登记管理部门代码 (GB 32100-2015 表1)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(value: str, field: str = "uscc") -> str:
    if not isinstance(value, str):
        raise InvalidInput(field, "统一社会信用代码应为字符串 expected a string")
    code = value.strip().upper()
    if len(code) != 18:
        raise InvalidInput(field, f"统一社会信用代码应为18位 must have 18 characters, got {len(code)}")
    bad = sorted({c for c in code if c not in USCC_VALUE})
    if bad:
        raise InvalidInput(field, f"统一社会信用代码含非法字符{''.join(bad)}（不使用I、O、S、V、Z） invalid characters {''.join(bad)}")
    if code[0] not in USCC_DEPARTMENTS:
        raise InvalidInput(field, f"登记管理部门代码{code[0]}无效 invalid registration department code {code[0]}")
    if not code[2:8].isdigit():
        raise InvalidInput(field, f"登记管理机关行政区划码{code[2:8]}应为6位数字 the region code must be 6 digits")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise InvalidInput(field, f"统一社会信用代码校验码错误（应为{expected}） wrong check character (expected {expected})")
    return code


def make_uscc(department_type: str, region: str, organisation_code: str) -> str:
    """A valid code for demos and tests: e.g. make_uscc("91", "110102", "MA01ABCD2")."""
    first17 = f"{department_type}{region}{organisation_code}"
    return first17 + uscc_check_char(first17)


# -- masking -----------------------------------------------------------------------------------
def mask_id(number: str | None) -> str | None:
    """``110101********1234``: region code and last four characters of a person's number."""
    if not number:
        return number
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
