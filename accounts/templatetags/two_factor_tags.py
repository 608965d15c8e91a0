from django import template

from accounts.two_factor import can_set_two_factor_policy

register = template.Library()


@register.filter
def may_set_two_factor_policy(user, organization) -> bool:
    return can_set_two_factor_policy(user, organization)
