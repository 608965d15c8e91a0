from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("language/", views.switch_language, name="language"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the static file.
    path("favicon.ico", views.favicon, name="favicon"),
]
