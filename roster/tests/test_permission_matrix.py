"""Who may do what on the roster, through the pages and the admin."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from roster.models import RosterLock
from teams.models import Membership

ALLOWED = "allowed"
DENIED = "403"
LOGIN = "login"  # anonymous: redirect to the sign-in page
ADMIN_LOGIN = "admin login"  # the admin sends non-staff to its own sign-in
MUST_TRANSFER = "409"  # a captain leaves only after a transfer

ACTORS = [
    "captain", "co_captain", "player", "substitute", "coach",
    "non_member", "anonymous", "staff",
]  # fmt: skip

# action: expected outcome per actor, in the order of ACTORS.
MATRIX = {
    "view": [ALLOWED] * 5 + [DENIED, LOGIN, ALLOWED],
    "change_role": [ALLOWED, ALLOWED] + [DENIED] * 4 + [LOGIN, DENIED],
    "remove": [ALLOWED, ALLOWED] + [DENIED] * 4 + [LOGIN, DENIED],
    "transfer": [ALLOWED] + [DENIED] * 5 + [LOGIN, DENIED],
    "leave": [MUST_TRANSFER] + [ALLOWED] * 4 + [DENIED, LOGIN, DENIED],
    "lock": [ADMIN_LOGIN] * 7 + [ALLOWED],
}

ROSTER_SIZE = 6  # the members of the roster fixture

CASES = [
    pytest.param(actor, action, outcomes[index], id=f"{action}-{actor}")
    for action, outcomes in MATRIX.items()
    for index, actor in enumerate(ACTORS)
]


def _actor_user(roster, actor, staff_user):
    if actor == "anonymous":
        return None
    if actor == "staff":
        return staff_user
    if actor == "non_member":
        return UserFactory()
    return roster.user(actor)


def _request(client, roster, action):
    slug = roster.team.slug
    target = {"membership": roster.target.pk}
    if action == "view":
        return client.get(reverse("roster:page", kwargs={"slug": slug}))
    if action == "change_role":
        data = {**target, "role": "substitute"}
        return client.post(reverse("roster:role", kwargs={"slug": slug}), data)
    if action == "remove":
        return client.post(reverse("roster:remove", kwargs={"slug": slug}), target)
    if action == "transfer":
        return client.post(reverse("roster:transfer", kwargs={"slug": slug}), target)
    if action == "leave":
        return client.post(reverse("roster:leave", kwargs={"slug": slug}))
    return client.post(
        reverse("admin:roster_lockableteam_changelist"),
        {
            "action": "lock_rosters",
            "_selected_action": [roster.team.pk],
            "apply": "1",
            "until": "",
            "reason": "Finals",
        },
    )


def _took_effect(roster, action, actor_user):
    target = Membership.objects.get(pk=roster.target.pk)
    if action == "change_role":
        return target.role == "substitute"
    if action == "remove":
        return target.status == "ended"
    if action == "transfer":
        return target.role == "captain"
    if action == "leave":
        return (
            Membership.objects.filter(team=roster.team, status="active").count()
            < ROSTER_SIZE
        )
    if action == "lock":
        return RosterLock.objects.filter(team=roster.team).exists()
    return False


@pytest.mark.parametrize(("actor", "action", "expected"), CASES)
def test_roster_permission_matrix(client, roster, staff_user, actor, action, expected):
    actor_user = _actor_user(roster, actor, staff_user)
    if actor_user is not None:
        client.force_login(actor_user)

    response = _request(client, roster, action)

    if expected == ALLOWED:
        assert response.status_code == (200 if action == "view" else 302)
        if action != "view":
            assert _took_effect(roster, action, actor_user)
        return
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif expected == MUST_TRANSFER:
        assert response.status_code == 409
    else:
        assert response.status_code == 403
    if action != "view":
        assert not _took_effect(roster, action, actor_user)
