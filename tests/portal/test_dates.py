"""One date format per language where users read dates: 2026年12月3日 in Chinese, 3 Dec 2026 in English."""

import datetime

from django.template import Context, Template
from django.utils import translation


def _render(value, fmt):
    return Template("{{ value|date:fmt }}").render(Context({"value": value, "fmt": fmt}))


def test_dates_read_in_chinese_as_year_month_day():
    with translation.override("zh-hans"):
        assert _render(datetime.date(2026, 12, 3), "DATE_FORMAT") == "2026年12月3日"
        assert (
            Template("{{ value }}").render(Context({"value": datetime.date(2026, 12, 3)})) == "2026年12月3日"
        )


def test_dates_read_in_english_as_day_month_year():
    with translation.override("en"):
        assert _render(datetime.date(2026, 12, 3), "DATE_FORMAT") == "3 Dec 2026"
        assert _render(datetime.datetime(2026, 12, 3, 9, 5), "DATETIME_FORMAT") == "3 Dec 2026 09:05"


def test_no_template_formats_a_date_by_hand():
    from pathlib import Path

    import django.conf

    templates = Path(django.conf.settings.BASE_DIR) / "templates"
    by_hand = [p.name for p in templates.rglob("*.html") if '|date:"Y-m-d' in p.read_text()]
    assert by_hand == []
