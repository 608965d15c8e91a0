"""The tables of the cockpit: which figure each shows, its title and its columns. The dashboard, its Excel
exports and the public open data read these definitions, so a table and its download never disagree."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Table:
    key: str  # "<section>.<group_by>", the `table` parameter of the exports
    title: str
    columns: tuple  # (row field, header)
    chart: str = "bar"  # bar | line | pie | none
    public: bool = False
    # Rows shown on the page (the Excel export has them all): 5,000 bases would make a 35,000-cell table.
    limit: int | None = None

    @property
    def section(self) -> str:
        return self.key.split(".")[0]

    @property
    def group_by(self) -> str:
        return self.key.split(".")[1]

    @property
    def dom_id(self) -> str:
        return "t-" + self.key.replace(".", "-").replace("_", "-")


COUNT = ("count", _("数量"))
PREVIOUS = ("previous_count", _("上年"))
BASE_COLUMNS = (COUNT, PREVIOUS)
PLAN_COLUMNS = (
    ("count", _("应报送基地")),
    ("filed", _("已备案")),
    ("submitted", _("已报送待备案")),
    ("late", _("逾期报送")),
    ("missing", _("未报送")),
    ("rate", _("备案率（%）")),
    ("previous_rate", _("上年备案率（%）")),
)
HOURS_COLUMNS = (
    ("persons", _("人数")),
    ("count", _("记录数")),
    ("hours", _("学时")),
    ("general_hours", _("公需科目学时")),
    ("professional_hours", _("专业科目学时")),
    ("compliant_persons", _("达标人数")),
    ("previous_hours", _("上年学时")),
)

TABLES = [
    Table("bases.prefecture", _("各市（州）认定基地"), BASE_COLUMNS, chart="map", public=True),
    Table("bases.level", _("按级别（国家级计入省级并单列）"), BASE_COLUMNS, chart="bar", public=True),
    Table("bases.field", _("按培训领域"), BASE_COLUMNS, public=True),
    Table("bases.authority", _("按批准部门"), BASE_COLUMNS),
    Table("bases.status", _("按状态"), BASE_COLUMNS, chart="pie"),
    Table("plans.authority", _("年度计划备案：按批准部门"), PLAN_COLUMNS),
    Table("plans.prefecture", _("年度计划备案：按市（州）"), PLAN_COLUMNS),
    Table("supervision.kind", _("检查与抽查"), BASE_COLUMNS, chart="pie"),
    Table("supervision.result", _("检查结论"), BASE_COLUMNS, chart="pie", public=True),
    Table(
        "supervision.item",
        _("第二十二条检查项目"),
        (("count", _("已评分检查")), ("average", _("平均分"))),
    ),
    Table("supervision.rating", _("动态评估等次"), BASE_COLUMNS, chart="pie", public=True),
    Table("supervision.rectification", _("整改"), BASE_COLUMNS),
    Table("hours.prefecture", _("学时：按学员工作地市（州）"), HOURS_COLUMNS),
    Table("hours.subject", _("学时：按科目类别"), HOURS_COLUMNS, chart="pie"),
    Table("hours.month", _("学时：按月趋势"), HOURS_COLUMNS, chart="line"),
    Table("hours.region_kind", _("公益性培训服务倾斜地区（第十五条）"), HOURS_COLUMNS),
    Table("hours.base", _("学时：按基地"), HOURS_COLUMNS, chart="none", limit=50),
]
BY_KEY = {t.key: t for t in TABLES}
PUBLIC_TABLES = [t for t in TABLES if t.public]
# The value a chart plots, per section.
CHART_VALUE = {"bases": "count", "plans": "rate", "supervision": "count", "hours": "hours"}
PREVIOUS_FIELDS = {"bases": ("count",), "plans": ("rate",), "supervision": ("count",), "hours": ("hours",)}
