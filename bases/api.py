"""Public API of notices."""

from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .models import Notice
from .selectors import notice_list_public


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
    permission_classes = [AllowAny]
    authentication_classes = []

    def get_queryset(self):
        params = self.request.query_params
        return notice_list_public(kind=params.get("kind", ""), authority_id=params.get("authority", ""))
