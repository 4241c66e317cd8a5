"""Identity numbers: 居民身份证号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

One module for every check of an ID number in jiuye: the ledger's applicants, the web forms and
API, the 台账 import, the rosters (花名册) of a million rows and the synthetic populations.

* Scalar: ``validate_id_number`` / ``validate_uscc`` (or ``validate(kind, …)``) return the
  normalised number (trimmed, upper-case ``X``) or raise ``InvalidIdNumber`` naming the field,
  with the reason in Chinese (``身份证号校验码错误，应为X``). ``person_id_problem`` /
  ``uscc_problem`` give the reason (or ``None``) of a number as it is, without normalising it.
* Vectorised (numpy, for rosters): ``check_person_ids`` / ``check_org_ids`` give, for arrays of
  numbers as the roster has them (trimmed, upper-case), whether each is valid and, for the others,
  the same reason the scalar check gives (the bad rows are few and explained one by one).
* Masking for lists, exports and logs: ``mask_id`` (``110101********1234``), ``mask_ids``.
* Making valid numbers for demos and tests: ``make_id_number``, ``make_uscc``; the check
  characters ``id_check_char`` / ``uscc_check_char`` and their array forms ``id_check_chars`` /
  ``uscc_check_chars`` (used by ``jiuye.batch.synth``).

What a valid 身份证号 is here: 18 characters, ASCII digits only but for a final ``X``, a province
code of GB/T 2260 (or 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证), a birth date that exists
and lies between 1900-01-01 and the day of the check, and the ISO 7064 MOD 11-2 check character.
Anything NFKC normalisation would change (full-width ``１２３``, ``Ｘ``) is refused with its own
reason rather than silently converted: the stored number is what was typed, and two spellings of one
number must not make two applicants. Other Unicode digits (``٣``, ``३``) are refused as not digits.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np

PERSON, ORGANISATION = "person", "organisation"

# -- 居民身份证号码 ------------------------------------------------------------------------------------
# Province-level codes of GB/T 2260 (first two digits) plus 71 台湾, 81 香港, 82 澳门 and 83 for
# the numbers of 台湾居民居住证 (83 0000), which follow the same structure.
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})
WHOLE_PROVINCE_OK = frozenset({"71", "81", "82", "83"})    # their numbers may carry the region code xx0000
ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]     # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
ID_CHECK = "10X98765432"                                 # ISO 7064 MOD 11-2 check character
EARLIEST_BIRTH = dt.date(1900, 1, 1)
_PERSON_SHAPE = re.compile(r"[0-9]{17}[0-9X]")             # [0-9], not \d: ASCII digits only

# -- 统一社会信用代码 ----------------------------------------------------------------------------------
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"           # 31 characters: no I O S V Z
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
USCC_WEIGHTS = [3 ** i % 31 for i in range(17)]         # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
USCC_DEPARTMENTS = "123456789ANY"                        # 登记管理部门代码 (GB 32100-2015 表1)


class InvalidIdNumber(ValueError):
    """A number that is not a valid 身份证号 / 统一社会信用代码: ``field`` and the reason in Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# -- scalar ------------------------------------------------------------------------------------------
def _changed_by_nfkc(text: str) -> str:
    """The characters of ``text`` that NFKC normalisation changes (full-width digits and letters …)."""
    return "".join(dict.fromkeys(c for c in text if unicodedata.normalize("NFKC", c) != c))


def _not_in(text: str, allowed: str) -> str:
    return "".join(dict.fromkeys(c for c in text if c not in allowed))


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def _eighteen_characters(value, what: str, allowed: str) -> str | None:
    """Why `value` is not text of 18 half-width characters (`what`: the number's name), or None."""
    if not isinstance(value, str):
        return f"{what}应为文本"
    wide = _changed_by_nfkc(value)
    if wide:
        return f"{what}含全角或兼容字符“{wide}”，请改用{allowed}"
    if len(value) != 18:
        return f"{what}应为18位，现为{len(value)}位"
    return None


def person_id_problem(number, today: dt.date | None = None) -> str | None:
    """Why ``number`` (as it is: not trimmed, not upper-cased) is not a valid 身份证号, or None."""
    problem = _eighteen_characters(number, "身份证号", "半角数字和字母X")
    if problem:
        return problem
    if not _PERSON_SHAPE.fullmatch(number):
        bad = _not_in(number[:17], "0123456789") + _not_in(number[17], "0123456789X")
        return f"身份证号前17位应为数字0–9，末位为数字或X（不应有“{bad}”）"
    if number[:2] not in PROVINCES or number[2:6] == "0000" and number[:2] not in WHOLE_PROVINCE_OK:
        return f"身份证号的行政区划代码{number[:6]}不存在"
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return f"身份证号中的出生日期{number[6:14]}不是有效日期"
    latest = today or dt.date.today()
    if not EARLIEST_BIRTH <= birth <= latest:
        return (f"身份证号中的出生日期{birth.isoformat()}不合理"
                f"（应在{EARLIEST_BIRTH.isoformat()}至{latest.isoformat()}之间）")
    expected = id_check_char(number[:17])
    if number[17] != expected:
        return f"身份证号校验码错误，应为{expected}"
    return None


def uscc_problem(code) -> str | None:
    """Why ``code`` (as it is) is not a valid 统一社会信用代码, or None."""
    problem = _eighteen_characters(code, "统一社会信用代码", "半角数字和大写字母")
    if problem:
        return problem
    bad = _not_in(code, USCC_CHARS)
    if bad:
        return f"统一社会信用代码含非法字符“{bad}”（只用数字和大写字母，不用I、O、S、V、Z）"
    if code[0] not in USCC_DEPARTMENTS:
        return f"统一社会信用代码的登记管理部门代码{code[0]}无效（应为1–9、A、N或Y）"
    if not code[2:8].isascii() or not code[2:8].isdigit():
        return f"统一社会信用代码第3–8位（登记管理机关行政区划码）{code[2:8]}应为6位数字"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验码错误，应为{expected}"
    return None


def _normalised(value) -> str:
    return value.strip().upper() if isinstance(value, str) else value


def validate_id_number(value, field: str = "id_number", today: dt.date | None = None) -> str:
    """The number trimmed and with an upper-case X, or InvalidIdNumber naming ``field``."""
    number = _normalised(value)
    problem = person_id_problem(number, today)
    if problem:
        raise InvalidIdNumber(field, problem)
    return number


def validate_uscc(value, field: str = "uscc") -> str:
    """The code trimmed and upper-case, or InvalidIdNumber naming ``field``."""
    code = _normalised(value)
    problem = uscc_problem(code)
    if problem:
        raise InvalidIdNumber(field, problem)
    return code


def validate(kind: str, value, field: str = "id_number", today: dt.date | None = None) -> str:
    """A person's 身份证号 (``kind="person"``) or an organisation's 统一社会信用代码."""
    if kind == PERSON:
        return validate_id_number(value, field, today)
    if kind == ORGANISATION:
        return validate_uscc(value, field)
    raise ValueError(f"unknown kind {kind!r}")


# -- usernames ----------------------------------------------------------------------------------------
# A username is what a person types to log in and what the audit log names: one spelling per account.
# Lower-case ASCII letters, digits and . _ - only (no look-alike letters of other scripts, no
# zero-width or control characters, no spaces), starting with a letter, at most 32 characters. Upper case is
# folded (``Admin`` is ``admin``: the same account, so it cannot be created twice); anything NFKC would
# change (full-width ``ａｄｍｉｎ``) is refused, like the ID numbers.
_USERNAME = re.compile(r"[a-z][a-z0-9._-]{0,31}")


def username_problem(text) -> str | None:
    """Why ``text`` (as typed) is not a username, or None (then ``normalise_username`` gives it)."""
    if not isinstance(text, str):
        return "用户名应为文本"
    wide = _changed_by_nfkc(text)
    if wide:
        return f"用户名含全角或兼容字符“{wide}”，请只用半角小写字母、数字和 . _ -"
    folded = text.lower()
    if not _USERNAME.fullmatch(folded):
        bad = "".join(dict.fromkeys(c for c in folded if c not in "abcdefghijklmnopqrstuvwxyz0123456789._-"))
        shown = "、".join(repr(c) if not c.isprintable() or c.isspace() else c for c in bad)
        if bad:
            return f"用户名只能用半角小写字母、数字和 . _ -（不应有{shown}）"
        return "用户名应以字母开头，最多32个字符"
    return None


def normalise_username(text, field: str = "username") -> str:
    """The one spelling of a username (lower case), or InvalidIdNumber naming ``field``."""
    problem = username_problem(text)
    if problem:
        raise InvalidIdNumber(field, problem)
    return text.lower()


def number_label(kind: str) -> str:
    return "居民身份证号" if kind == PERSON else "统一社会信用代码"


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """A valid number for demos and tests: region code (6 digits), birth date, a 3-digit sequence."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_check_char(first17)


def make_uscc(department_type: str, region: str, organisation_code: str) -> str:
    """A valid code for demos and tests: e.g. make_uscc("91", "110102", "MA01ABCD2")."""
    first17 = f"{department_type}{region}{organisation_code}"
    return first17 + uscc_check_char(first17)


def mask_id(number: str | None) -> str | None:
    """``110101********1234``: region code and last four characters of a person's number."""
    if not number:
        return number
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# -- vectorised ------------------------------------------------------------------------------------------
_ID_WEIGHTS = np.array(ID_WEIGHTS, np.int64)
_ID_CHECK = np.frombuffer(ID_CHECK.encode(), np.uint8)
_USCC_WEIGHTS = np.array(USCC_WEIGHTS, np.int64)
_USCC_BYTES = np.frombuffer(USCC_CHARS.encode(), np.uint8)
_USCC_VALUE = np.full(256, -1, np.int64)
_USCC_VALUE[_USCC_BYTES] = np.arange(31)
_PROVINCE_CODES = np.array(sorted(int(p) for p in PROVINCES), np.int64)
_WHOLE_PROVINCE_CODES = np.array(sorted(int(p) for p in WHOLE_PROVINCE_OK), np.int64)


def _ascii18(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions of the values that are 18 ASCII characters, their bytes as an (m, 18) uint8 array).
    Lengths are read before any fixed-width copy, so one huge cell costs no more than its own size."""
    ids = np.asarray(ids)
    if ids.dtype.kind == "U":
        lengths = np.char.str_len(ids)
    else:
        lengths = np.fromiter((len(v) if isinstance(v, str) else -1 for v in ids), np.int64, len(ids))
    at = np.flatnonzero(lengths == 18)
    codes = np.asarray(ids[at], dtype="U18").view(np.uint32).reshape(-1, 18)
    ascii_rows = (codes < 128).all(axis=1)
    return at[ascii_rows], codes[ascii_rows].astype(np.uint8)


def _explain(ok: np.ndarray, ids: np.ndarray, problem) -> np.ndarray:
    """The reason of each row that is not ok (the scalar check's words), "" for the good ones."""
    reason = np.full(len(ok), "", dtype=object)
    bad = np.flatnonzero(~ok)
    values = np.asarray(ids, dtype=object)[bad]
    reason[bad] = [problem(v) or "号码无效" for v in values]
    return reason


def _ymd(year, month, day) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[D] from year, month, day arrays, and whether the date exists."""
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1000)
    y = np.where(ok, year, 2000)
    m = np.where(ok, month, 1)
    first = (np.asarray(y - 1970, "timedelta64[Y]").astype("timedelta64[M]") + np.datetime64("1970-01", "M")
             + np.asarray(m - 1, "timedelta64[M]"))
    length = ((first + np.timedelta64(1, "M")).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    ok &= day <= length
    return first.astype("datetime64[D]") + np.asarray(np.where(ok, day, 1) - 1, "timedelta64[D]"), ok


def _birth(digits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    year = (digits[:, 6:10] * np.array([1000, 100, 10, 1])).sum(1)
    return _ymd(year, digits[:, 10] * 10 + digits[:, 11], digits[:, 12] * 10 + digits[:, 13])


def id_check_chars(first17: np.ndarray) -> np.ndarray:
    """ISO 7064 MOD 11-2 check characters (uint8) of an (n, 17) array of digit values 0–9."""
    return _ID_CHECK[(first17.astype(np.int64) * _ID_WEIGHTS).sum(axis=1) % 11]


def uscc_check_chars(first17: np.ndarray) -> np.ndarray:
    """GB 32100 check characters (uint8) of an (n, 17) array of the code's ASCII bytes."""
    values = _USCC_VALUE[first17]
    return _USCC_BYTES[(31 - (values * _USCC_WEIGHTS).sum(axis=1) % 31) % 31]


def check_person_ids(ids: np.ndarray, today: dt.date | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(valid, reason per row: "" when valid) for an array of 身份证号; the same verdict and
    reason as ``person_id_problem`` on each."""
    today = today or dt.date.today()
    ok = np.zeros(len(ids), bool)
    at, raw = _ascii18(ids)
    if len(at):
        digits = raw[:, :17].astype(np.int64) - 48
        shape = ((digits >= 0) & (digits <= 9)).all(axis=1) & (((raw[:, 17] >= 48) & (raw[:, 17] <= 57))
                                                               | (raw[:, 17] == ord("X")))
        digits = np.where(shape[:, None], digits, 0)
        province_code = digits[:, 0] * 10 + digits[:, 1]
        region = np.isin(province_code, _PROVINCE_CODES) & ~(
            (digits[:, 2:6] == 0).all(axis=1) & ~np.isin(province_code, _WHOLE_PROVINCE_CODES))
        birth, exists = _birth(digits)
        plausible = exists & (birth >= np.datetime64(EARLIEST_BIRTH, "D")) & (birth <= np.datetime64(today, "D"))
        check = id_check_chars(digits) == raw[:, 17]
        ok[at] = shape & region & plausible & check
    return ok, _explain(ok, ids, lambda v: person_id_problem(v, today))


def check_org_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(valid, reason per row) for an array of 统一社会信用代码; the verdicts of ``uscc_problem``."""
    ok = np.zeros(len(ids), bool)
    at, raw = _ascii18(ids)
    if len(at):
        values = _USCC_VALUE[raw]
        chars = (values >= 0).all(axis=1)
        department = np.isin(raw[:, 0], np.frombuffer(USCC_DEPARTMENTS.encode(), np.uint8))
        region = ((raw[:, 2:8] >= 48) & (raw[:, 2:8] <= 57)).all(axis=1)
        check = uscc_check_chars(np.where(chars[:, None], raw, 48)[:, :17]) == raw[:, 17]
        ok[at] = chars & department & region & check
    return ok, _explain(ok, ids, uscc_problem)


def birth_and_sex_from_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Birth dates (datetime64[D]) and sex (1 male, 2 female: Sex enum order) of valid numbers."""
    digits = np.frombuffer(np.asarray(ids, dtype="S18").tobytes(), np.uint8).reshape(-1, 18)[:, :17].astype(np.int64) - 48
    birth, _ = _birth(digits)
    return birth, np.where(digits[:, 16] % 2 == 1, 1, 2)


def mask_ids(ids: np.ndarray) -> np.ndarray:
    """``mask_id`` of each number (an object array); 18-character numbers in one array operation."""
    ids = np.asarray(ids, dtype=object)
    out = np.empty(len(ids), dtype=object)
    at, raw = _ascii18(ids)
    raw = raw.copy()
    raw[:, 6:14] = ord("*")
    out[at] = np.frombuffer(raw.tobytes(), "S18").astype("U18").astype(object)
    rest = np.setdiff1d(np.arange(len(ids)), at, assume_unique=True)
    out[rest] = [mask_id(v) if isinstance(v, str) else v for v in ids[rest]]
    return out
