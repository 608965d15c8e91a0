"""Rules a parsed record must meet against the database: its base is recognised, its year is open, its class
takes it (R-23: ended, not cancelled, of the record's subject, R-35), and the person's hours in the class stay
within the class's hours per trainee."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from bases.models import Base
from plans.models import PlanState, SubjectKind, TrainingClass

from .lookups import _credited
from .outcome import _refuse


def _admit(parsed, classes, closed, base, out) -> list:
    """Return the records whose year is open and whose class takes them; refuse the others."""
    valid = []
    today = timezone.localdate()  # once a batch: the local date costs a time-zone conversion
    for rec in parsed:
        reason = _admission_refusal(rec, classes.get(rec["class_id"]), closed, base, today)
        if reason is None:
            valid.append(rec)
        else:
            _refuse(out, rec["external_id"], reason, rec["row"])
    return valid


def _admission_refusal(rec, klass, closed, base, today):
    """Return why the record cannot be taken, or None. R-23: its year is open, and its class is the base's own,
    under a filed plan of the record's year, with hours and dates that fit it."""
    completed = rec["completed_on"]
    if base.status == Base.Status.REVOKED:
        return _("基地资格已撤销，不能再登记学时（撤销前登记的学时仍然有效）")
    if completed > today:
        return _("完成日期晚于今天")
    if completed.year in closed:
        return _("%(y)d 年度已关闭，不能新增或更正记录") % {"y": completed.year}
    if klass is None:
        return _("培训班不存在")
    if klass.base_id != base.pk:
        return _("培训班不属于本基地")
    plan = klass.plan_item.plan
    if plan.state != PlanState.FILED or plan.year != completed.year:
        return _("培训班不在已备案的 %(y)d 年度计划内（《办法》第二十一条）") % {"y": completed.year}
    return _class_refusal(rec, klass, today)


def _class_refusal(rec, klass, today):
    """Return why the class cannot credit the record (run, dates, subject, hours), or None."""
    completed = rec["completed_on"]
    if klass.status == TrainingClass.Status.CANCELLED:
        return _("培训班已取消")
    if klass.ends_on > today:
        return _("培训班尚未结业（结业日期 %(d)s），结业后方可登记学时") % {"d": klass.ends_on}
    if not klass.starts_on <= completed <= klass.ends_on:
        return _("完成日期不在培训班起止日期（%(a)s 至 %(b)s）内") % {
            "a": klass.starts_on,
            "b": klass.ends_on,
        }
    limit = klass.hours_for(rec["subject"])
    if limit is None:
        return _("科目类别与培训班不符：该培训班为%(k)s") % {"k": klass.get_subject_kind_display()}
    if rec["hours"] > limit:
        if limit < klass.hours_per_trainee:
            return _("学时超过该培训班%(s)s学时 %(h)s") % {"s": SubjectKind(rec["subject"]).label, "h": limit}
        return _("学时超过培训班人均学时 %(h)s") % {"h": klass.hours_per_trainee}
    return None


def _cap_per_class(valid, person_ids, classes, existing, out, new_people=frozenset()):
    """A person is credited at most the class's hours per trainee in total, whatever the number of rows."""
    triples = {
        (person_ids[r["id_hash"]], r["class_id"], classes[r["class_id"]].plan_item.plan.year)
        for r in valid
        if person_ids[r["id_hash"]] not in new_people
    }
    credited = _credited(triples, [r.pk for r in existing.values()]) if triples else {}
    kept = []
    for rec in valid:
        key = (person_ids[rec["id_hash"]], rec["class_id"])
        limit = classes[rec["class_id"]].hours_per_trainee
        so_far = credited.get(key, Decimal("0"))
        if so_far + rec["hours"] > limit:
            _refuse(
                out,
                rec["external_id"],
                _("该学员在此培训班的学时合计将超过人均学时 %(h)s") % {"h": limit},
                rec["row"],
            )
            continue
        credited[key] = so_far + rec["hours"]
        kept.append(rec)
    return kept
