from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.errors import DomainError, NotFound

from . import permissions, selectors, services
from .forms import (
    DisbandForm,
    TeamCreateForm,
    TeamForm,
    TeamSearchForm,
    team_form_initial,
)
from .page_sections import team_page_sections

MSG_TEAM_NOT_FOUND = "No team has this address. It may have been renamed or removed."

# Service error code -> the form field the message belongs to.
ERROR_FIELDS = {
    "name_taken": "name",
    "name_empty": "name",
    "name_length": "name",
    "rename_cooldown": "name",
    "no_slug": "name",
    "tag_taken": "tag",
    "tag_length": "tag",
    "tag_characters": "tag",
    "already_in_game": "game",
}


def _add_domain_error(form, error):
    field = ERROR_FIELDS.get(error.code)
    if error.code.startswith("invalid_"):
        field = error.code.removeprefix("invalid_")
    form.add_error(field if field in form.fields else None, error.message)


def _moved(request, view_name, slug):
    """Return a permanent redirect from an old slug to the current URL."""
    url = reverse(view_name, kwargs={"slug": slug})
    if request.GET:
        url = f"{url}?{request.GET.urlencode()}"
    return redirect(url, permanent=True)


def hub(request):
    return render(request, "teams/hub.html", {"hub": selectors.hub_page()})


def detail(request, slug):
    team_detail = selectors.team_detail(slug, request.user)
    if team_detail is None:
        raise NotFound(MSG_TEAM_NOT_FOUND)
    if team_detail.redirect_slug:
        return _moved(request, "teams:detail", team_detail.redirect_slug)
    context = {"detail": team_detail, "team": team_detail.team}
    if team_detail.can_view_full:
        context.update(team_page_sections(team_detail.team))
    return render(request, "teams/detail.html", context)


def search(request):
    form = TeamSearchForm(request.GET or None)
    filters = selectors.SearchFilters()
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            filters = selectors.SearchFilters(
                query=data["q"].strip(),
                game=data["game"],
                region=data["region"],
                recruiting=data["recruiting"],
                sort=data["sort"] or "points",
            )
        else:
            status = 400
    page = selectors.team_search(
        filters, user=request.user, page_number=request.GET.get("page") or 1
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "teams/search.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query_string": query.urlencode(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    permissions.require("create_team", request.user)
    status = 200
    if request.method == "POST":
        form = TeamCreateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                team = services.team_create(
                    user=request.user,
                    game=form.cleaned_data["game"],
                    **form.team_fields(),
                )
            except DomainError as error:
                _add_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, f"{team.name} is ready. You are its captain.")
                return redirect("teams:detail", slug=team.slug)
        else:
            status = 400
    else:
        form = TeamCreateForm(initial={"game": request.GET.get("game")})
    return render(request, "teams/team_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    team, moved_to = selectors.team_get_for_edit(slug, request.user)
    if team is None:
        raise NotFound(MSG_TEAM_NOT_FOUND)
    if moved_to:
        return _moved(request, "teams:edit", moved_to)
    status = 200
    if request.method == "POST":
        form = TeamForm(request.POST, request.FILES, initial=team_form_initial(team))
        if form.is_valid():
            try:
                team = services.team_update(
                    team, actor=request.user, **form.team_fields()
                )
            except DomainError as error:
                _add_domain_error(form, error)
                status = error.status
                team.refresh_from_db()
            else:
                messages.success(request, "Team saved.")
                return redirect("teams:detail", slug=team.slug)
        else:
            status = 400
    else:
        form = TeamForm(initial=team_form_initial(team))
    return render(
        request,
        "teams/team_form.html",
        {
            "form": form,
            "team": team,
            "can_disband": permissions.can_disband_team(request.user, team),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def disband(request, slug):
    team, moved_to = selectors.team_get_for_edit(
        slug, request.user, action="disband_team"
    )
    if team is None:
        raise NotFound(MSG_TEAM_NOT_FOUND)
    if moved_to:
        return _moved(request, "teams:disband", moved_to)
    status = 200
    if request.method == "POST":
        form = DisbandForm(request.POST)
        if form.is_valid():
            services.team_disband(team, actor=request.user)
            messages.success(request, f"{team.name} was disbanded.")
            return redirect("teams:hub")
        status = 400
    else:
        form = DisbandForm()
    return render(
        request, "teams/disband.html", {"form": form, "team": team}, status=status
    )
