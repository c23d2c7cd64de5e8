from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

# allauth renders its own rate-limit responses with this view.
handler429 = "core.views.too_many_requests"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="teams:hub", permanent=False)),
    path("", include("core.urls")),
    path("accounts/", include("allauth.urls")),
    path("players/", include("accounts.urls")),
    path("teams/leaderboard/", include("rankings.urls")),
    path("teams/<slug:slug>/roster/", include("roster.urls")),
    path("teams/<slug:slug>/invites/", include("invites.team_urls")),
    path("teams/", include("teams.urls")),
    path("notifications/", include("notifications.urls")),
    path("invites/", include("invites.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
