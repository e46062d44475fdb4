"""Who is asking: the token's (or session's) person, a quick check that a token works."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import ApiToken
from api.serializers.me import MeSerializer, TokenInfoSerializer
from clusters.access import ROLE_LABELS, role_of
from clusters.history import person


class MeView(APIView):
    """Who the token (or session) acts as: a quick check that a token works."""

    @extend_schema(summary="Who you are to the API", responses=MeSerializer)
    def get(self, request):
        user = request.user
        token = request.auth if isinstance(request.auth, ApiToken) else None
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "name": person(user),
            "role": str(ROLE_LABELS[role_of(user)]),
            "token": TokenInfoSerializer(token).data if token else None,
        }
        return Response(data)
