"""Every irreversible step asks first: the transition carries the question that the page puts in data-confirm."""

import pytest

from applications import workflow as application_workflow
from inspections import workflow as inspection_workflow
from plans import workflow as plan_workflow


@pytest.mark.parametrize(
    ("machine", "action"),
    [
        (plan_workflow.MACHINE, "submit_to_host"),
        (inspection_workflow.INSPECTION, "confirm"),
        (inspection_workflow.MACHINE, "accept"),
        (application_workflow.MACHINE, "submit"),
    ],
)
def test_irreversible_transition_asks_for_confirmation(machine, action):
    assert str(machine.transition(action).confirm).endswith("？")
