from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .selectors import notification_page
from .services import notification_mark_all_read, notification_mark_read


@login_required
def notification_list(request):
    page = notification_page(request.user, cursor=request.GET.get("cursor"))
    return render(
        request,
        "notifications/list.html",
        {
            "notifications": page.items,
            "next_cursor": page.next_cursor,
            "cursor": request.GET.get("cursor", ""),
        },
    )


def _back_to_list(request):
    """Redirect to a same-site ``next`` URL, or to the list page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("notifications:list"))


@require_POST
@login_required
def notification_read(request, notification_id):
    notification_mark_read(request.user, notification_id)
    return _back_to_list(request)


@require_POST
@login_required
def notification_read_all(request):
    count = notification_mark_all_read(request.user)
    messages.success(
        request,
        f"Marked {count} notification{'' if count == 1 else 's'} as read.",
    )
    return _back_to_list(request)
