"""API endpoints of the foundation: token and me. Pagination and error mapping live in kit.drf."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts.jurisdiction import actor_for
from accounts.passwords import password_change_reason, reason_message
from accounts.views import LOCKOUT_MESSAGE
from audit.services import audit_record
from kit.drf import throttle


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class MembershipSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    organization = serializers.CharField(source="organization.name")
    organization_kind = serializers.CharField(source="organization.kind")
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    is_provincial = serializers.BooleanField()
    memberships = MembershipSerializer(many=True)


@extend_schema(
    request=TokenRequestSerializer,
    responses={
        200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        403: None,
        429: None,
    },
    summary="Obtain an API token (lockout rules apply)",
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([throttle("api_token")])
def obtain_token(request):
    data = TokenRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    # Authenticate against the Django request so django-axes counts failures and applies lockout here too.
    user = authenticate(
        request._request, username=data.validated_data["username"], password=data.validated_data["password"]
    )
    if getattr(request._request, "axes_locked_out", False):
        return Response({"detail": str(LOCKOUT_MESSAGE), "code": "locked_out"}, status=429)
    if user is None:
        return Response({"detail": _("用户名或密码不正确。")}, status=status.HTTP_400_BAD_REQUEST)
    reason = password_change_reason(user)
    if reason:
        # A password an administrator set (or an expired one) is changed on the web before any API use.
        detail = reason_message(reason)
        return Response(
            {"detail": detail, "code": "password_change_required"}, status=status.HTTP_403_FORBIDDEN
        )
    token, _created = Token.objects.get_or_create(user=user)

    audit_record(actor=user, action="auth.token_issued", obj=user)
    return Response({"token": token.key})


@extend_schema(responses=MeSerializer, summary="The signed-in user and their memberships")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    actor = actor_for(request.user)
    user = request.user
    payload = {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "is_provincial": actor.is_provincial,
        "memberships": list(actor.memberships),
    }
    return Response(MeSerializer(payload).data)
