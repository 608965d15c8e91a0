"""Publicity periods count working days with the official holiday and make-up-day calendar (chinesecalendar)."""

from datetime import date

from applications.workdays import add_working_days


def test_five_working_days_skip_the_national_day_holiday():
    # 2026-09-30 (Wed) is a working day; 1-7 October are the National Day holiday.
    first, last, exact = add_working_days(date(2026, 9, 30), 5)
    assert first == date(2026, 9, 30)
    assert last == date(2026, 10, 12)
    assert exact


def test_make_up_working_day_on_a_saturday_counts():
    # 2026-10-10 is a Saturday worked in exchange for the holiday: it counts.
    first, last, _exact = add_working_days(date(2026, 10, 9), 2)
    assert (first, last) == (date(2026, 10, 9), date(2026, 10, 10))


def test_period_starting_on_a_holiday_begins_on_the_next_working_day():
    first, last, _ = add_working_days(date(2026, 10, 3), 1)
    assert first == last == date(2026, 10, 8)


def test_ordinary_weekend_is_skipped():
    first, last, _ = add_working_days(date(2026, 11, 20), 2)  # Friday
    assert (first, last) == (date(2026, 11, 20), date(2026, 11, 23))


def test_year_without_published_holidays_falls_back_to_weekdays_and_says_so():
    first, last, exact = add_working_days(date(2027, 3, 5), 5)  # Friday
    assert (first, last) == (date(2027, 3, 5), date(2027, 3, 11))
    assert exact is False
