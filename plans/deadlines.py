"""The filing deadline of Art. 20 (R-22): 31 December 23:59:59 Asia/Shanghai of the year before the plan year.

Computed in Beijing time: between 00:00 and 08:00 on 1 January it is still 31 December in UTC, and a plan
submitted then is late (DESIGN.md field notes).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def plan_deadline(plan_year: int) -> datetime:
    """The last instant a plan for `plan_year` is on time."""
    return datetime(plan_year - 1, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI)


def deadline_date(plan_year: int) -> date:
    return date(plan_year - 1, 12, 31)


def is_late(plan_year: int, at: datetime) -> bool:
    return at > plan_deadline(plan_year)
