"""API endpoints of the foundation: token and me. Pagination and error mapping live in kit.drf."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts import two_factor
from accounts.api_tokens import api_token_issue, api_token_revoke, api_tokens_revoke_all
from accounts.jurisdiction import actor_for
from accounts.lockout import record_wrong_code
from accounts.passwords import password_change_reason, reason_message
from accounts.views import LOCKOUT_MESSAGE
from accounts.views_two_factor import WRONG_CODE
from kit.drf import throttle


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="The 6-digit code of the user's authenticator, or one backup code: required of staff accounts "
        "and of every account with two factors (else 401 with `otp_required`).",
    )


class LogoutRequestSerializer(serializers.Serializer):
    all = serializers.BooleanField(
        required=False, default=False, help_text="Revoke every token of the user, not only this one"
    )


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
        200: inline_serializer(
            "TokenResponse", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
        ),
        401: None,
        403: None,
        429: None,
    },
    summary="Obtain an API token (two factors for staff; lockout rules apply)",
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([throttle("api_token")])
def obtain_token(request):
    data = TokenRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    django_request = request._request
    # Authenticate against the Django request so django-axes counts failures and applies lockout here too.
    user = authenticate(
        django_request, username=data.validated_data["username"], password=data.validated_data["password"]
    )
    if getattr(django_request, "axes_locked_out", False):
        return _locked_out()
    if user is None:
        return Response({"detail": _("用户名或密码不正确。")}, status=status.HTTP_400_BAD_REQUEST)
    if two_factor.two_factor_required(user):
        refusal = _second_factor_refusal(django_request, user, data.validated_data.get("otp", ""))
        if refusal is not None:
            return refusal
    reason = password_change_reason(user)
    if reason:
        # A password an administrator set (or an expired one) is changed on the web before any API use.
        detail = reason_message(reason)
        return Response(
            {"detail": detail, "code": "password_change_required"}, status=status.HTTP_403_FORBIDDEN
        )
    instance, token = api_token_issue(user=user)
    return Response({"token": token, "expiry": instance.expiry})


def _locked_out():
    return Response({"detail": str(LOCKOUT_MESSAGE), "code": "locked_out"}, status=429)


def _otp_required(detail):
    return Response({"detail": str(detail), "otp_required": True}, status=status.HTTP_401_UNAUTHORIZED)


def _second_factor_refusal(django_request, user, code):
    """Return the answer refusing a token for want of a good code, or None if the code is good."""
    if not two_factor.has_totp_device(user):
        return _otp_required(_("该账户须先在网页上登录并启用双因素认证，然后才能申请接口令牌。"))
    if not code:
        return _otp_required(_("该账户需要动态口令：请在 otp 中提交认证器显示的 6 位数字或一个备用码。"))
    if two_factor.otp_verify(user=user, code=code) is not None:
        return None
    if record_wrong_code(django_request, user):
        return _locked_out()
    return _otp_required(WRONG_CODE)


@extend_schema(
    request=LogoutRequestSerializer,
    responses={204: None},
    summary="Sign out: revoke this token (or, with `all`, every token of the user)",
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def logout(request):
    data = LogoutRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    if data.validated_data["all"]:
        api_tokens_revoke_all(user=request.user, reason="sign_out")
    elif isinstance(request.auth, AuthToken):
        api_token_revoke(token=request.auth)
    return Response(status=status.HTTP_204_NO_CONTENT)


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
