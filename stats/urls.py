from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
    path("bases/<int:pk>/", views.base_figures, name="base"),
    path("public/", views.public, name="public"),
    path("public/download/", views.public_download, name="public_download"),
]
