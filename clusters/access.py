"""Who may do what: roles, their model permissions, and what each user may see.

The permission matrix of DESIGN.md lives here once. Groups get model
permissions from ``ROLE_PERMISSIONS`` (applied by a data migration and again
after every ``migrate``); object scoping (a researcher sees only the clusters
on whose team they are) is done by the ``visible_*`` querysets, which every
list, detail, count, search, export and report uses.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    RESEARCHER = "field researcher"
    COORDINATOR = "coordinator"
    MANAGER = "manager"
    ADMIN = "admin"
    NONE = "none"


GROUP_NAMES = (Role.RESEARCHER, Role.COORDINATOR, Role.MANAGER)
ROLE_LABELS = {
    Role.RESEARCHER: _("Field researcher"),
    Role.COORDINATOR: _("Coordinator"),
    Role.MANAGER: _("Manager"),
    Role.ADMIN: _("Administrator"),
    Role.NONE: _("No role"),
}


def _crud(app_model, *actions):
    app, model = app_model.split(".")
    return [f"{app}.{action}_{model}" for action in actions]


ALL = ("add", "change", "delete", "view")

ROLE_PERMISSIONS = {
    Role.RESEARCHER: [
        *_crud("clusters.cluster", "view"),
        *_crud("clusters.headlinefigure", "view"),
        *_crud("clusters.actor", "view", "add"),
        *_crud("clusters.membership", "view", "add"),
        *_crud("clusters.relationship", "view"),
        *_crud("clusters.evaluation", "view"),
        *_crud("clusters.riskrating", "view"),
        *_crud("surveys.questionnaire", "view"),
        *_crud("surveys.questionnaireversion", "view"),
        *_crud("surveys.section", "view"),
        *_crud("surveys.question", "view"),
        *_crud("surveys.choice", "view"),
        *_crud("surveys.interview", "view", "add", "change"),
        *_crud("surveys.attachment", "view", "add", "delete"),
        *_crud("instruments.goal", "view"),
        *_crud("instruments.instrumenttype", "view"),
        *_crud("instruments.intervention", "view"),
        *_crud("instruments.indicator", "view"),
        *_crud("instruments.measurement", "view"),
        *_crud("instruments.activity", "view"),
        # Field devices (openrosa): her own device tokens.
        *_crud("openrosa.devicetoken", "view", "add"),
    ],
    Role.COORDINATOR: [
        *_crud("clusters.cluster", *ALL),
        *_crud("clusters.headlinefigure", *ALL),
        *_crud("clusters.actor", *ALL),
        *_crud("clusters.membership", *ALL),
        *_crud("clusters.relationship", *ALL),
        *_crud("clusters.evaluation", *ALL),
        *_crud("clusters.riskrating", *ALL),
        *_crud("surveys.questionnaire", *ALL),
        *_crud("surveys.questionnaireversion", *ALL),
        "surveys.publish_questionnaireversion",
        *_crud("surveys.section", *ALL),
        *_crud("surveys.question", *ALL),
        *_crud("surveys.choice", *ALL),
        *_crud("surveys.interview", "view"),
        "surveys.review_interview",
        *_crud("surveys.attachment", "view"),
        *_crud("instruments.goal", "view"),
        *_crud("instruments.instrumenttype", "view", "add", "change"),
        *_crud("instruments.intervention", *ALL),
        *_crud("instruments.indicator", *ALL),
        *_crud("instruments.measurement", *ALL),
        "instruments.review_measurement",
        *_crud("instruments.activity", *ALL),
        *_crud("reports.reportjob", "view", "add"),
        # Field devices (openrosa): revoke anyone's device token; read submissions with observations.
        *_crud("openrosa.devicetoken", "view", "delete"),
        *_crud("openrosa.submission", "view"),
        *_crud("reports.reportedition", "view", "add", "change"),
        "reports.finalise_reportedition",
        # mapping/ (regional economic data, candidates, prioritisation): import data, edit the weights.
        *_crud("mapping.dataset", *ALL),
        *_crud("mapping.priorityweight", "view", "change"),
    ],
    Role.MANAGER: [
        *_crud("clusters.cluster", "view"),
        *_crud("clusters.headlinefigure", "view"),
        *_crud("clusters.actor", "view"),
        *_crud("clusters.membership", "view"),
        *_crud("clusters.relationship", "view"),
        *_crud("clusters.evaluation", "view"),
        *_crud("clusters.riskrating", "view"),
        *_crud("surveys.questionnaire", "view"),
        *_crud("surveys.questionnaireversion", "view"),
        *_crud("surveys.section", "view"),
        *_crud("surveys.question", "view"),
        *_crud("surveys.choice", "view"),
        *_crud("surveys.interview", "view"),
        *_crud("surveys.attachment", "view"),
        *_crud("instruments.goal", "view"),
        *_crud("instruments.instrumenttype", "view"),
        *_crud("instruments.intervention", "view"),
        *_crud("instruments.indicator", "view"),
        *_crud("instruments.measurement", "view"),
        *_crud("instruments.activity", "view"),
        *_crud("reports.reportjob", "view", "add"),
        *_crud("reports.reportedition", "view"),
        *_crud("mapping.dataset", "view"),
        *_crud("mapping.priorityweight", "view"),
    ],
}


def sync_role_permissions(group_model, permission_model):
    """Create the role groups and give each exactly the permissions of ROLE_PERMISSIONS.

    Takes the model classes so that a data migration can pass its historical ones.
    Permissions whose model does not exist yet are skipped; the next migrate adds them.
    """
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=str(role))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append((app_label, codename))
        found = permission_model.objects.filter(
            content_type__app_label__in={a for a, _c in wanted}, codename__in={c for _a, c in wanted}
        ).select_related("content_type")
        by_key = {(p.content_type.app_label, p.codename): p for p in found}
        group.permissions.set([by_key[key] for key in wanted if key in by_key])


def role_of(user):
    """The user's role, computed once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return Role.NONE
    cached = getattr(user, "_casebook_role", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        role = Role.ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in (Role.COORDINATOR, Role.MANAGER, Role.RESEARCHER) if r in names), Role.NONE)
    user._casebook_role = role
    return role


def sees_all_clusters(user):
    """Coordinators, managers and admins see every cluster; researchers only their teams'."""
    return role_of(user) in (Role.COORDINATOR, Role.MANAGER, Role.ADMIN)


def visible_clusters(user):
    """The clusters this user may see, as a queryset (no rows for anonymous users)."""
    from clusters.models import Cluster

    if sees_all_clusters(user):
        return Cluster.objects.all()
    if role_of(user) == Role.RESEARCHER:
        return Cluster.objects.filter(team=user)
    return Cluster.objects.none()


def scope_to_clusters(queryset, user, cluster_field="cluster"):
    """Filter any queryset with a path to a cluster down to the clusters the user may see."""
    if sees_all_clusters(user):
        return queryset
    if role_of(user) != Role.RESEARCHER:
        return queryset.none()
    return queryset.filter(**{f"{cluster_field}__team": user})


def visible_actors(user):
    """Actors of the clusters the user may see (all actors for those who see everything)."""
    from clusters.models import Actor, Membership

    if sees_all_clusters(user):
        return Actor.objects.all()
    if role_of(user) != Role.RESEARCHER:
        return Actor.objects.none()
    on_team = Membership.objects.filter(actor=OuterRef("pk"), cluster__team=user)
    return Actor.objects.filter(Exists(on_team))


def get_visible_cluster(user, slug):
    """The cluster with this slug if the user may see it; 404 otherwise (no hint that it exists)."""
    cluster = visible_clusters(user).filter(slug=slug).first()
    if cluster is None:
        raise Http404
    return cluster


def sees_cluster_scores(user, cluster):
    """Identification scores: all of them for those who read the economic data; researchers see their
    own clusters' (the cluster must be visible to them, which ``get_visible_cluster`` checks first)."""
    if user.has_perm("mapping.view_dataset"):
        return True
    return role_of(user) == Role.RESEARCHER and visible_clusters(user).filter(pk=cluster.pk).exists()


def can_edit_interview(user, interview):
    """Whoever recorded the interview may change it (answers, attachments) while it is a draft or returned
    to her, and only with the permission to change interviews: the one rule of the pages and the services."""
    return interview.is_editable and interview.interviewer_id == user.pk and user.has_perm("surveys.change_interview")


def require_perm(user, perm):
    """Raise PermissionDenied unless the user has the model permission."""
    if not user.has_perm(perm):
        raise PermissionDenied


# Navigation: (url name, label, permission). Entries whose URL does not exist yet are skipped.
NAVIGATION = [
    ("clusters:list", _("Clusters"), "clusters.view_cluster"),
    ("clusters:actor_list", _("Actors"), "clusters.view_actor"),
    ("surveys:interview_list", _("Interviews"), "surveys.view_interview"),
    ("surveys:questionnaire_list", _("Questionnaires"), "surveys.view_questionnaire"),
    ("instruments:portfolio", _("Instruments"), "instruments.view_intervention"),
    ("reports:list", _("Reports"), "reports.view_reportjob"),
    ("openrosa:devices", _("Devices"), "openrosa.view_devicetoken"),
    ("mapping:candidates", _("Identification"), "mapping.view_dataset"),
]


def navigation(request):
    """Context processor: the menu entries this user may use, and their role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role": Role.NONE, "user_role_label": ""}
    items = []
    for url_name, label, perm in NAVIGATION:
        if not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    role = role_of(user)
    return {"nav_items": items, "user_role": role, "user_role_label": ROLE_LABELS[role]}
