"""Rules a parsed record must meet against the database: its base is recognised, its year is open, its class
takes it (R-23: ended, not cancelled, of the record's subject, R-35), and the person's hours in the class stay
within the class's hours per trainee, per subject kind where the class gives both.

Written for batches of 10,000: what a class allows is read once per class (`_Terms`), so a record costs a few
comparisons, and today's date is read once per batch."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from bases.models import Base
from plans.models import PlanState, SubjectKind, TrainingClass

from .lookups import _credited
from .outcome import _refuse

SUBJECTS = (SubjectKind.GENERAL.value, SubjectKind.PROFESSIONAL.value)
ZERO = Decimal("0")


class _Terms:
    """What one class allows, read once per batch: a refusal that holds for every record of the class (None if
    none), the filed plan's year, the class's dates and the most hours per subject kind (None: not given)."""

    __slots__ = ("refusal", "year", "starts_on", "ends_on", "limits", "klass")

    def __init__(self, klass, base):
        self.klass = klass
        self.refusal = _class_refusal(klass, base)
        if klass is not None:
            self.year = klass.plan_item.plan.year if klass.plan_item.plan.state == PlanState.FILED else None
            self.starts_on, self.ends_on = klass.starts_on, klass.ends_on
            self.limits = {s: klass.hours_for(s) for s in SUBJECTS}


def _class_refusal(klass, base):
    """Return why the class can credit no record at all, or None. The plan's year is checked per record."""
    if klass is None:
        return _("培训班不存在")
    if klass.base_id != base.pk:
        return _("培训班不属于本基地")
    return None


def _admit(parsed, classes, closed, base, out) -> list:
    """Return the records whose year is open and whose class takes them; refuse the others."""
    today = timezone.localdate()
    if base.status == Base.Status.REVOKED:
        reason = _("基地资格已撤销，不能再登记学时（撤销前登记的学时仍然有效）")
        for rec in parsed:
            _refuse(out, rec["external_id"], reason, rec["row"])
        return []
    terms = {}
    valid = []
    for rec in parsed:
        class_id = rec["class_id"]
        t = terms.get(class_id)
        if t is None:
            t = terms[class_id] = _Terms(classes.get(class_id), base)
        reason = _admission_refusal(rec, t, closed, today)
        if reason is None:
            valid.append(rec)
        else:
            _refuse(out, rec["external_id"], reason, rec["row"])
    return valid


def _admission_refusal(rec, t, closed, today):
    """Return why the record cannot be taken, or None. R-23: its year is open, and its class is the base's own,
    under a filed plan of the record's year, with hours and dates that fit it."""
    completed = rec["completed_on"]
    if completed > today:
        return _("完成日期晚于今天")
    if completed.year in closed:
        return _("%(y)d 年度已关闭，不能新增或更正记录") % {"y": completed.year}
    if t.refusal is not None:
        return t.refusal
    if t.year != completed.year:
        return _("培训班不在已备案的 %(y)d 年度计划内（《办法》第二十一条）") % {"y": completed.year}
    return _run_refusal(rec, t, today)


def _run_refusal(rec, t, today):
    """Return why the class, as it ran, cannot credit the record (cancelled, dates, subject, hours), or None."""
    klass = t.klass
    if klass.status == TrainingClass.Status.CANCELLED:
        return _("培训班已取消")
    if t.ends_on > today:
        return _("培训班尚未结业（结业日期 %(d)s），结业后方可登记学时") % {"d": t.ends_on}
    if not t.starts_on <= rec["completed_on"] <= t.ends_on:
        return _("完成日期不在培训班起止日期（%(a)s 至 %(b)s）内") % {"a": t.starts_on, "b": t.ends_on}
    limit = t.limits.get(rec["subject"])
    if limit is None:
        return _("科目类别与培训班不符：该培训班为%(k)s") % {"k": klass.get_subject_kind_display()}
    if rec["hours"] > limit:
        return _hours_refusal(rec, klass, limit)
    return None


def _hours_refusal(rec, klass, limit):
    """The message for a record over its class's hours: the subject's part of a mixed class, or the whole."""
    if limit < klass.hours_per_trainee:
        return _("学时超过该培训班%(s)s学时 %(h)s") % {"s": SubjectKind(rec["subject"]).label, "h": limit}
    return _("学时超过培训班人均学时 %(h)s") % {"h": klass.hours_per_trainee}


def _cap_per_class(valid, person_ids, classes, existing, out, new_people=frozenset()):
    """A person is credited at most the class's hours per trainee in total, whatever the number of rows, and in a
    class that gives both kinds at most its hours of each kind (R-35)."""
    years = {k: c.plan_item.plan.year for k, c in classes.items()}
    triples = set()
    for r in valid:
        person = person_ids[r["id_hash"]]
        if person not in new_people:
            triples.add((person, r["class_id"], years[r["class_id"]]))
    credited = _credited(triples, [r.pk for r in existing.values()]) if triples else {}
    limits = {}
    kept = []
    for rec in valid:
        key = (person_ids[rec["id_hash"]], rec["class_id"], rec["subject"])
        limit = limits.get(key[1:])
        if limit is None:
            limit = limits[key[1:]] = classes[rec["class_id"]].hours_for(rec["subject"])
        so_far = credited.get(key, ZERO)
        if so_far + rec["hours"] > limit:
            _refuse(out, rec["external_id"], _cap_refusal(rec, classes[rec["class_id"]], limit), rec["row"])
            continue
        credited[key] = so_far + rec["hours"]
        kept.append(rec)
    return kept


def _cap_refusal(rec, klass, limit):
    """The message for a person whose rows together would pass the class's (or its subject part's) hours."""
    if limit < klass.hours_per_trainee:
        return _("该学员在此培训班的%(s)s学时合计将超过 %(h)s") % {
            "s": SubjectKind(rec["subject"]).label,
            "h": limit,
        }
    return _("该学员在此培训班的学时合计将超过人均学时 %(h)s") % {"h": limit}
