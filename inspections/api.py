"""API of inspections (+ rounds, items), assessments and rectifications (R-25..R-28)."""

import django_filters
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kit.drf import id_filter, year_filter

from . import selectors, services, workflow
from .models import Assessment, Inspection, InspectionRound, ItemScore, Rectification, Result


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionRound
        fields = [
            "id",
            "authority",
            "kind",
            "year",
            "title",
            "state",
            "qualified_min",
            "basic_min",
            "draw_seed",
            "draw_candidates",
            "draw_size",
        ]


class ItemScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemScore
        fields = ["item", "score", "notes"]


class InspectionSerializer(serializers.ModelSerializer):
    base_name = serializers.CharField(source="base.name", read_only=True)
    year = serializers.IntegerField(source="round.year", read_only=True)
    authority = serializers.IntegerField(source="round.authority_id", read_only=True)
    items = ItemScoreSerializer(source="scores", many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "round",
            "base",
            "base_name",
            "year",
            "authority",
            "state",
            "inspected_on",
            "average",
            "result",
            "conclusion",
            "items",
        ]


class InspectionFilter(django_filters.FilterSet):
    year = year_filter(field_name="round__year")
    authority = id_filter(field_name="round__authority_id")
    result = django_filters.ChoiceFilter(choices=Result.choices)
    state = django_filters.ChoiceFilter(choices=Inspection.State.choices)

    class Meta:
        model = Inspection
        fields = ["year", "authority", "result", "state"]


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    serializer_class = RoundSerializer
    queryset = InspectionRound.objects.none()

    def get_queryset(self):
        return selectors.rounds_visible_to(self.request.user).order_by("-year", "-id")


class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Inspections visible to the user, with the nine scored items."""

    lookup_value_regex = r"\d+"
    serializer_class = InspectionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InspectionFilter
    queryset = Inspection.objects.none()

    def get_queryset(self):
        return (
            selectors.inspections_visible_to(self.request.user)
            .select_related("base", "round")
            .prefetch_related("scores")
            .order_by("-round__year", "id")
        )


class AssessmentSerializer(serializers.ModelSerializer):
    base_name = serializers.CharField(source="base.name", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "base",
            "base_name",
            "year",
            "state",
            "inputs",
            "score",
            "proposed_rating",
            "rating",
            "change_reason",
        ]


class AssessmentFilter(django_filters.FilterSet):
    year = year_filter()
    authority = id_filter(field_name="base__approving_authority_id")
    rating = django_filters.CharFilter()
    state = django_filters.ChoiceFilter(choices=Assessment.State.choices)

    class Meta:
        model = Assessment
        fields = ["year", "authority", "rating", "state"]


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    serializer_class = AssessmentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AssessmentFilter
    queryset = Assessment.objects.none()

    def get_queryset(self):
        return (
            selectors.assessments_visible_to(self.request.user)
            .select_related("base")
            .order_by("-year", "base__name")
        )


class RectificationSerializer(serializers.ModelSerializer):
    base_name = serializers.CharField(source="base.name", read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Rectification
        fields = [
            "id",
            "base",
            "base_name",
            "inspection",
            "assessment",
            "state",
            "items",
            "deadline",
            "reply",
            "last_comment",
            "available_actions",
        ]

    def get_available_actions(self, obj) -> list[str]:
        return [t.action for t in workflow.available_actions(obj, self.context["request"].user)]


class RectificationFilter(django_filters.FilterSet):
    year = year_filter(field_name="deadline__year")
    authority = id_filter(field_name="base__approving_authority_id")
    state = django_filters.ChoiceFilter(choices=Rectification.State.choices)

    class Meta:
        model = Rectification
        fields = ["year", "authority", "state"]


class RectificationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(workflow.TRANSITIONS))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    reply = serializers.CharField(required=False, allow_blank=True, max_length=8000)


class RectificationViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    serializer_class = RectificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RectificationFilter
    queryset = Rectification.objects.none()

    def get_queryset(self):
        return (
            selectors.rectifications_visible_to(self.request.user)
            .select_related("base")
            .order_by("deadline", "id")
        )

    @extend_schema(request=RectificationTransitionSerializer, responses={200: RectificationSerializer})
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Run a workflow action on the rectification: `reply`, `accept`, `reject`, or a revocation step."""
        data = RectificationTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not self.get_queryset().filter(pk=pk).exists():
            raise Http404
        d = data.validated_data
        if d["action"] == "reply":
            services.rectification_reply(actor=request.user, rectification_id=pk, reply=d.get("reply", ""))
        else:
            workflow.transition(pk, d["action"], request.user, comment=d.get("comment", ""))
        return Response(
            RectificationSerializer(self.get_queryset().get(pk=pk), context={"request": request}).data
        )
