"""Figures computed ahead (R-32 at province scale): the hours aggregates read millions of records, so a daily
job stores them per scope, year and grouping, with the time of computation the pages show."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    """The rows of one figure for one scope (stats.scope.Scope.key) and year, as computed at `computed_at`."""

    year = models.PositiveSmallIntegerField(_("年度"))
    scope_key = models.CharField(_("范围"), max_length=40)
    section = models.CharField(_("类别"), max_length=20)
    group_by = models.CharField(_("分组"), max_length=20)
    rows = models.JSONField(_("数据"))
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "scope_key", "section", "group_by"], name="figure_snapshot_unique"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.scope_key} {self.section}/{self.group_by}"
