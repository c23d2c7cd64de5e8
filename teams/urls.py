from django.urls import path

from . import views

app_name = "teams"

# The fixed words come first: they are reserved slugs, so no team shadows them.
urlpatterns = [
    path("hub/", views.hub, name="hub"),
    path("search/", views.search, name="search"),
    path("create/", views.create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/disband/", views.disband, name="disband"),
]
