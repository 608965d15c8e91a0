"""API of bases: the public registry and notices, and the change requests of a base's key facts (R-34)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from . import workflow
from .models import Base, ChangeRequest, FeeStandard, Level, Notice, Partner
from .selectors import (
    SORTS,
    RegistryFilters,
    base_timeline,
    change_requests_visible_to,
    notice_list_public,
    registry_search,
)


class NoticeSerializer(serializers.ModelSerializer):
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "authority",
            "authority_name",
            "base",
            "published_at",
            "open_until",
        ]


class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    """Published notices: publicity (公示) and recognition (公布). Public, no sign-in needed."""

    serializer_class = NoticeSerializer
    lookup_value_regex = r"\d+"
    permission_classes = [AllowAny]
    authentication_classes = []

    def get_queryset(self):
        params = self.request.query_params
        return notice_list_public(kind=params.get("kind", ""), authority_id=params.get("authority", ""))


class BaseListSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    institution = serializers.CharField(source="institution.name", read_only=True)
    approving_authority = serializers.CharField(source="approving_authority.name", read_only=True)
    approving_authority_id = serializers.IntegerField(read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    prefecture = serializers.CharField(source="prefecture_id", read_only=True, allow_null=True)
    prefecture_name = serializers.CharField(source="prefecture.name", read_only=True, default="")
    counts_as_provincial = serializers.BooleanField(read_only=True)

    class Meta:
        model = Base
        fields = [
            "id",
            "name",
            "level",
            "level_display",
            "counts_as_provincial",
            "status",
            "status_display",
            "institution",
            "approving_authority",
            "approving_authority_id",
            "region",
            "region_name",
            "prefecture",
            "prefecture_name",
            "fields",
            "recognised_on",
            "certificate_no",
        ]


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["kind", "name", "description"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeStandard
        fields = ["item", "amount", "unit", "note"]


class BaseDetailSerializer(BaseListSerializer):
    partners = PartnerSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    notices = serializers.SerializerMethodField()

    class Meta(BaseListSerializer.Meta):
        fields = BaseListSerializer.Meta.fields + [
            "platform_name",
            "platform_url",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "partners",
            "fees",
            "notices",
        ]

    def get_notices(self, obj) -> list:
        return [
            {"id": n.pk, "kind": n.kind, "title": n.title, "published_at": n.published_at}
            for n in base_timeline(obj)
        ]


REGISTRY_PARAMETERS = [
    OpenApiParameter("q", str, description="Substring of name, institution, field or region"),
    OpenApiParameter(
        "level", str, enum=Level.values, description="provincial includes national bases (R-36)"
    ),
    OpenApiParameter("prefecture", str, description="GB/T 2260 code of a prefecture"),
    OpenApiParameter("county", str, description="GB/T 2260 code of a county"),
    OpenApiParameter("field", str, description="Exact training field"),
    OpenApiParameter("authority", int, description="Approving authority id"),
    OpenApiParameter(
        "status", str, enum=[*Base.Status.values, "all"], description="Default: active and rectification"
    ),
    OpenApiParameter("sort", str, enum=list(SORTS)),
]


@extend_schema_view(list=extend_schema(parameters=REGISTRY_PARAMETERS))
class BaseViewSet(viewsets.ReadOnlyModelViewSet):
    """The public registry of recognised bases (R-01, R-02, R-36): the same filters as the registry page."""

    permission_classes = [AllowAny]
    authentication_classes = []
    queryset = Base.objects.none()
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        return BaseDetailSerializer if self.action == "retrieve" else BaseListSerializer

    def get_queryset(self):
        if self.action == "retrieve":
            return Base.objects.select_related(
                "institution", "approving_authority", "region", "prefecture"
            ).prefetch_related("partners", "fees")
        return registry_search(RegistryFilters.from_query(self.request.query_params))


class ChangeRequestSerializer(serializers.ModelSerializer):
    base_name = serializers.CharField(source="base.name", read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "base",
            "base_name",
            "state",
            "proposed",
            "reasons",
            "fee_increase",
            "created_at",
            "decided_at",
            "decision_comment",
            "available_actions",
        ]

    def get_available_actions(self, obj) -> list[str]:
        return [t.action for t in workflow.MACHINE.available(obj, self.context["request"].user)]


class ChangeRequestTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=workflow.ACTIONS)
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="Required to return a request"
    )


class ChangeRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Change requests of bases the user works on: its institution's, or those its authority approves."""

    serializer_class = ChangeRequestSerializer
    queryset = ChangeRequest.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            change_requests_visible_to(self.request.user)
            .select_related("base")
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=ChangeRequestTransitionSerializer, responses={200: ChangeRequestSerializer})
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Run a workflow action on the change request: `approve`, `return` or `withdraw`."""
        data = ChangeRequestTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change_request = self.get_queryset().filter(pk=pk).first()
        if change_request is None:
            raise Http404
        workflow.MACHINE.run(
            change_request,
            data.validated_data["action"],
            actor=request.user,
            comment=data.validated_data.get("comment", ""),
        )
        return Response(self.get_serializer(self.get_object()).data)
