"""Hours API (R-31): ingestion by a base's platform with an API key, batch status, person look-up by
authorities, and the change feed for the provincial knowledge-update system."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.response import Response

from audit.context import client_ip_from_request
from audit.services import audit_record
from bases.models import Base
from kit.drf import TypedJSONParser, throttle

from . import crypto, selectors, services
from .ingest import records_void
from .models import ApiKey, IngestBatch


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>`: a key issued to one base (ingest) or to the provincial system (feed)."""

    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(self.keyword + " "):
            return None
        key = services.api_key_authenticate(header[len(self.keyword) + 1 :].strip())
        if key is None:
            raise exceptions.AuthenticationFailed("无效或已吊销的接口密钥。")
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "hours.api.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Api-Key <key>"}


class HasScope(permissions.BasePermission):
    scope = ApiKey.Scope.INGEST

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey) and request.auth.scope == self.scope


class HasIngestKey(HasScope):
    scope = ApiKey.Scope.INGEST


class HasFeedKey(HasScope):
    scope = ApiKey.Scope.FEED


class RecordSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=64)
    id_number = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=60)
    class_id = serializers.IntegerField()
    subject = serializers.ChoiceField(choices=["general", "professional"])
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    completed_on = serializers.DateField()
    work_region = serializers.CharField(
        max_length=6,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=(
            "Optional: county code (GB/T 2260, 6 digits) of the trainee's work unit, e.g. 510104. A code that is "
            "not a county of Sichuan refuses the record. A resend that leaves it out keeps the region the record has."
        ),
    )


class RecordsRequest(serializers.Serializer):
    records = RecordSerializer(many=True, min_length=1, max_length=10_000)


def _example_record(external_id, id_number, name, subject, hours):
    return {
        "external_id": external_id,
        "id_number": id_number,
        "name": name,
        "class_id": 1,
        "subject": subject,
        "hours": hours,
        "completed_on": "2025-06-30",
        "work_region": "510104",
    }


ZHANG = ("2025-0001", "510104199001011234", "张三")
RECORDS_EXAMPLES = [
    OpenApiExample(
        "Two completed trainees",
        summary="Two records of one class",
        value={
            "records": [
                _example_record(*ZHANG, "professional", "24.0"),
                _example_record("2025-0002", "51010419850202432X", "李四", "general", "8.5"),
            ]
        },
        request_only=True,
    ),
    OpenApiExample(
        "Correction",
        summary="Resend a record number with new hours: the record is corrected, its history kept",
        value={"records": [_example_record(*ZHANG, "professional", "20.0")]},
        request_only=True,
    ),
]


class RefusedItem(serializers.Serializer):
    external_id = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class OutcomeSerializer(serializers.Serializer):
    """What became of each record of a request: the record numbers accepted, the refused with reasons."""

    accepted = serializers.ListField(child=serializers.CharField())
    refused = RefusedItem(many=True)


class IngestResult(OutcomeSerializer):
    created = serializers.IntegerField()
    corrected = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class VoidResult(OutcomeSerializer):
    pass


class BatchStatus(OutcomeSerializer):
    batch_id = serializers.UUIDField()
    state = serializers.CharField()
    total = serializers.IntegerField()
    processed = serializers.IntegerField()


def _log(request, records=0):
    services.api_key_log_use(
        key=request.auth,
        ip=client_ip_from_request(request),
        method=request.method,
        path=request.path,
        records=records,
    )


@extend_schema(
    request=RecordsRequest,
    responses={
        200: IngestResult,
        202: inline_serializer(
            "IngestQueued", {"batch_id": serializers.UUIDField(), "status_url": serializers.CharField()}
        ),
    },
    examples=RECORDS_EXAMPLES,
    summary="Report training records (up to 10,000 per request)",
    description=(
        "Each record is checked on its own: a refused record is listed with its reason and the others are "
        "kept. Resending a record number corrects that record; an identical resend changes nothing. A large "
        "request is queued (202) and its progress read from `status_url`."
    ),
)
@api_view(["POST"])
@authentication_classes([ApiKeyAuthentication])
@permission_classes([HasIngestKey])
@parser_classes([TypedJSONParser])  # every value is type-checked by the ingestion parser: no walk of the body
def records(request):
    body = request.data
    items = body.get("records") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise exceptions.ValidationError({"records": ["请提供 records 列表。"]})
    if len(items) > 10_000:
        raise exceptions.ValidationError({"records": ["一次最多报送 10000 条记录。"]})
    # Each record is checked by the ingestion service, which refuses bad ones one by one (never the whole batch).
    _log(request, records=len(items))
    batch, outcome = services.batch_submit(base=request.auth.base, records=items, source="api")
    if batch is not None:
        return Response(
            {"batch_id": str(batch.pk), "status_url": reverse("api-hours-batch", args=[batch.pk])},
            status=status.HTTP_202_ACCEPTED,
        )
    return Response(
        {
            "accepted": outcome.accepted,
            "refused": outcome.refused,
            "created": outcome.created,
            "corrected": outcome.corrected,
            "unchanged": outcome.unchanged,
        }
    )


class VoidRequest(serializers.Serializer):
    external_ids = serializers.ListField(child=serializers.CharField(max_length=64), max_length=10_000)
    reason = serializers.CharField(max_length=200)


@extend_schema(
    request=VoidRequest,
    responses={200: VoidResult},
    summary="Void training records by record number, with a reason",
)
@api_view(["POST"])
@authentication_classes([ApiKeyAuthentication])
@permission_classes([HasIngestKey])
def void(request):
    data = VoidRequest(data=request.data)
    data.is_valid(raise_exception=True)
    _log(request, records=len(data.validated_data["external_ids"]))

    out = records_void(
        base=request.auth.base,
        external_ids=data.validated_data["external_ids"],
        reason=data.validated_data["reason"],
        source="api",
    )
    return Response({"accepted": out.accepted, "refused": out.refused})


@extend_schema(
    responses=BatchStatus,
    summary="Read the progress and outcome of a queued ingestion batch",
)
@api_view(["GET"])
@authentication_classes([ApiKeyAuthentication])
@permission_classes([HasIngestKey])
def batch(request, pk):
    obj = IngestBatch.objects.filter(pk=pk, base=request.auth.base).first()
    if obj is None:
        raise Http404
    _log(request)
    return Response(batch_payload(obj))


def batch_payload(obj):
    return {
        "batch_id": str(obj.pk),
        "state": obj.state,
        "total": obj.total,
        "processed": obj.processed,
        "accepted": selectors.batch_accepted(obj),
        "refused": selectors.batch_refused(obj),
    }


class LookupRequest(serializers.Serializer):
    id_number = serializers.CharField(max_length=30)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    full = serializers.BooleanField(required=False, default=False)


PersonYearRecord = inline_serializer(
    "PersonYearRecord",
    {
        "base": serializers.CharField(
            help_text="The base that reported the record, anywhere in the province"
        ),
        "base_status": serializers.ChoiceField(
            choices=Base.Status.choices, help_text="active, rectification or revoked (已撤销)"
        ),
        "base_status_display": serializers.CharField(help_text="The base's status in words, e.g. 已撤销"),
        "class": serializers.CharField(),
        "subject": serializers.CharField(),
        "hours": serializers.DecimalField(max_digits=5, decimal_places=1),
        "completed_on": serializers.DateField(),
        "status": serializers.CharField(),
    },
    many=True,
)


@extend_schema(
    request=LookupRequest,
    responses={
        200: inline_serializer(
            "PersonYear",
            {
                "name": serializers.CharField(),
                "id_number": serializers.CharField(
                    help_text="Masked unless `full` was asked by a role allowed to"
                ),
                "year": serializers.IntegerField(),
                "total": serializers.DecimalField(max_digits=7, decimal_places=1),
                "general": serializers.DecimalField(max_digits=7, decimal_places=1),
                "professional": serializers.DecimalField(max_digits=7, decimal_places=1),
                "compliant": serializers.BooleanField(help_text="At least 90 hours, two thirds professional"),
                "work_region": serializers.CharField(
                    allow_null=True,
                    help_text="County code (GB/T 2260) of the person's latest known work region",
                ),
                "records": PersonYearRecord,
            },
        ),
        404: None,
    },
    summary="Look a person's year up by ID number (in the body, never a URL)",
    description=(
        "Every record of the person's year at every base of the province (filed hours are valid across the "
        "province), each with its base and the base's status. Open to authority staff; each look-up is audited."
    ),
)
@api_view(["POST"])
@throttle_classes([throttle("person_lookup")])
def lookup(request):
    data = LookupRequest(data=request.data)
    data.is_valid(raise_exception=True)
    d = data.validated_data
    result = services.person_lookup(
        actor=request.user, id_number=d["id_number"], year=d["year"], full=d["full"]
    )
    s = result["summary"]
    return Response(
        {
            "name": result["person"].name,
            "id_number": result["id_number"],
            "year": d["year"],
            "total": str(s["total"]),
            "general": str(s["general"]),
            "professional": str(s["professional"]),
            "compliant": s["compliant"],
            "work_region": result["person"].work_region_id,
            "records": [
                {
                    "base": r.base.name,
                    "base_status": r.base.status,
                    "base_status_display": r.base.get_status_display(),
                    "class": r.klass.title,
                    "subject": r.subject,
                    "hours": str(r.hours),
                    "completed_on": r.completed_on,
                    "status": r.status,
                }
                for r in result["records"]
            ],
        }
    )


class FeedQuery(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, max_value=2**63 - 1, default=0, help_text="The `next` of the previous page; 0 to start"
    )
    limit = serializers.IntegerField(min_value=1, max_value=5000, default=1000)


FeedRecord = inline_serializer(
    "FeedRecord",
    {
        "id": serializers.IntegerField(),
        "base": serializers.IntegerField(),
        "external_id": serializers.CharField(),
        "id_number": serializers.CharField(),
        "name": serializers.CharField(),
        "class_id": serializers.IntegerField(),
        "subject": serializers.CharField(),
        "hours": serializers.DecimalField(max_digits=5, decimal_places=1),
        "completed_on": serializers.DateField(),
        "year": serializers.IntegerField(),
        "status": serializers.CharField(),
        "work_region": serializers.CharField(
            allow_null=True,
            help_text="County code of the trainee's work unit (GB/T 2260), when the base sent one",
        ),
    },
)


@extend_schema(
    parameters=[FeedQuery],
    responses=inline_serializer(
        "FeedPage",
        {
            "results": inline_serializer(
                "FeedEntry",
                {
                    "seq": serializers.IntegerField(),
                    "action": serializers.CharField(),
                    "at": serializers.DateTimeField(),
                    "record": FeedRecord,
                },
                many=True,
            ),
            "next": serializers.IntegerField(help_text="The cursor to ask the next page with"),
        },
    ),
    summary="Changes (created, corrected, voided) after the cursor, in order",
)
@api_view(["GET"])
@authentication_classes([ApiKeyAuthentication])
@permission_classes([HasFeedKey])
def feed(request):
    query = FeedQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    after, limit = query.validated_data["after"], query.validated_data["limit"]
    entries, cursor = services.feed_page(after=after, limit=limit)
    _log(request, records=len(entries))
    # The provincial system needs the full ID number to credit hours: each page read is an audited read.
    audit_record(
        actor=None,
        actor_name=f"api-key:{request.auth.prefix}",
        action="hours.feed_read",
        comment=f"after={after} n={len(entries)}",
    )
    return Response(
        {
            "results": [
                {
                    "seq": e.seq,
                    "action": e.action,
                    "at": e.at,
                    "record": {
                        "id": e.record.pk,
                        "base": e.record.base_id,
                        "external_id": e.record.external_id,
                        "id_number": crypto.decrypt(e.record.person.id_encrypted),
                        "name": e.record.person.name,
                        "class_id": e.record.klass_id,
                        "subject": e.record.subject,
                        "hours": str(e.record.hours),
                        "completed_on": e.record.completed_on,
                        "year": e.record.year,
                        "status": e.record.status,
                        "work_region": e.record.work_region_id,
                    },
                }
                for e in entries
            ],
            "next": cursor,
        }
    )
