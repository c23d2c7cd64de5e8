from django.urls import path

from . import views

app_name = "roster"

# Mounted under /teams/<slug:slug>/roster/, so every view receives ``slug``.
urlpatterns = [
    path("", views.roster_page, name="page"),
    path("role/", views.roster_role, name="role"),
    path("remove/", views.roster_remove, name="remove"),
    path("transfer/", views.roster_transfer, name="transfer"),
    path("leave/", views.roster_leave_view, name="leave"),
]
