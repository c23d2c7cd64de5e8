from django.urls import path

from . import views

app_name = "invites"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:invite_id>/accept/", views.accept, name="accept"),
    path("<int:invite_id>/decline/", views.decline, name="decline"),
    path("link/<str:token>/", views.link_landing, name="link"),
]
