"""The OpenAPI schema's shared parts: every operation documents the problem details it may answer with."""

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details, in the request's language (Accept-Language: es or en).",
    "properties": {
        "type": {"type": "string", "description": "about:blank, or urn:casebook:problem:<name>."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "400 only: {field: [messages]}; nested fields as answers.<code>, new_actor.name.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status"],
}
DESCRIPTIONS = {
    "400": "The request is not valid (see errors).",
    "401": "No valid token or session: missing, wrong, revoked or expired.",
    "403": "Not allowed: the role or a read-only token does not allow it.",
    "404": "Not found, or not visible to you.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "409": "Conflict with what is stored.",
    "415": "Unsupported media type.",
    "422": "Unprocessable: e.g. an Idempotency-Key reused for a different request.",
    "429": "Too many requests for this token (see Retry-After).",
}
WRITES = ("post", "put", "patch", "delete")


def add_problem_responses(result, generator, request, public):
    """Add the Problem schema and the error responses every operation can give (and the interview list's
    row: its answers are optional)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM
    row = schemas.get("InterviewRow", {})
    if "answers" in row.get("required", []):
        row["required"].remove("answers")  # present with ?include=answers only
    reference = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            codes = ["400", "401", "403", "404", "405", "406", "429"]
            if method in WRITES:
                codes += ["409", "415", "422"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": DESCRIPTIONS[code], "content": reference})
    return result


def register_extensions():
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class BearerTokenExtension(OpenApiAuthenticationExtension):
        target_class = "api.authentication.BearerTokenAuthentication"
        name = "personalToken"

        def get_security_definition(self, auto_schema):
            return {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token made at /accounts/tokens/: Authorization: Bearer cbk_…",
            }

    from drf_spectacular.contrib.django_filters import DjangoFilterExtension

    class PageFilterExtension(DjangoFilterExtension):
        """django-filter's parameters for the schema, leaving the pages' FilterSet classes as they were.

        Describing a filter builds its form field and caches it on the class's filter; the pages' FilterSets
        set their choices per request (departments, visible clusters), which a cached field would ignore.
        """

        target_class = "api.filters.PageFilterBackend"
        priority = 1

        def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
            filterset_class = getattr(auto_schema.view, "filterset_class", None)
            for filter_ in getattr(filterset_class, "base_filters", {}).values():
                _type_method_filter(filter_)
            try:
                return super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
            finally:
                filterset_class = getattr(auto_schema.view, "filterset_class", None)
                for filter_ in getattr(filterset_class, "base_filters", {}).values():
                    filter_.__dict__.pop("_field", None)

    return BearerTokenExtension, PageFilterExtension


def _type_method_filter(filter_):
    """The pages' filters that work through a method (a department's code, a sector's id) say what they
    take, so that the schema need not guess (and ``check --deploy`` has no warning to give)."""
    import django_filters
    from drf_spectacular.drainage import has_override, set_override
    from drf_spectacular.types import OpenApiTypes

    if not filter_.method or has_override(filter_, "field"):
        return
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        by_id = filter_.extra.get("to_field_name") is None
        set_override(filter_, "field", OpenApiTypes.INT if by_id else OpenApiTypes.STR)
    elif isinstance(filter_, django_filters.ChoiceFilter):
        set_override(filter_, "field", OpenApiTypes.STR)
