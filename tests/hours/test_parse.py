"""Field checks of one record (hours.ingest.parse): each refusal names the record and the reason, in the
request's language; what is fine is taken as sent."""

import pytest

from hours import crypto
from hours.models import TrainingRecord
from tests.hours.conftest import ingest, make_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id_number": make_id(1)[:-1] + ("0" if make_id(1)[-1] != "0" else "1")}, "身份证号码无效"),
        ({"hours": "0"}, "大于 0"),
        ({"hours": "1.3"}, "0.5"),
        ({"hours": "24.5"}, "超过培训班人均学时"),
        ({"completed_on": "2026-04-01"}, "不在培训班起止日期"),
        ({"class_id": 999999}, "培训班不存在"),
        ({"subject": "other"}, "科目类别"),
        ({"name": ""}, "姓名"),
        ({"completed_on": "2026-13-01"}, "YYYY-MM-DD"),
        ({"completed_on": "2026-W11-1"}, "YYYY-MM-DD"),
        ({"class_id": 3.5}, "培训班编号"),
        ({"class_id": "12abc"}, "培训班编号"),
        ({"hours": "1e999999999"}, "0.5"),  # decimal arithmetic on it would raise, not refuse
        (
            {"hours": "1e-1000030"},
            "0.5",
        ),  # its remainder by 0.5 underflows to 0; it must not pass as 0.0 hours
        ({"name": "张\x00三"}, "姓名"),  # a NUL would break the COPY of the whole batch
        ({"name": "张\ud800"}, "姓名"),  # so would a lone surrogate (valid JSON: "\\ud800")
        ({"name": "张\n三"}, "姓名"),
        ({"name": "张\u202e三"}, "姓名"),  # right-to-left override
        ({"hours": True}, "数字"),
        ({"hours": ["1"]}, "数字"),  # unhashable: must not break the cache of hours values
        ({"hours": {"v": 1}}, "数字"),
        ({"hours": float("nan")}, "数字"),
        ({"name": {"x": 1}}, "姓名"),
        ({"id_number": None}, "身份证号码无效"),
    ],
)
def test_each_refusal_names_the_record_and_the_reason(hw, change, reason):
    out = ingest(hw, hw.record(1, **change), hw.record(2))
    assert out.accepted == ["r2"]
    assert out.refused[0]["external_id"] == "r1" and reason in out.refused[0]["reason"]
    assert make_id(1) not in out.refused[0]["reason"]
    assert TrainingRecord.objects.count() == 1


def test_control_characters_in_external_id_are_refused_and_nothing_is_stored(hw):
    out = ingest(hw, hw.record(1, external_id="a\tb"), hw.record(2))
    assert out.accepted == ["r2"]
    assert out.refused[0]["external_id"] == "a\\tb" and "可见字符" in out.refused[0]["reason"]
    assert list(TrainingRecord.objects.values_list("external_id", flat=True)) == ["r2"]


def test_odd_json_values_are_refused_with_a_reason_in_the_requests_language(hw):
    from django.utils import translation

    with translation.override("zh-hans"):
        out = ingest(hw, hw.record(1, external_id=["r1"]), hw.record(2, hours="0.3"))
    assert out.refused[0]["external_id"] is None and "external_id" in out.refused[0]["reason"]
    assert "0.5" in out.refused[1]["reason"] and "学时" in out.refused[1]["reason"]
    with translation.override("en"):
        out = ingest(hw, hw.record(3, hours="0.3"))
    assert out.refused[0]["reason"] == "Training hours must be greater than 0 and in steps of 0.5"
    assert not TrainingRecord.objects.exists()


def test_names_ids_and_numbers_that_are_fine_are_taken_as_sent(hw):
    """A space, an ideographic space or a middle dot may be in a name; an ID without X may come as a JSON number;
    an external_id is trimmed before its length is checked."""
    digits_only = next(n for n in range(2, 50) if not make_id(n).endswith("X"))
    out = ingest(
        hw,
        hw.record(1, name="阿依·木呷"),
        hw.record(digits_only, name="王\u3000芳", id_number=int(make_id(digits_only))),
        hw.record(3, external_id="  " + "x" * 64 + "  "),
    )
    assert out.refused == [] and out.created == 3
    assert TrainingRecord.objects.filter(external_id="x" * 64).exists()
    stored = TrainingRecord.objects.get(external_id=f"r{digits_only}").person
    assert crypto.decrypt(stored.id_encrypted) == make_id(digits_only) and stored.name == "王\u3000芳"
    out = ingest(hw, hw.record(4, external_id="y" * 200))
    assert out.refused[0]["external_id"] == "y" * 64 + "…"


def test_a_row_number_sent_by_an_api_client_is_not_echoed(hw):
    out = ingest(hw, hw.record(1, hours="0.3", _row={"x": "y" * 1000}), hw.record(2, hours="0.3", _row=7))
    assert "row" not in out.refused[0] and out.refused[1]["row"] == 7
