"""The OpenAPI schema class named in settings: resource tags, summaries and one shared `Error` answer.

Apart from kit.drf because drf-spectacular imports DRF's generic views, which need kit.drf's pagination
class: one module holding both would import itself in a circle.
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "A refused request. `detail` is a message for the user; a refusal of input also names each refused "
        "field with its messages (a list of strings, or objects for nested input), and `non_field_errors` "
        "holds messages about the input as a whole."
    ),
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "A machine-readable reason, where there is one"},
        "otp_required": {
            "type": "boolean",
            "description": "True when the account signs in with two factors and the request lacked a good "
            "`otp` (POST auth/token/) or the session was not verified",
        },
    },
    "required": ["detail"],
    "additionalProperties": True,
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `detail`, plus each refused field with its messages",
    "401": "Not authenticated: no credentials, or an invalid or revoked token or API key",
    "403": "Not allowed: the user's role does not permit this operation",
    "404": "Not found, or not visible to the user",
    "409": "Wrong state: the action does not apply to the object's current state",
    "429": "Too many attempts: wait and try again",
}

# Path segments whose operations belong to another resource's tag.
TAG_ALIASES = {"me": "auth"}

STANDARD_SUMMARIES = {
    "list": "List {plural}",
    "retrieve": "Get {a} {noun}",
    "create": "Create {a} {noun}",
    "update": "Replace {a} {noun}",
    "partial_update": "Update {a} {noun}",
    "destroy": "Delete {a} {noun}",
}


class AutoSchema(openapi.AutoSchema):
    """Tag operations by resource, give each a summary, and declare the errors each can answer with the
    shared `Error` schema.

    A view that raises an error the rules below cannot see declares it: `@extend_schema(responses={404:
    None, ...})`; the schema fills in the `Error` body.
    """

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            # A filter's title is its model field's Chinese label; generated clients would name the
            # parameter's enum class after it (`ApplicationsList状态`) instead of after the parameter.
            parameter.get("schema", {}).pop("title", None)
        return parameters

    def get_tags(self):
        tokens = self._tokenize_path()
        return [TAG_ALIASES.get(tokens[0], tokens[0])] if tokens else []

    def get_summary(self):
        action = getattr(self.view, "action", None)
        handler = getattr(self.view, action or self.method.lower(), None)
        doc = (getattr(handler, "__doc__", None) or "").strip()
        if doc and action not in STANDARD_SUMMARIES:
            return doc.splitlines()[0].rstrip(".")
        noun = (getattr(self.view, "basename", None) or "object").replace("-", " ")
        plural = noun + ("es" if noun.endswith(("s", "ch")) else "s")
        if action in STANDARD_SUMMARIES:
            a = "an" if noun[0] in "aeiou" else "a"
            return STANDARD_SUMMARIES[action].format(a=a, noun=noun, plural=plural)
        view_doc = (self.view.__class__.__doc__ or "").strip()
        return view_doc.splitlines()[0].rstrip(".") if view_doc else None

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = self._error_component()
        for code in sorted(self._error_codes() | (set(responses) & set(ERROR_DESCRIPTIONS))):
            responses[code] = {
                "content": {"application/json": {"schema": error.ref}},
                "description": ERROR_DESCRIPTIONS[code],
            }
        return responses

    def _error_component(self):
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="kit.openapi.Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(component)
        return component

    def _error_codes(self) -> set[str]:
        """Return the error statuses this operation can answer with."""
        codes = set()
        writes = self.method not in permissions.SAFE_METHODS
        path_params = "{" in self.path
        has_body = writes and self.get_request_serializer() is not None
        has_query = any(p["in"] == "query" for p in self._get_parameters())
        if has_body or has_query:
            codes.add("400")
        if self._requires_auth():
            codes |= {"401", "403"}
            if writes and (has_body or path_params):
                # A service refuses a change that does not apply to the object's (or the batch's) state.
                codes.add("409")
        if path_params or (self._is_list_view() and self._get_paginator() is not None):
            # An unknown id, an object outside the user's jurisdiction, or a page past the end.
            codes.add("404")
        if self.view.get_throttles():
            codes.add("429")
        return codes

    def _requires_auth(self) -> bool:
        perms = self.view.get_permissions()
        return bool(self.view.get_authenticators()) and not any(
            isinstance(p, permissions.AllowAny) for p in perms
        )
