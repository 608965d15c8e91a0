"""REST API of Art. 10's 论证 and 评审: the expert pool, the random draw, the panel sheet and its resolutions.

The application and batch viewsets of `applications.api` take the actions below as mixins; the pool is its own
resource. Thin views: they parse, call a selector or a service, and answer.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kit.errors import NotVisible

from . import selectors, services
from .effects import MIN_EXPERTS
from .models import ExpertProfile
from .services.draws import MAX_DRAW, MAX_SEED

# --- the pool --------------------------------------------------------------------------------------------


class ExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="display_name")
    title = serializers.SerializerMethodField()
    fields = serializers.SerializerMethodField(method_name="fields_of")
    employer = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    available = serializers.SerializerMethodField()
    assignments = serializers.IntegerField(source="assignment_count")
    scored = serializers.IntegerField(source="scored_count")

    def _profile(self, user) -> ExpertProfile | None:
        return getattr(user, "expert_profile", None)

    def get_title(self, user) -> str:
        profile = self._profile(user)
        return profile.title if profile else ""

    def fields_of(self, user) -> list[str]:
        profile = self._profile(user)
        return list(profile.fields) if profile else []

    def get_employer(self, user) -> str:
        profile = self._profile(user)
        return profile.employer_label if profile else ""

    def get_region(self, user) -> str:
        profile = self._profile(user)
        return profile.region_id or "" if profile else ""

    def get_available(self, user) -> bool:
        profile = self._profile(user)
        return bool(profile and profile.available)


class ExpertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The experts of the pools the user's authorities draw from (an expert sees their own entry)."""

    serializer_class = ExpertSerializer
    lookup_value_regex = r"\d+"
    filter_backends = []

    def get_queryset(self):
        return selectors.expert_pool_list(user=self.request.user)


# --- the draw --------------------------------------------------------------------------------------------


class ExpertDrawInputSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=MIN_EXPERTS, max_value=MAX_DRAW, default=MIN_EXPERTS)
    seed = serializers.IntegerField(min_value=0, max_value=MAX_SEED, required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class DrawnExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    assignment = serializers.IntegerField()


class ExpertDrawSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seed = serializers.IntegerField()
    count = serializers.IntegerField()
    candidates = serializers.ListField(child=serializers.IntegerField())
    experts = DrawnExpertSerializer(many=True)


def draw_body(draw) -> dict:
    assignments = {
        a.expert_id: a
        for a in draw.application.assignments.select_related("expert").filter(expert__in=draw.drawn)
    }
    return {
        "id": draw.pk,
        "seed": draw.seed,
        "count": draw.count,
        "candidates": draw.candidates,
        "experts": [
            {"id": pk, "name": assignments[pk].expert.display_name, "assignment": assignments[pk].pk}
            for pk in draw.drawn
        ],
    }


class ApplicationDrawActions:
    @extend_schema(request=ExpertDrawInputSerializer, responses={201: ExpertDrawSerializer})
    @action(detail=True, methods=["post"], url_path="expert-draws", filter_backends=[])
    def expert_draws(self, request, pk=None):
        """Draw experts at random for the application, with the seed recorded (given, or generated)."""
        serializer = ExpertDrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        app = selectors.visible_to(request.user).filter(pk=pk).first()
        if app is None:
            raise NotVisible("未找到该申报。")
        data = serializer.validated_data
        draw = services.expert_draw(
            actor=request.user,
            application=app,
            count=data["count"],
            seed=data.get("seed"),
            due_on=data.get("due_on"),
        )
        return Response(draw_body(draw), status=status.HTTP_201_CREATED)


# --- the panel -------------------------------------------------------------------------------------------


class PanelResolutionOutSerializer(serializers.Serializer):
    held_on = serializers.DateField(source="meeting.held_on")
    passed = serializers.BooleanField()
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    votes_abstain = serializers.IntegerField()
    remarks = serializers.CharField()


class PanelRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    application = serializers.IntegerField(source="application.pk")
    base_name = serializers.CharField(source="application.base_name")
    institution_name = serializers.CharField(source="application.institution.name")
    state = serializers.CharField(source="application.state")
    priority = serializers.BooleanField(source="application.priority")
    score_mean = serializers.DecimalField(source="mean", max_digits=6, decimal_places=2, allow_null=True)
    score_min = serializers.DecimalField(source="low", max_digits=5, decimal_places=1, allow_null=True)
    score_max = serializers.DecimalField(source="high", max_digits=5, decimal_places=1, allow_null=True)
    experts_scored = serializers.IntegerField(source="scored")
    site_visit_passed = serializers.BooleanField(source="visit.passed")
    checklist_met = serializers.IntegerField()
    checklist_total = serializers.IntegerField()
    resolution = PanelResolutionOutSerializer(allow_null=True)


class PanelResolutionInSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    passed = serializers.BooleanField()
    votes_for = serializers.IntegerField(min_value=0, max_value=999, default=0)
    votes_against = serializers.IntegerField(min_value=0, max_value=999, default=0)
    votes_abstain = serializers.IntegerField(min_value=0, max_value=999, default=0)
    remarks = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class PanelMeetingInSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    members = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    resolutions = PanelResolutionInSerializer(many=True, allow_empty=False, max_length=500)

    def validate_resolutions(self, value):
        ids = [r["application"] for r in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("每项申报只能录入一条结论。")
        return value


class PanelMeetingOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField()
    members = serializers.CharField()
    rows = PanelRowSerializer(many=True)


class BatchPanelActions:
    def _panel_batch(self, request, pk):
        batch = selectors.panel_batch(user=request.user, pk=pk)
        if batch is None:
            raise Http404
        return batch

    @extend_schema(responses=PanelRowSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def panel(self, request, pk=None):
        """Get the batch's ranked panel sheet (评审汇总表)."""
        batch = self._panel_batch(request, pk)
        return Response(
            PanelRowSerializer(selectors.panel_sheet(user=request.user, batch=batch), many=True).data
        )

    @extend_schema(request=PanelMeetingInSerializer, responses={201: PanelMeetingOutSerializer})
    @action(detail=True, methods=["post"], url_path="panel/resolutions", filter_backends=[])
    def panel_resolutions(self, request, pk=None):
        """Record a dated panel meeting and its resolution per application (all or none)."""
        batch = self._panel_batch(request, pk)
        serializer = PanelMeetingInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = services.panel_resolutions_record(
            actor=request.user,
            batch=batch,
            held_on=data["held_on"],
            members=data["members"],
            resolutions={
                r["application"]: {k: v for k, v in r.items() if k != "application"}
                for r in data["resolutions"]
            },
        )
        ids = {r["application"] for r in data["resolutions"]}
        rows = [r for r in selectors.panel_sheet(user=request.user, batch=batch) if r.application.pk in ids]
        body = {"id": meeting.pk, "held_on": meeting.held_on, "members": meeting.members, "rows": rows}
        return Response(PanelMeetingOutSerializer(body).data, status=status.HTTP_201_CREATED)
