"""REST API of the recognition workflow: thin views over selectors, services and the application machine."""

import django_filters
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.jurisdiction import actor_for
from accounts.models import Organization, Region
from audit.labels import action_label, describe_comment, state_label
from kit.drf import id_filter
from kit.errors import InvalidInput, NotVisible

from . import selectors, services, workflow
from .api_review import ApplicationDrawActions, BatchPanelActions
from .models import SECTION_FIELDS, Application, Batch, Section, StaffMember
from .rules import article8_checklist, staff_counts


class BatchSerializer(serializers.ModelSerializer):
    approving_authority_name = serializers.CharField(source="approving_authority.name", read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Batch
        fields = [
            "id",
            "title",
            "level",
            "approving_authority",
            "approving_authority_name",
            "description",
            "opens_at",
            "closes_at",
            "requires_recommendation",
            "publicity_working_days",
            "rubric",
            "is_open",
        ]
        read_only_fields = ["level", "is_open"]

    def get_is_open(self, obj) -> bool:
        return obj.is_open()


class BatchViewSet(
    BatchPanelActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = BatchSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.batch_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        batch = services.batch_create(
            actor=request.user,
            authority=data["approving_authority"],
            title=data["title"],
            description=data.get("description", ""),
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            requires_recommendation=data.get("requires_recommendation", False),
            publicity_working_days=data.get("publicity_working_days", 5),
            rubric=data.get("rubric"),
        )
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class StaffMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffMember
        fields = ["name", "title", "field", "category", "employment"]


class ApplicationListSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    batch_title = serializers.CharField(source="batch.title", read_only=True)
    level = serializers.CharField(source="batch.level", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "batch",
            "batch_title",
            "level",
            "institution",
            "institution_name",
            "base_name",
            "region",
            "state",
            "state_display",
            "priority",
            "version",
            "submitted_at",
            "updated_at",
        ]


# Fields of the 申报表's steps that the list already carries (or, the recommender, that the detail puts first).
READ_ELSEWHERE = {"region", "base_name", "recommending_authority"}


class ApplicationDetailSerializer(ApplicationListSerializer):
    staff = StaffMemberSerializer(many=True, read_only=True)
    staff_counts = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(ApplicationListSerializer.Meta):
        fields = ApplicationListSerializer.Meta.fields + [
            "recommending_authority",
            *(f for step in SECTION_FIELDS.values() for f in step if f not in READ_ELSEWHERE),
            "publicity_starts_on",
            "publicity_ends_on",
            "staff",
            "staff_counts",
            "checklist",
            "available_actions",
            "attachments",
        ]

    def get_staff_counts(self, obj) -> dict:
        return staff_counts(obj)

    def get_checklist(self, obj) -> list:
        return [
            {"key": c.key, "article": c.article, "label": c.label, "met": c.met, "detail": c.detail}
            for c in article8_checklist(obj)
        ]

    def get_available_actions(self, obj) -> list[str]:
        return [t.action for t in workflow.MACHINE.available(obj, self.context["request"].user)]

    def get_attachments(self, obj) -> list:
        return [
            {"id": a.pk, "kind": a.kind, "name": a.original_name, "size": a.size}
            for a in obj.attachments.all()
            if a.is_current and a.kind not in ("objection_evidence",)
        ]


class ApplicationCreateSerializer(serializers.Serializer):
    batch = serializers.PrimaryKeyRelatedField(queryset=Batch.objects.all())
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind="institution"), required=False
    )


class ApplicationUpdateSerializer(serializers.Serializer):
    """Fields of the 申报表 an applicant may change while the application is a draft or returned."""

    institution_type = serializers.ChoiceField(choices=Organization.InstitutionType.choices, required=False)
    registered_in_sichuan = serializers.BooleanField(required=False)
    training_qualification = serializers.CharField(max_length=300, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=60, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(is_active=True), required=False
    )
    base_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    fields = serializers.ListField(child=serializers.CharField(max_length=40), max_length=10, required=False)
    contact_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    recommending_authority = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    management_organ = serializers.CharField(max_length=200, required=False, allow_blank=True)
    full_time_managers = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    funding_guarantee = serializers.CharField(required=False, allow_blank=True)
    classrooms = serializers.CharField(required=False, allow_blank=True)
    teaching_equipment = serializers.CharField(required=False, allow_blank=True)
    library_resources = serializers.CharField(required=False, allow_blank=True)
    practical_site = serializers.CharField(required=False, allow_blank=True)
    network_infrastructure = serializers.CharField(required=False, allow_blank=True)
    platform_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    platform_url = serializers.URLField(required=False, allow_blank=True)
    platform_features = serializers.CharField(required=False, allow_blank=True)
    trainees_year1 = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    trainees_year2 = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    trainees_year3 = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    key_fields_served = serializers.CharField(required=False, allow_blank=True)
    credit_declared = serializers.BooleanField(required=False)
    credit_statement = serializers.CharField(required=False, allow_blank=True)
    staff = StaffMemberSerializer(many=True, required=False)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=workflow.ACTIONS)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    section_comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000), required=False
    )

    def validate_section_comments(self, value):
        unknown = set(value) - set(Section.values)
        if unknown:
            raise serializers.ValidationError(f"Unknown sections: {', '.join(sorted(unknown))}")
        return value


class HistoryEventSerializer(serializers.Serializer):
    """One step of an application's history, with its code and its words (in the request's language)."""

    time = serializers.DateTimeField(source="created_at")
    actor = serializers.CharField(source="actor_name")
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField()
    from_state = serializers.CharField()
    from_state_label = serializers.SerializerMethodField()
    to_state = serializers.CharField()
    to_state_label = serializers.SerializerMethodField()
    comment = serializers.CharField()
    comment_text = serializers.SerializerMethodField()

    def get_action_label(self, event) -> str:
        return action_label(event.action)

    def get_from_state_label(self, event) -> str:
        return state_label(event.object_type, event.from_state) if event.from_state else ""

    def get_to_state_label(self, event) -> str:
        return state_label(event.object_type, event.to_state) if event.to_state else ""

    def get_comment_text(self, event) -> str:
        """The comment in words, as the history page says it (`comment` is as stored: codes for a machine's)."""
        return describe_comment(event)


class ApplicationFilter(django_filters.FilterSet):
    batch = id_filter(field_name="batch_id")
    state = django_filters.ChoiceFilter(choices=Application.State.choices)
    level = django_filters.CharFilter(field_name="batch__level")
    region = django_filters.CharFilter(method="filter_region")
    priority = django_filters.BooleanFilter()

    class Meta:
        model = Application
        fields = ["batch", "state", "level", "region", "priority"]

    def filter_region(self, queryset, name, value):

        return queryset.filter(Q(region_id=value) | Q(region__parent_id=value))


class ApplicationViewSet(ApplicationDrawActions, viewsets.GenericViewSet):
    """Applications the user may see (404 for the others)."""

    # The real rows come from selectors.visible_to(); these attributes describe the resource to the schema.
    queryset = Application.objects.none()
    serializer_class = ApplicationListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApplicationFilter
    lookup_value_regex = r"\d+"

    def get_object(self, pk=None):
        pk = pk if pk is not None else self.kwargs.get("pk")
        app = selectors.application_detail(user=self.request.user, pk=pk)
        if app is None:
            raise Http404
        return app

    def list(self, request):
        qs = self.filter_queryset(selectors.application_list(user=request.user))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ApplicationListSerializer(page, many=True).data)

    @extend_schema(responses=ApplicationDetailSerializer)
    def retrieve(self, request, pk=None):
        app = self.get_object(pk)
        return Response(ApplicationDetailSerializer(app, context={"request": request}).data)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer})
    def create(self, request):
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = actor_for(request.user)
        institution = serializer.validated_data.get("institution")
        if institution is None:
            if len(actor.institution_ids) != 1:
                raise InvalidInput(
                    "institution is required", field_errors={"institution": ["请指定申报单位。"]}
                )
            institution = Organization.objects.get(pk=next(iter(actor.institution_ids)))
        elif institution.pk not in actor.institution_ids:
            raise InvalidInput(
                "not your institution", field_errors={"institution": ["只能以本机构名义申报。"]}
            )
        batch = selectors.batch_detail(user=request.user, pk=serializer.validated_data["batch"].pk)
        if batch is None:
            raise InvalidInput("batch not open", field_errors={"batch": ["该批次不存在或未向本机构开放。"]})
        app = services.application_create(actor=request.user, batch=batch, institution=institution)
        return Response(
            ApplicationDetailSerializer(app, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ApplicationUpdateSerializer, responses=ApplicationDetailSerializer)
    def partial_update(self, request, pk=None):
        app = self.get_object(pk)
        serializer = ApplicationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        staff = data.pop("staff", None)
        with transaction.atomic():
            for section, names in services.EDITABLE_FIELDS.items():
                part = {k: data[k] for k in names if k in data}
                if part:
                    services.application_update(
                        actor=request.user, application=app, section=section, data=part
                    )
            if staff is not None:
                services.staff_replace(actor=request.user, application=app, people=[dict(p) for p in staff])
            if not data and staff is None:
                # Still check the right to edit, so a no-op PATCH on a locked application says so.
                services.application_update(actor=request.user, application=app, section="credit", data={})
        app = self.get_object(pk)
        return Response(ApplicationDetailSerializer(app, context={"request": request}).data)

    @extend_schema(request=TransitionSerializer, responses={200: ApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Run a workflow action on the application; `available_actions` lists those the user may run."""
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        app = selectors.visible_to(request.user).filter(pk=pk).first()
        if app is None:
            raise NotVisible("未找到该申报。")
        data = serializer.validated_data
        extra = {"section_comments": data["section_comments"]} if "section_comments" in data else {}
        workflow.MACHINE.run(
            app, data["action"], actor=request.user, comment=data.get("comment", ""), **extra
        )
        return Response(ApplicationDetailSerializer(self.get_object(pk), context={"request": request}).data)

    @extend_schema(responses=HistoryEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """List the application's history the user may read, oldest first (the expert review and internal
        comments only for the approving authority and the province)."""
        app = self.get_object(pk)
        events = selectors.application_history(user=request.user, application=app)
        return Response(HistoryEventSerializer(events, many=True).data)
