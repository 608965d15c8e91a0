"""Whose figures a request reads (R-03): the bases of the user's jurisdiction, narrowed by the filters.

The jurisdiction is the registry's own (`accounts.jurisdiction.restrict` on the approving authority, as
`bases.selectors.bases_visible_to` and `hours.selectors.statistics_bases` use it): the provincial HR department
reads the province, a municipal HR department or an industry authority the bases it approved, an institution
its own bases. Every figure of `stats` is computed from a `Scope`, never from the user.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for, restrict
from accounts.models import Organization, Region
from bases.models import Base
from kit.errors import NotVisible, PermissionRefused

YEAR_MIN, YEAR_MAX = 2000, 2100


def current_year() -> int:
    return timezone.localdate().year


@dataclass(frozen=True)
class Scope:
    """The bases whose figures are read, for one year.

    `authority_ids` None means every authority (the province); `institution_ids` limits the bases to an
    institution's own. `prefecture` is the code of the base's prefecture filter, or "".
    """

    year: int
    authority_ids: frozenset | None = None
    institution_ids: frozenset | None = None
    prefecture: str = ""
    base_ids: frozenset | None = None  # one base's page

    @property
    def is_province(self) -> bool:
        return (
            self.authority_ids is None
            and self.institution_ids is None
            and self.base_ids is None
            and not self.prefecture
        )

    @property
    def key(self) -> str:
        """The key of a precomputed snapshot of this scope (stats.models.FigureSnapshot), or "" for none:
        only the province, one authority and one prefecture are precomputed."""
        if self.institution_ids is not None or self.base_ids is not None:
            return ""
        if self.authority_ids is None:
            return f"p:{self.prefecture}" if self.prefecture else "all"
        if len(self.authority_ids) == 1 and not self.prefecture:
            return f"a:{next(iter(self.authority_ids))}"
        return ""

    @classmethod
    def from_key(cls, year: int, key: str) -> "Scope":
        """The precomputed scope of a `key` ("all", "p:<prefecture>", "a:<authority id>")."""
        if key == "all":
            return cls(year)
        kind, _sep, value = key.partition(":")
        if kind == "p" and value.isdigit():
            return cls(year, prefecture=value)
        if kind == "a" and value.isdigit():
            return cls(year, authority_ids=frozenset({int(value)}))
        raise ValueError(key)

    def base_q(self, prefix: str = "") -> Q:
        """The Q of the scope's bases on a model that reaches Base through `prefix` ("" for Base itself)."""
        q = Q()
        if self.authority_ids is not None:
            q &= Q(**{f"{prefix}approving_authority_id__in": self.authority_ids})
        if self.institution_ids is not None:
            q &= Q(**{f"{prefix}institution_id__in": self.institution_ids})
        if self.prefecture:
            q &= Q(**{f"{prefix}prefecture_id": self.prefecture})
        if self.base_ids is not None:
            q &= Q(**{f"{prefix}pk__in": self.base_ids})
        return q

    def bases(self):
        """Every base of the scope, whatever its status."""
        return Base.objects.filter(self.base_q())

    def with_year(self, year: int) -> "Scope":
        return Scope(year, self.authority_ids, self.institution_ids, self.prefecture, self.base_ids)

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


def may_read_statistics(user) -> bool:
    """Authority staff (the provincial administrator included) read the cockpit; institution staff read their
    own bases' figures."""
    actor = actor_for(user)
    return actor.is_authority_staff or actor.is_institution_staff


def authorities_of(user):
    """The authorities a user may filter by: every authority for the province, else their own (by kind, name)."""
    actor = actor_for(user)
    qs = Organization.objects.filter(kind__in=Organization.AUTHORITY_KINDS)
    if not actor.is_provincial:
        qs = qs.filter(pk__in=actor.authority_ids)
    return qs.order_by("kind", "name")


def prefectures():
    return Region.objects.filter(level=Region.Level.PREFECTURE).order_by("code")


def scope_for(
    user, *, year: int | None = None, authority_id: int | None = None, prefecture: str = ""
) -> Scope:
    """Return the Scope of a user's request, or raise PermissionRefused (403: a role that reads no statistics)
    or NotVisible (404: an authority outside the user's jurisdiction, an unknown prefecture)."""
    actor = actor_for(user)
    if not may_read_statistics(user):
        raise PermissionRefused(_("您的角色无权查看统计数据。"))
    year = year or current_year()
    if prefecture and not Region.objects.filter(code=prefecture, level=Region.Level.PREFECTURE).exists():
        raise NotVisible(_("未找到该市（州）。"))
    if actor.is_provincial:
        authority_ids = None
    elif actor.is_authority_staff:
        authority_ids = frozenset(actor.authority_ids)
    else:
        authority_ids = None
    if authority_id is not None:
        if not authorities_of(user).filter(pk=authority_id).exists():
            raise NotVisible(_("未找到该部门。"))
        authority_ids = frozenset({authority_id})
    institution_ids = None
    if not actor.is_authority_staff:
        # Institution staff: their own bases only, whichever authority approved them.
        institution_ids = frozenset(actor.institution_ids)
    return Scope(year, authority_ids, institution_ids, prefecture)


def base_scope_for(user, *, base_id: int, year: int | None = None) -> Scope:
    """The Scope of one base's figures, for its institution's staff and the authorities that see it; NotVisible
    (404) for a base outside the user's jurisdiction, PermissionRefused (403) for a role without statistics."""
    if not may_read_statistics(user):
        raise PermissionRefused(_("您的角色无权查看统计数据。"))
    visible = restrict(
        Base.objects.all(), user, authority_field="approving_authority_id", institution_field="institution_id"
    )
    if not visible.filter(pk=base_id).exists():
        raise NotVisible(_("未找到该基地。"))
    return Scope(year or current_year(), base_ids=frozenset({base_id}))


def province_scope(year: int) -> Scope:
    """The whole province, for the public open data and the precomputation job (no user)."""
    return Scope(year)


def scope_is_within_jurisdiction(user, scope: Scope) -> bool:
    """True when every base of the scope is one the user may see (a check the tests use on every scope)."""
    visible = restrict(
        Base.objects.all(), user, authority_field="approving_authority_id", institution_field="institution_id"
    )
    return not scope.bases().exclude(pk__in=visible.values("pk")).exists()
