"""What every resource of the API shares: permissions per action, lists filtered as the pages filter them,
and one way to create (the write serializer checks the JSON's shape, the page's form and service do the
rest, and the answer is the object as the API reads it, with its Location)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import Cursor
from clusters.access import visible_actors, visible_clusters


def cursor(*ordering):
    return type("Cursor", (Cursor,), {"ordering": ordering})


def action_perms(read, *, create=None, destroy=None, reads=()):
    """{action: model permission}: ``read`` for the list, the detail and the other reads named in ``reads``
    (as the page's view permission), ``create`` and ``destroy`` for the writes the resource has."""
    perms = dict.fromkeys(("list", "retrieve", *reads), read)
    if create:
        perms["create"] = create
    if destroy:
        perms["destroy"] = destroy
    return perms


class ApiViewSet(viewsets.GenericViewSet):
    """Filters apply to lists only; ``perms`` names the model permission of each action (as the page's)."""

    perms = {}
    write_serializers = {}

    def filter_queryset(self, queryset):
        if self.action not in ("list", "export"):
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        return self.write_serializers.get(self.action, self.serializer_class)

    def validated(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def created(self, obj):
        serializer = self.serializer_class(obj, context=self.get_serializer_context())
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers={"Location": serializer.data["url"]})


# The mixins below say what they do in comments: drf-spectacular would take a docstring of theirs as the
# description of every operation of the resources that use them.


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    # A resource's list (filtered, a page at a time) and detail.
    pass


class CreateMixin:
    # POST: ``create_object`` gets the request's JSON checked by the write serializer, makes the object
    # with the page's form and service, and returns it as it is to be shown (201, with its Location).

    def create(self, request, *args, **kwargs):
        return self.created(self.create_object(self.validated(request)))

    def create_object(self, data):
        raise NotImplementedError


class DestroyMixin(mixins.DestroyModelMixin):
    # DELETE: ``perform_destroy`` deletes the object (one the reader may see) through its service; 204.
    pass


def visible_or_400(queryset, field, message, **lookup):
    """The object of ``queryset`` (what the user may see) that ``lookup`` names, or a 400 on ``field``."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise exceptions.ValidationError({field: [message]})
    return found


def visible_cluster_or_400(user, slug, field="cluster"):
    return visible_or_400(visible_clusters(user), field, _("No cluster you may see has this slug."), slug=str(slug))


def visible_actor_or_400(user, pk, field):
    return visible_or_400(visible_actors(user), field, _("No actor you may see has this id."), pk=pk)


class NotFoundView(APIView):
    """Any other address under /api/: a 404 problem, not the site's HTML page."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound()
