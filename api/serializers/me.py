"""Who is asking: the token's person."""

from rest_framework import serializers

from api.models import ApiToken


class TokenInfoSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["name", "scope", "expires_at"]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    token = TokenInfoSerializer(allow_null=True)
