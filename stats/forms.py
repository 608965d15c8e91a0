from django import forms
from django.utils.translation import gettext_lazy as _

from kit.ints import MAX_ID

from .scope import YEAR_MAX, YEAR_MIN


class FilterForm(forms.Form):
    """The dashboard's filters, read from the query string (bad values: 400)."""

    year = forms.IntegerField(label=_("年度"), min_value=YEAR_MIN, max_value=YEAR_MAX, required=False)
    authority = forms.IntegerField(label=_("批准部门"), min_value=1, max_value=MAX_ID, required=False)
    prefecture = forms.RegexField(label=_("市（州）"), regex=r"^51[0-9]{4}$", required=False)
