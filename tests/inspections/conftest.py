"""Fixtures of supervision: a Registry with a second reviewer per city, the province's staff and one base."""

import pytest
from django.utils import timezone

from accounts.models import Role
from inspections import services
from inspections.models import ITEM_KEYS
from tests.bases.conftest import Registry
from tests.factories import member

TODAY = timezone.localdate()


class World(Registry):
    def __init__(self):
        super().__init__()
        self.cd_reviewer2 = member(self.chengdu, Role.AUTHORITY_REVIEWER, username="cd_reviewer2")
        self.my_reviewer = member(self.mianyang, Role.AUTHORITY_REVIEWER, username="my_reviewer")
        self.sc_reviewer2 = member(self.province, Role.AUTHORITY_REVIEWER, username="sc_reviewer2")
        self.sc_approver = member(self.province, Role.AUTHORITY_APPROVER, username="sc_approver")
        self.b = self.base(name="受检基地")

    def spot(self, base=None, authority=None, actor=None, **kw):
        return services.round_create(
            actor=actor or self.cd_reviewer,
            authority=authority or self.chengdu,
            kind="spot_check",
            year=TODAY.year,
            title="专项抽查",
            base_ids=[(base or self.b).pk],
            **kw,
        )

    def score(self, insp, value, actor=None, inspectors=None):
        return services.inspection_score(
            actor=actor or self.cd_reviewer,
            inspection_id=insp.pk,
            inspected_on=TODAY,
            inspectors=inspectors or [self.cd_reviewer, self.cd_reviewer2],
            scores=dict.fromkeys(ITEM_KEYS, value),
            notes={},
            conclusion="检查意见",
        )


@pytest.fixture
def w(db):
    return World()
