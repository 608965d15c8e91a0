"""The statistics API (R-03, R-31): GET /api/v1/statistics/<section>/?year=&group_by=&authority=&prefecture=.

Each answers a list of rows {"key", "label", "count", ...} for the caller's jurisdiction (stats.scope): 403 for a
role that reads no statistics, 404 for an authority or prefecture outside it, 400 for a bad parameter.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from kit.ints import MAX_ID

from .scope import YEAR_MAX, YEAR_MIN, current_year, scope_for
from .selectors import GROUPS, figure_rows

FIELDS = {
    "bases": {},
    "plans": {
        "filed": serializers.IntegerField(),
        "submitted": serializers.IntegerField(help_text="Submitted, awaiting filing"),
        "late": serializers.IntegerField(),
        "missing": serializers.IntegerField(help_text="Not reported to the authority"),
        "rate": serializers.FloatField(allow_null=True, help_text="Filed, in percent of `count`"),
    },
    "supervision": {
        "average": serializers.FloatField(required=False, allow_null=True, help_text="group_by=item only"),
    },
    "hours": {
        "persons": serializers.IntegerField(),
        "hours": serializers.FloatField(),
        "general_hours": serializers.FloatField(),
        "professional_hours": serializers.FloatField(),
        "compliant_persons": serializers.IntegerField(
            help_text="Persons whose year (across the province) has at least 90 hours, two thirds professional"
        ),
    },
}
COUNT_HELP = {
    "bases": "Recognised bases at the end of the year (level: `provincial` includes national bases, which "
    "`national` shows apart)",
    "plans": "Bases expected to file a plan for the year",
    "supervision": "Inspections, assessments or rectifications",
    "hours": "Training records",
}


class ParamsSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX, required=False)
    authority = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    prefecture = serializers.RegexField(r"^51[0-9]{4}$", required=False)


def _params_serializer(section: str):
    groups = GROUPS[section]
    return type(
        f"{section.title()}StatisticsParams",
        (ParamsSerializer,),
        {"group_by": serializers.ChoiceField(choices=list(groups), default=groups[0], required=False)},
    )


def _row_serializer(section: str):
    return inline_serializer(
        f"{section.title()}StatisticsRow",
        {
            "key": serializers.CharField(),
            "label": serializers.CharField(),
            "count": serializers.IntegerField(help_text=COUNT_HELP[section]),
            **FIELDS[section],
        },
        many=True,
    )


def _view(section: str):
    params_class = _params_serializer(section)

    @extend_schema(
        operation_id=f"statistics_{section}",
        parameters=[
            OpenApiParameter("year", int, description="Default: the current year"),
            OpenApiParameter(
                "group_by", str, enum=list(GROUPS[section]), description=f"Default: {GROUPS[section][0]}"
            ),
            OpenApiParameter(
                "authority", int, description="An approving authority within the caller's jurisdiction"
            ),
            OpenApiParameter("prefecture", str, description="GB/T 2260 code of a prefecture (the base's)"),
        ],
        responses={200: _row_serializer(section), 400: None, 403: None, 404: None},
        summary=f"Statistics of {section} in the caller's jurisdiction",
    )
    @api_view(["GET"])
    def view(request):
        params = params_class(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        scope = scope_for(
            request.user,
            year=data.get("year") or current_year(),
            authority_id=data.get("authority"),
            prefecture=data.get("prefecture", ""),
        )
        rows, computed_at = figure_rows(section, scope, data.get("group_by") or GROUPS[section][0])
        return Response(rows, headers={"X-Computed-At": computed_at.isoformat()})

    view.__name__ = f"statistics_{section}"
    return view


bases = _view("bases")
plans = _view("plans")
supervision = _view("supervision")
hours = _view("hours")
