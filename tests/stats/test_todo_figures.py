"""我的待办 starts with the key figures of the user's jurisdiction (issue 15)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(world):
    return [
        world.base(),
        world.base(authority=world.mianyang, prefecture="510700", institution=world.other_institution),
    ]


def test_the_provincial_administrator_sees_the_provinces_key_figures(client, provincial_admin, spread):
    client.force_login(provincial_admin)
    response = client.get(reverse("portal:dashboard"))
    assert response.context["figures"]["bases"]["recognised"] == 2
    assert 'data-testid="todo-key-figures"' in response.content.decode()


def test_an_authority_sees_the_figures_of_its_own_bases(client, my_reviewer, spread):
    client.force_login(my_reviewer)
    response = client.get(reverse("portal:dashboard"))
    assert response.context["figures"]["bases"]["recognised"] == 1


def test_institutions_and_experts_see_no_figures(client, inst_admin, expert):
    for user in (inst_admin, expert):
        client.force_login(user)
        response = client.get(reverse("portal:dashboard"))
        assert response.context["figures"] is None
        assert 'data-testid="todo-key-figures"' not in response.content.decode()
