import pytest
from django.contrib.auth.models import Group

from clusters.access import Role, can_edit_interview, role_of, scope_to_clusters, visible_actors, visible_clusters
from clusters.models import Membership

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_exist_with_their_permissions():
    researcher = Group.objects.get(name="field researcher")
    coordinator = Group.objects.get(name="coordinator")
    manager = Group.objects.get(name="manager")
    perms = lambda group: set(group.permissions.values_list("codename", flat=True))  # noqa: E731
    assert {"add_interview", "change_interview", "add_actor"} <= perms(researcher)
    assert "review_interview" not in perms(researcher)
    assert {"review_interview", "publish_questionnaireversion", "change_cluster", "add_reportjob"} <= perms(coordinator)
    assert "add_interview" not in perms(coordinator)
    assert "add_reportjob" in perms(manager)
    assert not any(p.startswith(("add_", "change_", "delete_")) and p != "add_reportjob" for p in perms(manager))


def test_each_persona_has_its_role(world):
    expected = {
        "researcher_a": Role.RESEARCHER,
        "coordinator": Role.COORDINATOR,
        "manager": Role.MANAGER,
        "admin": Role.ADMIN,
    }
    for persona, role in expected.items():
        assert role_of(world.users[persona]) == role


def test_researchers_see_only_the_clusters_on_whose_team_they_are(world):
    assert list(visible_clusters(world.users["researcher_a"])) == [world.cluster_a]
    assert list(visible_clusters(world.users["researcher_b"])) == [world.cluster_b]
    assert visible_clusters(world.users["manager"]).count() == 2


def test_researchers_see_only_the_actors_of_their_clusters(world):
    actors = set(visible_actors(world.users["researcher_a"]))
    assert actors == {world.actor_a, world.actor_a2}
    assert world.actor_b not in actors


def test_scoping_any_queryset_through_its_cluster(world):
    memberships = Membership.objects.all()
    assert set(scope_to_clusters(memberships, world.users["researcher_b"])) == {world.membership_b}
    assert scope_to_clusters(memberships, world.users["coordinator"]).count() == 3


def test_a_user_without_a_group_sees_nothing(db):
    from tests.factories import UserFactory

    nobody = UserFactory()
    assert role_of(nobody) == Role.NONE
    assert not visible_clusters(nobody).exists()
    assert not visible_actors(nobody).exists()


def test_only_whoever_recorded_an_interview_edits_it_and_only_until_it_is_submitted(world):
    researcher = world.users["researcher_a"]
    assert can_edit_interview(researcher, world.interview_a)
    assert not can_edit_interview(researcher, world.submitted_interview_a)  # sent for review
    assert not can_edit_interview(researcher, world.other_draft_a)  # a colleague's, same cluster
    world.interview_a.status = "returned"
    assert can_edit_interview(researcher, world.interview_a)  # returned to her with comments
    for persona in ("coordinator", "manager", "admin"):
        assert not can_edit_interview(world.users[persona], world.interview_a)
