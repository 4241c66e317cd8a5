"""jiuye.ids: 居民身份证号码 (GB 11643, ISO 7064 MOD 11-2) and 统一社会信用代码 (GB 32100-2015),
scalar and vectorised, masking. The one validator of the ledger, the web forms, imports and rosters."""

import datetime as dt
import re

import numpy as np
import pytest

from jiuye.ids import (InvalidIdNumber, check_org_ids, check_person_ids, id_check_char, make_id_number, make_uscc,
                       mask_id, mask_ids, person_id_problem, uscc_check_char, uscc_problem, validate, validate_id_number,
                       validate_uscc)

TODAY = dt.date(2026, 1, 1)


def test_published_id_number_with_x_check():
    # the standard's worked example: 11010519491231002X (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
    # sum mod 11 = 2 -> "X")
    assert validate_id_number("11010519491231002x") == "11010519491231002X"
    assert validate_id_number(" 11010519491231002X ") == "11010519491231002X"
    assert id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize("number, reason", [
    ("1101051949123100", "应为18位，现为16位"),                    # too short
    ("110105194912310021", "校验码错误，应为X"),                   # wrong check digit (should be X)
    ("11010519491331002X", "出生日期19491331不是有效日期"),         # month 13
    ("11010518991231002X", "出生日期1899-12-31不合理"),            # before 1900
    ("99010519491231002X", "行政区划代码990105不存在"),             # no province 99
    ("11000019491231002X", "行政区划代码110000不存在"),             # a province, not a county
    ("11010519491231O02X", "前17位应为数字"),                       # a letter O inside
])
def test_invalid_id_numbers_name_the_reason(number, reason):
    with pytest.raises(InvalidIdNumber) as error:
        validate_id_number(number, "id_number")
    assert error.value.field == "id_number"
    assert reason in error.value.message


@pytest.mark.parametrize("number", [
    "１１０１０５１９４９１２３１００２Ｘ",        # full-width digits and X (an IME's 全角 mode)
    "11010519491231002Ｘ",                       # only the check character full-width
    "１1010519491231002X",                       # one full-width digit
])
def test_full_width_numbers_are_refused_not_converted(number):
    """NFKC would turn these into the valid 11010519491231002X: they are refused with their own reason
    (the stored number is what was typed; two spellings of one number must not make two applicants)."""
    with pytest.raises(InvalidIdNumber, match="全角") as error:
        validate_id_number(number)
    assert "半角" in error.value.message
    ok, reason = check_person_ids(np.array([number], dtype=object), TODAY)
    assert not ok[0] and reason[0] == error.value.message


@pytest.mark.parametrize("number", [
    "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",      # Arabic-Indic digits (NFKC leaves them; int() would read them)
    "११०१०५१९४९१२३१००२X",       # Devanagari digits
])
def test_other_unicode_digits_are_not_digits(number):
    assert int(number[:17]) == 11010519491231002          # what a \d or int() check would let through
    with pytest.raises(InvalidIdNumber, match="前17位应为数字0–9"):
        validate_id_number(number)
    assert not check_person_ids(np.array([number], dtype=object), TODAY)[0][0]


def test_birth_date_boundaries():
    first, last = make_id_number("110102", dt.date(1900, 1, 1), 1), make_id_number("110102", TODAY, 1)
    assert validate_id_number(first, today=TODAY) == first and validate_id_number(last, today=TODAY) == last
    before = make_id_number("110102", dt.date(1899, 12, 31), 1)
    tomorrow = make_id_number("110102", TODAY + dt.timedelta(days=1), 1)
    for number in (before, tomorrow):
        with pytest.raises(InvalidIdNumber, match="不合理"):
            validate_id_number(number, today=TODAY)
    ok, _ = check_person_ids(np.array([first, last, before, tomorrow], dtype=object), TODAY)
    assert list(ok) == [True, True, False, False]


def test_generated_numbers_validate():
    for seq in range(50):
        validate_id_number(make_id_number("310104", dt.date(1980, 2, 29), seq))


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "914403001922038216",
                                  "9144030071526726XG"])
def test_published_credit_codes(code):
    assert validate_uscc(code.lower()) == code
    assert check_org_ids(np.array([code], dtype=object))[0][0]


@pytest.mark.parametrize("code, reason", [
    ("91350100M000100Y4", "应为18位，现为17位"),
    ("91350100M000100Y44", "校验码错误，应为3"),
    ("91350100M0001O0Y43", "非法字符“O”"),         # O is not used
    ("01350100M000100Y43", "登记管理部门代码0无效"),
    ("913501A0M000100Y43", "行政区划码"),
    ("９1350100M000100Y43", "全角"),
])
def test_invalid_credit_codes(code, reason):
    with pytest.raises(InvalidIdNumber) as error:
        validate_uscc(code, "uscc")
    assert error.value.field == "uscc" and reason in error.value.message


def test_reasons_are_in_chinese():
    """No English in what a case worker or a roster's owner reads (the quoted characters aside)."""
    reasons = [person_id_problem(n, TODAY) for n in ("1101051949123100", "110105194912310021", "11010519491331002X",
                                                     "11010518991231002X", "99010519491231002X", "１１", 42)]
    reasons += [uscc_problem(c) for c in ("91350100M000100Y4", "91350100M000100Y44", "01350100M000100Y43",
                                          "913501A0M000100Y43", None)]
    assert all(reasons)
    assert not [r for r in reasons if re.search(r"[A-Za-z]{2,}", r)]


def test_validate_by_kind():
    assert validate("person", "11010519491231002x") == "11010519491231002X"
    assert validate("organisation", "91350100m000100y43") == "91350100M000100Y43"
    with pytest.raises(InvalidIdNumber) as error:
        validate("organisation", "11010519491231002X", "beneficiary.id_number")
    assert error.value.field == "beneficiary.id_number"


def test_make_uscc_check_character():
    code = make_uscc("91", "110102", "MA01ABCD2")
    assert code[-1] == uscc_check_char(code[:17]) and validate_uscc(code) == code


def test_mask_keeps_region_and_last_four():
    assert mask_id("110101199003071234") == "110101********1234"
    assert mask_id(None) is None
    values = ["110101199003071234", "12345", "", None, "１１０１０１１９９００３０７１２３４", "1101011990030712345"]
    assert list(mask_ids(np.array(values, dtype=object))) == [mask_id(v) for v in values]


def test_vectorised_checks_agree_with_the_scalar_validators():
    rng = np.random.default_rng(5)
    people = [f"1101{rng.integers(0, 99):02d}19{rng.integers(50, 99)}0{rng.integers(1, 9)}1{rng.integers(0, 9)}"
              f"{rng.integers(0, 999):03d}{'0123456789X'[rng.integers(0, 11)]}" for _ in range(300)]
    people += ["", "1101051949123100", "11010519491231O02X", "１１０１０５１９４９１２３１００２Ｘ", "x" * 5000]
    orgs = ["9111010" + "".join(rng.choice(list("0123456789ABCDEFGHJKLMNPQRTUWXY"), 11)) for _ in range(300)]
    orgs += ["", "01350100M000100Y43", "913501A0M000100Y43", "91350100M0001O0Y43", "９1350100M000100Y43"]

    def scalar(kind, value):
        try:
            validate(kind, value, "x", TODAY)
            return ""
        except InvalidIdNumber as error:
            return error.message
    for kind, values, check in (("person", people, lambda a: check_person_ids(a, TODAY)),
                                ("organisation", orgs, check_org_ids)):
        expected = [scalar(kind, v) for v in values]
        for array in (np.array(values, dtype=object), np.array(values)):       # object and fixed-width text
            ok, reason = check(array)
            assert list(reason) == expected and list(ok) == [not e for e in expected]
        assert 0 < ok.sum() < len(values)
