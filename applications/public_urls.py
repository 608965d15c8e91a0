"""Public addresses of the recognition workflow that live beside the notices: lodging an objection to a 公示."""

from django.urls import path

from .views import objections

app_name = "publicity"

urlpatterns = [
    path("notices/<int:pk>/objection/", objections.objection_lodge, name="objection"),
]
