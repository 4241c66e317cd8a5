import numpy as np

from jiuye.model.dates import add_months, age_in_years, completed_years, period_end_of


def test_month_end_clamping():
    assert str(add_months(np.array(["2024-01-31"], "datetime64[D]"), 1)[0]) == "2024-02-29"
    assert str(add_months(np.array(["2023-01-31"], "datetime64[D]"), 1)[0]) == "2023-02-28"


def test_one_year_contract_ends_the_day_before_the_anniversary():
    assert str(period_end_of(np.array(["2024-03-15"], "datetime64[D]"), 12)[0]) == "2025-03-14"


def test_completed_years_count_on_the_last_day():
    starts = np.array(["2024-03-15"] * 3, "datetime64[D]")
    ons = np.array(["2025-03-13", "2025-03-14", "2026-03-14"], "datetime64[D]")
    assert completed_years(starts, ons).tolist() == [0, 1, 2]


def test_age_on_birthday():
    birth = np.array(["2000-06-01"] * 2, "datetime64[D]")
    assert age_in_years(birth, np.array(["2024-05-31", "2024-06-01"], "datetime64[D]")).tolist() == [23, 24]


def test_fast_add_months_equals_the_calendar_arithmetic():
    from jiuye.model.dates import _add_months_slow
    rng = np.random.default_rng(7)
    days = np.datetime64("1900-01-01") + rng.integers(0, 200 * 365, 200_000).astype("timedelta64[D]")
    days[::50] = np.datetime64("9999-12-31")
    months = rng.integers(-500, 500, 200_000)
    assert (add_months(days, months) == _add_months_slow(days, months)).all()
    grid = days[:500].reshape(-1, 1)
    assert (add_months(grid, np.arange(60)) == _add_months_slow(grid, np.arange(60))).all()
