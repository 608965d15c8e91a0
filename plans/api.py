"""API of annual plans (+ items) and training classes."""

import django_filters
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kit.drf import id_filter, year_filter

from . import selectors, workflow
from .models import CLASS_FIELDS, ITEM_FIELDS, AnnualPlan, PlanItem, PlanState, TrainingClass


class PlanItemSerializer(serializers.ModelSerializer):
    preference_regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = PlanItem
        fields = ["id", *ITEM_FIELDS, "preference_regions"]


class PlanSerializer(serializers.ModelSerializer):
    base_name = serializers.CharField(source="base.name", read_only=True)
    authority = serializers.IntegerField(source="base.approving_authority_id", read_only=True)
    items = PlanItemSerializer(many=True, read_only=True)
    totals = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "base",
            "base_name",
            "authority",
            "year",
            "kind",
            "amends",
            "state",
            "is_late",
            "first_submitted_at",
            "filed_at",
            "summary_narrative",
            "amendment_reason",
            "items",
            "totals",
            "available_actions",
        ]

    def get_totals(self, obj) -> dict:
        totals = selectors.plan_totals(obj)
        totals["hours"] = str(totals["hours"])
        return totals

    def get_available_actions(self, obj) -> list[str]:
        return [t.action for t in workflow.MACHINE.available(obj, self.context["request"].user)]


class PlanFilter(django_filters.FilterSet):
    year = year_filter()
    state = django_filters.ChoiceFilter(choices=PlanState.choices)
    late = django_filters.BooleanFilter(field_name="is_late")
    authority = id_filter(field_name="base__approving_authority_id")

    class Meta:
        model = AnnualPlan
        fields = ["year", "state", "late", "authority"]


class PlanTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=workflow.ACTIONS)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Annual plans visible to the user, with their items (R-22)."""

    serializer_class = PlanSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PlanFilter
    queryset = AnnualPlan.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            selectors.plans_visible_to(self.request.user)
            .select_related("base")
            .prefetch_related("items__preference_regions")
            .order_by("-year", "id")
        )

    @extend_schema(request=PlanTransitionSerializer, responses={200: PlanSerializer})
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Run a workflow action on the annual plan; `available_actions` lists those the user may run."""
        data = PlanTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = selectors.plans_visible_to(request.user).filter(pk=pk).first()
        if plan is None:
            raise Http404
        workflow.MACHINE.run(
            plan,
            data.validated_data["action"],
            actor=request.user,
            comment=data.validated_data.get("comment", ""),
        )
        return Response(PlanSerializer(self.get_queryset().get(pk=pk), context={"request": request}).data)


class TrainingClassSerializer(serializers.ModelSerializer):
    base_name = serializers.CharField(source="base.name", read_only=True)
    plan = serializers.IntegerField(source="plan_item.plan_id", read_only=True)

    class Meta:
        model = TrainingClass
        fields = [
            "id",
            "base",
            "base_name",
            "plan",
            "plan_item",
            "year",
            *CLASS_FIELDS,
            "status",
            "enrolled_count",
            "completed_count",
            "satisfaction",
        ]


class ClassFilter(django_filters.FilterSet):
    base = id_filter()
    year = year_filter()
    status = django_filters.ChoiceFilter(choices=TrainingClass.Status.choices)

    class Meta:
        model = TrainingClass
        fields = ["base", "year", "status"]


class TrainingClassViewSet(viewsets.ReadOnlyModelViewSet):
    """Training classes visible to the user (R-23)."""

    serializer_class = TrainingClassSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClassFilter
    queryset = TrainingClass.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            selectors.classes_visible_to(self.request.user)
            .select_related("base", "plan_item")
            .order_by("-starts_on", "-id")
        )
