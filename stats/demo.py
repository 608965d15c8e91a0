"""Demo figures (DEBUG only): store the cockpit's hours figures of this year and last, as the nightly job would,
so that /statistics/ shows their time of computation from the first `make run`."""

from .scope import current_year
from .services import figures_precompute


def seed(*, stdout=None, context=None):
    year = current_year()
    stored = sum(figures_precompute(year=y) for y in (year, year - 1))
    if stdout:
        stdout.write(f"stats: {stored} figure snapshots stored for {year - 1} and {year}")
    return {}
