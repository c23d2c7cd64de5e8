from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("<str:handle>/", views.player_detail, name="player_detail"),
    path("<str:handle>/edit/", views.profile_edit, name="profile_edit"),
]
