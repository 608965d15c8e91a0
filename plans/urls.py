from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("start/", views.plan_start, name="start"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/items/", views.item_save, name="item_add"),
    path("<int:pk>/items/<int:item_id>/", views.item_save, name="item_edit"),
    path("<int:pk>/items/<int:item_id>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/transition/", views.plan_transition, name="transition"),
    path("<int:pk>/amend/", views.amendment_start, name="amend"),
    path("<int:pk>/delete/", views.plan_delete, name="delete"),
    path("<int:pk>/classes/", views.class_create, name="class_create"),
    path("classes/", views.class_list, name="classes"),
    path("classes/<int:pk>/", views.class_detail, name="class"),
    path("evaluations/<int:base_id>/<int:year>/", views.yearly_evaluation, name="yearly_evaluation"),
]
