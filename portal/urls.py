from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("language/", views.switch_language, name="language"),
]
