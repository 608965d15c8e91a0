"""Every write to accounts, organizations and regions."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kit.errors import InvalidInput, NotVisible, PermissionRefused
from kit.trail import record as audit_record

from .admin_roles import check_duties, duties_of, grants_need_system_admin
from .api_tokens import api_tokens_revoke_all
from .identifiers import normalize_credit_code, validate_credit_code
from .jurisdiction import actor_for
from .models import ROLES_BY_KIND, Membership, Organization, Region, Role, User
from .passwords import require_password_change
from .permissions import can_manage_users_of


def _validation_to_field_errors(exc: ValidationError, field: str) -> dict:
    return {field: list(exc.messages)}


def institution_register(
    *,
    name: str,
    credit_code: str,
    institution_type: str,
    region: Region,
    address: str,
    username: str,
    password: str,
    full_name: str,
    email: str,
    phone: str,
) -> User:
    """Register an institution and its first user, the institution admin (R-05, R-06)."""
    code = normalize_credit_code(credit_code)
    errors = {}
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        errors.update(_validation_to_field_errors(exc, "credit_code"))
    taken = Organization.objects.filter(credit_code=code).exclude(
        registration_state=Organization.RegistrationState.REFUSED
    )
    if not errors.get("credit_code") and taken.exists():
        errors["credit_code"] = [
            _(
                "该统一社会信用代码已注册，请由本机构管理员为您开通账户；"
                "如非本机构注册，请联系所在地人社部门。"
            )
        ]
    if institution_type not in Organization.InstitutionType.values:
        errors["institution_type"] = [_("请选择机构类型。")]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("该用户名已被使用。")]
    candidate = User(username=username, email=email, full_name=full_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors.update(_validation_to_field_errors(exc, "password"))
    if errors:
        raise InvalidInput(_("注册信息有误，请按提示修改。"), field_errors=errors)

    try:
        with transaction.atomic():
            org = Organization.objects.create(
                name=name,
                kind=Organization.Kind.INSTITUTION,
                region=region,
                credit_code=code,
                institution_type=institution_type,
                address=address,
                # Anyone can type a real institution's public credit code: its authority confirms first.
                registration_state=Organization.RegistrationState.PENDING,
            )
            user = User.objects.create_user(
                username=username, password=password, email=email, full_name=full_name, phone=phone
            )
            Membership.objects.create(user=user, organization=org, role=Role.INSTITUTION_ADMIN)
            audit_record(actor=user, action="institution.registered", obj=org, organization=org)
    except IntegrityError as exc:
        # Two registrations of the same code at once: the unique constraint decides, the loser gets a message.
        raise InvalidInput(
            _("该统一社会信用代码或机构名称已注册。"),
            field_errors={"credit_code": [_("该统一社会信用代码或机构名称已注册。")]},
        ) from exc
    return user


def user_create_in_organization(
    *,
    actor: User,
    organization: Organization,
    username: str,
    full_name: str,
    email: str,
    phone: str,
    roles: list[str],
    password: str,
) -> User:
    """Create an account in the actor's own organization with the given roles."""
    if not can_manage_users_of(actor, organization):
        raise NotVisible(_("未找到该机构。"))
    allowed = set(ROLES_BY_KIND.get(organization.kind, ()))
    if grants_need_system_admin(roles) and not actor_for(actor).is_provincial_admin:
        raise PermissionRefused(_("只有省级系统管理员可以授予该角色。"))
    errors = {}
    if not roles or not set(roles) <= allowed:
        errors["roles"] = [_("请为该机构选择有效的角色。")]
    else:
        errors.update(check_duties(roles=roles))
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("该用户名已被使用。")]
    try:
        validate_password(password, user=User(username=username, email=email, full_name=full_name))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise InvalidInput(_("账户信息有误，请按提示修改。"), field_errors=errors)
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, email=email, full_name=full_name, phone=phone
        )
        for role in roles:
            Membership.objects.create(user=user, organization=organization, role=role)
        # The creator knows this password: the new user replaces it at the first sign-in.
        require_password_change(user)
        audit_record(
            actor=actor,
            action="account.created",
            obj=user,
            organization=organization,
            # Role codes, not labels: the audit trail must read the same whatever the viewer's language.
            comment="roles=" + ",".join(roles),
        )
    return user


def _refuse_duty_account(user: User) -> None:
    """三权分立: the account of a system, security or audit administrator is not reset or deactivated from an
    organization's members page — whoever did it (another duty, or an ordinary authority admin of the same
    department) would hold the password of, or switch off, the duty meant to watch them. A superuser does it in
    the Django admin, where every change is audited for the audit administrator."""
    if duties_of(user):
        raise PermissionRefused(
            _(
                "系统管理员、安全管理员、审计管理员的账户不能在此重置密码或停用（三权分立），请由超级用户在后台办理。"
            )
        )


def user_set_active(*, actor: User, organization: Organization, user: User, active: bool) -> User:
    """Deactivate or reactivate an account of the actor's organization. Nobody deactivates themselves."""
    if not can_manage_users_of(actor, organization):
        raise NotVisible(_("未找到该机构。"))
    if not Membership.objects.filter(user=user, organization=organization).exists():
        raise NotVisible(_("未找到该账户。"))
    if user.pk == actor.pk and not active:
        raise PermissionRefused(_("不能停用自己的账户。"))
    _refuse_duty_account(user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active == active:
            return locked
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="account.reactivated" if active else "account.deactivated",
            obj=locked,
            organization=organization,
            from_state="active" if not active else "inactive",
            to_state="active" if active else "inactive",
        )
    if not active:
        # End the deactivated user's API access at once; sessions end because inactive users fail auth.
        api_tokens_revoke_all(user=locked, reason="deactivated", actor=actor)
    return locked


def user_change_password(*, user: User, new_password: str) -> None:
    """Record a password change by its owner (the form has already set and validated it); end their API
    tokens."""
    with transaction.atomic():
        if user.must_change_password:
            User.objects.filter(pk=user.pk).update(must_change_password=False)
            user.must_change_password = False
        audit_record(actor=user, action="account.password_changed", obj=user)
    api_tokens_revoke_all(user=user, reason="password_changed")


def user_reset_password(*, actor: User, organization: Organization, user: User, password: str) -> User:
    """Set a temporary password for an account of the actor's organization; its owner must change it at the next
    sign-in. Nobody resets their own password here (they change it themselves)."""
    if not can_manage_users_of(actor, organization):
        raise NotVisible(_("未找到该机构。"))
    if not Membership.objects.filter(user=user, organization=organization).exists():
        raise NotVisible(_("未找到该账户。"))
    if user.pk == actor.pk:
        raise PermissionRefused(_("请通过“修改密码”修改自己的密码。"))
    _refuse_duty_account(user)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput(_("密码不符合要求。"), field_errors={"password": list(exc.messages)}) from exc
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.save(update_fields=["password"])
        require_password_change(locked)
        audit_record(actor=actor, action="account.password_reset", obj=locked, organization=organization)
    # Whoever held the old password (a session or a token) loses it with the reset.
    api_tokens_revoke_all(user=locked, reason="password_reset", actor=actor)
    return locked


def region_update_flags(*, actor: User, region: Region, **flags) -> Region:
    """Change the Art. 15 preference flags of a region (R-20). Provincial administrator only."""
    if not actor_for(actor).is_provincial_admin:
        raise PermissionRefused(_("只有省级系统管理员可以修改区划的倾斜政策标记。"))
    fields = ["is_old_revolutionary_area", "is_ethnic_area", "is_remote_area", "is_less_developed_area"]
    with transaction.atomic():
        locked = Region.objects.select_for_update().get(pk=region.pk)
        before = {f: getattr(locked, f) for f in fields}
        for f in fields:
            if f in flags:
                setattr(locked, f, bool(flags[f]))
        after = {f: getattr(locked, f) for f in fields}
        if before == after:
            return locked
        locked.save(update_fields=fields)
        changed = ", ".join(f"{f}: {int(before[f])}→{int(after[f])}" for f in fields if before[f] != after[f])
        audit_record(actor=actor, action="region.flags_changed", obj=locked, comment=changed)
    return locked
