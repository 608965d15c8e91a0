"""我的待办 of the new waiting work (issue 18): the batch whose panel waits, the decision after the panel."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def todo_items(client, user):
    client.force_login(user)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    return [item for section in response.context["sections"] for item in section.items]


def test_the_reviewer_is_told_the_panel_sheet_waits_and_it_opens(client, world):
    world.to_state("panel_review")
    world.to_state("panel_review", **world.applicant("乙学院"))
    url = reverse("applications:panel", args=[world.cd_batch.pk])
    (item,) = [i for i in todo_items(client, world.cd_reviewer) if i.url == url]
    assert "成都批次" in item.title and "2 项申报待评审会评审" in item.detail
    assert client.get(url).status_code == 200
    assert not [i for i in todo_items(client, world.my_reviewer) if i.url == url]


def test_the_approver_is_told_of_each_decision_after_the_panel(client, world):
    app = world.to_state("decision")
    url = reverse("applications:detail", args=[app.pk])
    titles = [i.title for i in todo_items(client, world.cd_approver) if i.url == url]
    assert titles == [f"待作出认定决定：{app}"]
    # The reviewer's list no longer carries it, and the applicant reads who acts next.
    assert not [i for i in todo_items(client, world.cd_reviewer) if i.url == url]
    (progress,) = [i for i in todo_items(client, world.operator) if i.url == url]
    assert progress.next_step == "等待成都市人力资源和社会保障局作出认定决定"
