from django.urls import path

from . import views

app_name = "team_invites"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("send/", views.send, name="send"),
    path("<int:invite_id>/cancel/", views.cancel, name="cancel"),
    path("links/", views.link_create, name="link_create"),
    path("links/<int:link_id>/", views.link_detail, name="link_detail"),
    path("links/<int:link_id>/revoke/", views.link_revoke, name="link_revoke"),
    path(
        "requests/<int:request_id>/approve/",
        views.request_approve,
        name="request_approve",
    ),
    path(
        "requests/<int:request_id>/reject/",
        views.request_reject,
        name="request_reject",
    ),
    path("request/", views.join_request, name="request"),
    path("request/withdraw/", views.join_request_withdraw, name="request_withdraw"),
]
