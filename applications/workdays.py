"""Working-day arithmetic for publicity periods (公示期), with the official holiday and make-up-day calendar."""

from datetime import date, timedelta

import chinese_calendar


def is_workday(day: date) -> tuple[bool, bool]:
    """Return (is a working day, known from the official calendar).

    For a year the calendar does not cover yet (holidays are announced each November), fall back to
    Monday-Friday and say so, so the UI can mark the date as provisional.
    """
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_working_days(start: date, days: int) -> tuple[date, date, bool]:
    """Return (first day, last day, exact) of a period of `days` working days starting on or after `start`."""
    if days < 1:
        raise ValueError("A period lasts at least one working day.")
    exact = True
    day = start
    counted = 0
    first = None
    while True:
        workday, known = is_workday(day)
        exact = exact and known
        if workday:
            counted += 1
            if first is None:
                first = day
            if counted == days:
                return first, day, exact
        day += timedelta(days=1)
