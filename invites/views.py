"""Pages for invitees (/invites/) and for teams (/teams/<slug>/invites/).

Views parse the form, call one service and render. Refusals on plain actions
propagate to core.middleware.DomainErrorMiddleware; refusals on a form are
shown next to the form with the refusal's status code.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from teams.permissions import active_membership, require
from teams.selectors import team_by_old_slug, team_get_by_slug

from . import selectors, services
from .forms import InviteForm, InviteLinkForm, JoinRequestForm
from .services.common import team_url
from .services.direct import MSG_ALREADY_JOINED
from .services.join_requests import MSG_PRIVATE_TEAM
from .services.links import DEAD_LINK_CODES

MSG_TEAM_NOT_FOUND = "No team has this address. It may have been renamed or removed."
MSG_INVITE_SENT = "Invite sent to {invitee}. It expires in {days} days."
MSG_INVITE_CANCELLED = "Invite to {invitee} cancelled."
MSG_INVITE_ACCEPTED = "Welcome to {team}! You joined as {role}."
MSG_INVITE_DECLINED = "You declined the invite from {team}."
MSG_LINK_CREATED = "Invite link created. Copy it now: it is shown only once."
MSG_LINK_REVOKED = "Invite link revoked. Nobody can join through it any more."
MSG_LINK_JOINED = "Welcome to {team}! You joined as {role}."
MSG_REQUEST_SENT = "Request sent. The captain and co-captains of {team} will answer."
MSG_REQUEST_WITHDRAWN = "Your request to join {team} was withdrawn."
MSG_REQUEST_APPROVED = "{player} joined the team as {role}."
MSG_REQUEST_REJECTED = "Request from {player} rejected."
MSG_NOT_RECRUITING_HINT = (
    "{team} is not recruiting at the moment, so it takes no join requests."
)

SESSION_NEW_LINKS = "invites_new_link_tokens"


def _load_team(slug):
    """Return the team of the URL, following an old slug, or raise NotFound."""
    team = team_get_by_slug(slug)
    if team is None:
        moved = team_by_old_slug(slug)
        if moved is None:
            raise NotFound(MSG_TEAM_NOT_FOUND, code="team_not_found")
        return moved
    return team


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _shown_on_form(error):
    """Return whether a service error is shown next to the form that caused it."""
    return not isinstance(error, PermissionDenied | RateLimited)


# Invitee pages


@login_required
def inbox(request):
    return render(
        request,
        "invites/inbox.html",
        {
            "pending_invites": selectors.pending_invites_for_user(request.user),
            "past_invites": selectors.recent_invites_for_user(request.user),
            "join_requests": selectors.join_requests_for_user(request.user),
        },
    )


@login_required
@require_POST
def accept(request, invite_id):
    membership, joined = services.invite_accept(invite_id, user=request.user)
    team = membership.team
    if joined:
        messages.success(
            request,
            MSG_INVITE_ACCEPTED.format(
                team=team.name, role=membership.get_role_display().lower()
            ),
        )
    else:
        messages.info(request, MSG_ALREADY_JOINED.format(team=team.name))
    return redirect(team_url(team))


@login_required
@require_POST
def decline(request, invite_id):
    invite = services.invite_decline(invite_id, user=request.user)
    messages.info(request, MSG_INVITE_DECLINED.format(team=invite.team.name))
    return redirect("invites:inbox")


@require_http_methods(["GET", "POST"])
def link_landing(request, token):
    """Show what an invite link offers; a POST joins. GET never joins."""
    link = services.invite_link_get(token)
    team = link.team
    user = request.user
    if user.is_authenticated and active_membership(user, team) is not None:
        messages.info(request, MSG_ALREADY_JOINED.format(team=team.name))
        return redirect(team_url(team))
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership, _joined = services.invite_link_join(token, user=user)
        except Conflict as error:
            if error.code not in DEAD_LINK_CODES:
                raise
            return _dead_link(request, link, error)
        messages.success(
            request,
            MSG_LINK_JOINED.format(
                team=team.name, role=membership.get_role_display().lower()
            ),
        )
        return redirect(team_url(team))
    try:
        services.invite_link_check(link)
    except Conflict as error:
        return _dead_link(request, link, error)
    return render(request, "invites/link_landing.html", {"link": link, "team": team})


def _dead_link(request, link, error):
    """Offer a join request (or the team page) in place of an unusable link."""
    team = link.team
    return render(
        request,
        "invites/link_dead.html",
        {
            "team": team,
            "error": error,
            "can_request": team.is_active
            and team.is_recruiting
            and not team.is_private,
            "not_recruiting": MSG_NOT_RECRUITING_HINT.format(team=team.name),
            "team_url": team_url(team),
        },
        status=error.status,
    )


# Team pages for the captain and co-captains


def _manage_context(request, team, **forms):
    return {
        "team": team,
        "invite_form": forms.get("invite_form") or InviteForm(),
        "link_form": forms.get("link_form") or InviteLinkForm(),
        "pending_invites": selectors.pending_invites_for_team(team),
        "join_requests": selectors.pending_join_requests_for_team(team),
        "links": selectors.invite_links_for_team(team),
        "can_manage": True,
        "team_url": team_url(team),
    }


@login_required
def manage(request, slug):
    team = _load_team(slug)
    require("manage_invites", request.user, team)
    return render(request, "invites/team_manage.html", _manage_context(request, team))


def _render_form_error(request, team, error, form_name, form):
    form.add_error(None, error.message)
    context = _manage_context(request, team, **{form_name: form})
    return render(request, "invites/team_manage.html", context, status=error.status)


@login_required
@require_POST
def send(request, slug):
    team = _load_team(slug)
    require("manage_invites", request.user, team)
    form = InviteForm(request.POST)
    if not form.is_valid():
        context = _manage_context(request, team, invite_form=form)
        return render(request, "invites/team_manage.html", context, status=400)
    try:
        invite = services.invite_send(
            team,
            actor=request.user,
            target=form.cleaned_data["target"],
            role=form.cleaned_data["role"],
            signup_url=request.build_absolute_uri(reverse("account_signup")),
        )
    except DomainError as error:
        if not _shown_on_form(error):
            raise
        return _render_form_error(request, team, error, "invite_form", form)
    days = (invite.expires_at - invite.created_at).days
    messages.success(
        request, MSG_INVITE_SENT.format(invitee=invite.invitee_label, days=days)
    )
    return redirect("team_invites:manage", slug=team.slug)


@login_required
@require_POST
def cancel(request, slug, invite_id):
    team = _load_team(slug)
    invite = services.invite_cancel(team, invite_id, actor=request.user)
    messages.info(request, MSG_INVITE_CANCELLED.format(invitee=invite.invitee_label))
    default = reverse("team_invites:manage", kwargs={"slug": team.slug})
    return redirect(_safe_next(request, default))


@login_required
@require_POST
def link_create(request, slug):
    team = _load_team(slug)
    require("manage_invites", request.user, team)
    form = InviteLinkForm(request.POST)
    if not form.is_valid():
        context = _manage_context(request, team, link_form=form)
        return render(request, "invites/team_manage.html", context, status=400)
    try:
        link, token = services.invite_link_create(
            team, actor=request.user, **form.cleaned_data
        )
    except DomainError as error:
        if not _shown_on_form(error):
            raise
        return _render_form_error(request, team, error, "link_form", form)
    # The token is shown once, on the next page, and then dropped.
    tokens = request.session.get(SESSION_NEW_LINKS, {})
    tokens[str(link.pk)] = token
    request.session[SESSION_NEW_LINKS] = tokens
    messages.success(request, MSG_LINK_CREATED)
    return redirect("team_invites:link_detail", slug=team.slug, link_id=link.pk)


@login_required
def link_detail(request, slug, link_id):
    team = _load_team(slug)
    require("manage_invites", request.user, team)
    link = services.invite_link_for_team(team, link_id)
    tokens = request.session.get(SESSION_NEW_LINKS, {})
    token = tokens.pop(str(link.pk), None)
    if token is not None:
        request.session[SESSION_NEW_LINKS] = tokens
    link_url = (
        request.build_absolute_uri(reverse("invites:link", kwargs={"token": token}))
        if token
        else ""
    )
    return render(
        request,
        "invites/link_detail.html",
        {
            "team": team,
            "link": link,
            "link_url": link_url,
            "uses": selectors.invite_link_uses(link),
        },
    )


@login_required
@require_POST
def link_revoke(request, slug, link_id):
    team = _load_team(slug)
    services.invite_link_revoke(team, link_id, actor=request.user)
    messages.info(request, MSG_LINK_REVOKED)
    return redirect("team_invites:manage", slug=team.slug)


@login_required
@require_POST
def request_approve(request, slug, request_id):
    team = _load_team(slug)
    membership = services.join_request_approve(team, request_id, actor=request.user)
    messages.success(
        request,
        MSG_REQUEST_APPROVED.format(
            player=membership.profile.handle,
            role=membership.get_role_display().lower(),
        ),
    )
    return redirect("team_invites:manage", slug=team.slug)


@login_required
@require_POST
def request_reject(request, slug, request_id):
    team = _load_team(slug)
    join_request = services.join_request_reject(team, request_id, actor=request.user)
    messages.info(
        request, MSG_REQUEST_REJECTED.format(player=join_request.profile.handle)
    )
    return redirect("team_invites:manage", slug=team.slug)


# The join-request form for players


@login_required
@require_http_methods(["GET", "POST"])
def join_request(request, slug):
    team = _load_team(slug)
    form = JoinRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(team, user=request.user, **form.cleaned_data)
        except DomainError as error:
            if not _shown_on_form(error):
                raise
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, MSG_REQUEST_SENT.format(team=team.name))
            return redirect("team_invites:request", slug=team.slug)
    elif request.method == "POST":
        status = 400
    is_member = active_membership(request.user, team) is not None
    return render(
        request,
        "invites/join_request.html",
        {
            "team": team,
            "form": form,
            "pending": selectors.pending_join_request(team, request.user),
            "is_member": is_member,
            "invite_only": team.is_private and not is_member,
            "invite_only_message": MSG_PRIVATE_TEAM.format(team=team.name),
            "team_url": team_url(team),
        },
        status=status,
    )


@login_required
@require_POST
def join_request_withdraw(request, slug):
    team = _load_team(slug)
    services.join_request_withdraw(team, user=request.user)
    messages.info(request, MSG_REQUEST_WITHDRAWN.format(team=team.name))
    return redirect("team_invites:request", slug=team.slug)
