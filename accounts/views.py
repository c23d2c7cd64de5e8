from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from core.errors import DomainError, NotFound, PermissionDenied
from core.markdown import render_markdown
from games.selectors import game_list_active

from .forms import GameAccountsForm, ProfileForm
from .selectors import profile_get_by_handle
from .services import game_accounts_save, profile_update

MSG_NO_PLAYER = "No player has the handle “{handle}”. Check the spelling."
MSG_NOT_YOUR_PROFILE = "You can edit only your own profile."


def player_detail(request, handle):
    profile = profile_get_by_handle(handle)
    if profile is None:
        raise NotFound(MSG_NO_PLAYER.format(handle=handle))
    return render(
        request,
        "accounts/player_detail.html",
        {
            "profile": profile,
            "bio_html": render_markdown(profile.bio),
            "game_accounts": profile.game_accounts.all(),
            "can_edit": request.user.is_authenticated
            and profile.user_id == request.user.pk,
        },
    )


@login_required
def profile_edit(request, handle):
    profile = profile_get_by_handle(handle)
    if profile is None:
        raise NotFound(MSG_NO_PLAYER.format(handle=handle))
    if profile.user_id != request.user.pk:
        raise PermissionDenied(MSG_NOT_YOUR_PROFILE)
    games = game_list_active()
    accounts = profile.game_accounts.all()
    initial = {
        "display_name": profile.display_name,
        "country": profile.country.code if profile.country else "",
        "bio": profile.bio,
        # The current file lets the avatar widget offer its "clear" box.
        "avatar": profile.avatar or None,
    }
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, initial=initial)
        accounts_form = GameAccountsForm(request.POST, games=games, accounts=accounts)
        status = 400
        if form.is_valid() and accounts_form.is_valid():
            try:
                with transaction.atomic():
                    profile_update(profile, **form.cleaned_data)
                    game_accounts_save(profile, accounts_form.entries())
            except DomainError as error:
                accounts_form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, "Profile saved.")
                return redirect("accounts:player_detail", handle=profile.handle)
    else:
        status = 200
        form = ProfileForm(initial=initial)
        accounts_form = GameAccountsForm(games=games, accounts=accounts)
    return render(
        request,
        "accounts/profile_edit.html",
        {"profile": profile, "form": form, "accounts_form": accounts_form},
        status=status,
    )
