# The browser checks of these tests drive the journeys' Chromium (tests/e2e/conftest.py).
from tests.e2e.conftest import browser  # noqa: F401
