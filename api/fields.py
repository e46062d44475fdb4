"""Serializer fields for values that need a stable, typed shape in JSON."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from clusters.history import person


@extend_schema_field(
    inline_serializer(
        "Money",
        fields={
            "amount": serializers.CharField(help_text="A decimal number as text, e.g. 1500.00."),
            "currency": serializers.CharField(help_text="ISO 4217 code, e.g. PEN."),
        },
    )
)
class Money(serializers.Field):
    """An amount in soles as {"amount": "1500.00", "currency": "PEN"}: exact decimals, never a float."""

    currency = "PEN"

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"amount": f"{Decimal(value):.2f}", "currency": self.currency}


@extend_schema_field(
    inline_serializer("Person", fields={"id": serializers.IntegerField(), "name": serializers.CharField()})
)
class PersonField(serializers.Field):
    """A user as {"id": 12, "name": "Rosa Quispe"} (null when none)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, user):
        return {"id": user.pk, "name": person(user)}


@extend_schema_field(OpenApiTypes.URI)
class PageUrl(serializers.Field):
    """The address of the object's page on the site."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


@extend_schema_field(
    inline_serializer("ActorRef", fields={"id": serializers.IntegerField(), "name": serializers.CharField()})
)
class ActorRef(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, actor):
        return {"id": actor.pk, "name": actor.name}
