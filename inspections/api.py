"""API of inspections (+ rounds, items), assessments and rectifications (R-25..R-28)."""

import django_filters
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role, User
from kit.drf import id_filter, year_filter

from . import selectors, services, workflow
from .models import (
    ITEMS,
    Assessment,
    Inspection,
    InspectionRound,
    ItemScore,
    Rating,
    Rectification,
    Result,
)


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


ItemScoresSerializer = type(
    "ItemScoresSerializer",
    (serializers.Serializer,),
    {key: serializers.IntegerField(min_value=0, max_value=100, help_text=label) for key, label in ITEMS},
)
ItemNotesSerializer = type(
    "ItemNotesSerializer",
    (serializers.Serializer,),
    {
        key: serializers.CharField(required=False, allow_blank=True, max_length=4000, help_text=label)
        for key, label in ITEMS
    },
)


class InspectionScoreSerializer(serializers.Serializer):
    """`score`: record the inspection (a reviewer of the inspecting authority)."""

    action = serializers.ChoiceField(choices=["score"])
    inspected_on = serializers.DateField()
    # Only staff of an authority can be inspectors; the service checks they belong to the inspecting one.
    inspectors = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(
            memberships__role__in=[Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER, Role.AUTHORITY_ADMIN]
        ).distinct(),
        many=True,
        help_text="Ids of at least two staff of the inspecting authority",
    )
    scores = ItemScoresSerializer(help_text="The nine items of Art. 22, each scored 0-100")
    notes = ItemNotesSerializer(required=False, help_text="A note per item")
    conclusion = serializers.CharField(max_length=8000)


class InspectionConfirmSerializer(serializers.Serializer):
    """`confirm`: confirm the result (an approver); an unqualified result orders a rectification."""

    action = serializers.ChoiceField(choices=["confirm"])
    rectification_items = serializers.CharField(
        required=False, allow_blank=True, max_length=8000, help_text="Required when the result is unqualified"
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text="Required when the result is unqualified"
    )


INSPECTION_ACTIONS = {"score": InspectionScoreSerializer, "confirm": InspectionConfirmSerializer}


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=40)


def parse_action(actions: dict, data):
    """Validate `data` with the input serializer of its `action`; return the validated data."""
    head = ActionSerializer(data=data)
    head.is_valid(raise_exception=True)
    spec = actions.get(head.validated_data["action"])
    if spec is None:
        raise serializers.ValidationError({"action": [f"Choose one of: {', '.join(sorted(actions))}."]})
    body = spec(data=data)
    body.is_valid(raise_exception=True)
    return body.validated_data


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

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="InspectionTransition",
            serializers=INSPECTION_ACTIONS,
            resource_type_field_name="action",
        ),
        responses={200: InspectionSerializer},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Run a workflow action on the inspection: `score` it, or `confirm` its result."""
        d = parse_action(INSPECTION_ACTIONS, request.data)
        if d["action"] == "score":
            services.inspection_score(
                actor=request.user,
                inspection_id=pk,
                inspected_on=d["inspected_on"],
                inspectors=d["inspectors"],
                scores=d["scores"],
                notes=d.get("notes", {}),
                conclusion=d["conclusion"],
            )
        else:
            services.inspection_confirm(
                actor=request.user,
                inspection_id=pk,
                rectification_items=d.get("rectification_items", ""),
                deadline=d.get("deadline"),
            )
        return Response(InspectionSerializer(self.get_object()).data)


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


class AssessmentConfirmSerializer(serializers.Serializer):
    """`confirm`: confirm the proposed rating or change it with a reason (an approver); unqualified orders a
    rectification."""

    action = serializers.ChoiceField(choices=["confirm"])
    rating = serializers.ChoiceField(choices=Rating.choices)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=8000,
        help_text="Required when the rating differs from the proposed one",
    )
    rectification_items = serializers.CharField(
        required=False, allow_blank=True, max_length=8000, help_text="Required when the rating is unqualified"
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text="Required when the rating is unqualified"
    )


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

    @extend_schema(request=AssessmentConfirmSerializer, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Run a workflow action on the assessment: `confirm` its rating."""
        d = parse_action({"confirm": AssessmentConfirmSerializer}, request.data)
        services.assessment_confirm(
            actor=request.user,
            assessment_id=pk,
            rating=d["rating"],
            reason=d.get("reason", ""),
            rectification_items=d.get("rectification_items", ""),
            deadline=d.get("deadline"),
        )
        return Response(AssessmentSerializer(self.get_object()).data)


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
        return [t.action for t in workflow.MACHINE.available(obj, self.context["request"].user)]


class RectificationFilter(django_filters.FilterSet):
    year = year_filter(field_name="deadline__year")
    authority = id_filter(field_name="base__approving_authority_id")
    state = django_filters.ChoiceFilter(choices=Rectification.State.choices)

    class Meta:
        model = Rectification
        fields = ["year", "authority", "state"]


class RectificationTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=workflow.ACTIONS)
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
            workflow.MACHINE.run(pk, d["action"], actor=request.user, comment=d.get("comment", ""))
        return Response(
            RectificationSerializer(self.get_queryset().get(pk=pk), context={"request": request}).data
        )
