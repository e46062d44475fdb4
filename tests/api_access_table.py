"""The API's part of the permission matrix: every endpoint x method, and who may use it.

The walk (tests/api/test_api_permission_walk.py) calls each route as every persona, with a session,
with a read-only token and with a read-write token, and with revoked and expired tokens; it fails when
an API route or one of its methods is missing here. Objects come from ``tests.world.build_world``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.access_table import CLUSTER_A, CLUSTER_B, COORDINATION, REPORTING, SIGNED_IN, no_kwargs

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class ApiRoute:
    name: str
    allowed: frozenset
    method: str = "GET"
    kwargs: Callable = no_kwargs
    data: Callable | None = None
    ok_status: int = 200
    query: str = ""
    # Refusals that depend on the data (a cluster the persona does not see) are 400s, not 403/404.
    data_dependent: bool = False
    note: str = field(default="", compare=False)

    @property
    def writes(self):
        return self.method not in SAFE

    @property
    def id(self):
        return f"{self.method} {self.name}{self.query}{' ' + self.note if self.note else ''}"


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


API_ROUTES = [
    ApiRoute("api:api-root", SIGNED_IN),
    ApiRoute("api:me", SIGNED_IN),
    ApiRoute("api:schema", SIGNED_IN),
    # Registry
    ApiRoute("api:cluster-list", SIGNED_IN),
    ApiRoute("api:cluster-list", SIGNED_IN, query="?stage=growing&region=21"),
    ApiRoute("api:cluster-detail", CLUSTER_A, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    ApiRoute("api:cluster-detail", SIGNED_IN - {"researcher_a"}, kwargs=lambda w: {"slug": w.cluster_b.slug}),
    ApiRoute("api:actor-list", SIGNED_IN),
    ApiRoute("api:actor-list", SIGNED_IN, query="?kind=firm&q=textil"),
    ApiRoute("api:actor-detail", CLUSTER_A, kwargs=pk("actor_a")),
    ApiRoute("api:actor-detail", SIGNED_IN - {"researcher_a"}, kwargs=pk("actor_b"), note="cluster B's"),
    ApiRoute(
        "api:actor-list",
        COORDINATION | {"researcher_a"},
        method="POST",
        data=lambda w: {"name": "Hilandería Nueva del Sur", "kind": "firm", "cluster": w.cluster_a.slug},
        ok_status=201,
        data_dependent=True,
    ),
    ApiRoute("api:membership-list", SIGNED_IN),
    ApiRoute("api:membership-detail", CLUSTER_A, kwargs=pk("membership_a")),
    ApiRoute(
        "api:membership-list",
        COORDINATION,
        method="POST",
        data=lambda w: {"cluster": w.cluster_a.slug, "actor": w.actor_b.pk},
        ok_status=201,
        data_dependent=True,
    ),
    ApiRoute("api:membership-detail", COORDINATION, method="DELETE", kwargs=pk("membership_a"), ok_status=204),
    ApiRoute("api:tie-list", SIGNED_IN),
    ApiRoute("api:tie-detail", CLUSTER_A, kwargs=pk("relationship_a")),
    ApiRoute(
        "api:tie-list",
        COORDINATION,
        method="POST",
        data=lambda w: {
            "cluster": w.cluster_a.slug,
            "source": w.actor_a.pk,
            "kind": "collaborates",
            "target": w.actor_a2.pk,
        },
        ok_status=201,
    ),
    ApiRoute("api:tie-detail", COORDINATION, method="DELETE", kwargs=pk("relationship_a"), ok_status=204),
    ApiRoute("api:evaluation-list", SIGNED_IN),
    ApiRoute("api:evaluation-detail", CLUSTER_A, kwargs=pk("evaluation_a")),
    # Questionnaires
    ApiRoute("api:questionnaire-list", SIGNED_IN),
    ApiRoute("api:questionnaire-detail", SIGNED_IN, kwargs=pk("questionnaire")),
    ApiRoute("api:version-list", SIGNED_IN),
    ApiRoute("api:version-detail", SIGNED_IN, kwargs=pk("version"), note="published"),
    ApiRoute("api:version-detail", COORDINATION, kwargs=pk("draft_version"), note="draft"),
    # Interviews
    ApiRoute("api:interview-list", SIGNED_IN),
    ApiRoute("api:interview-list", CLUSTER_B, query="?include=answers&cluster=cafe", data_dependent=True),
    ApiRoute("api:interview-export", SIGNED_IN),
    ApiRoute("api:interview-export", CLUSTER_A, query="?shape=long&cluster=camelidos", data_dependent=True),
    ApiRoute("api:interview-detail", CLUSTER_A, kwargs=pk("interview_a")),
    ApiRoute("api:interview-detail", SIGNED_IN - {"researcher_a"}, kwargs=pk("interview_b"), note="cluster B's"),
    ApiRoute(
        "api:interview-detail",
        SIGNED_IN - {"researcher_a", "researcher_b"},
        kwargs=pk("other_draft_a"),
        note="another's draft",
    ),
    ApiRoute(
        "api:interview-list",
        frozenset({"researcher_a", "admin"}),
        method="POST",
        data=lambda w: {
            "uuid": "3b0c2f4e-2d8a-4c61-9b0e-5f0d7a9c1e22",
            "questionnaire_version": w.version.pk,
            "cluster": w.cluster_a.slug,
            "actor": w.actor_a.pk,
            "date": "2025-06-02",
            "mode": "phone",
            "answers": {"employees": 12, "barrier": "financing"},
        },
        ok_status=201,
        data_dependent=True,
    ),
    # Instruments
    ApiRoute("api:intervention-list", SIGNED_IN),
    ApiRoute("api:intervention-list", SIGNED_IN, query="?status=planned&government_level=regional&goal=external-links"),
    ApiRoute("api:intervention-detail", CLUSTER_A, kwargs=pk("intervention_a")),
    ApiRoute("api:intervention-detail", SIGNED_IN - {"researcher_a"}, kwargs=pk("intervention_b"), note="cluster B's"),
    ApiRoute("api:indicator-list", SIGNED_IN),
    ApiRoute("api:indicator-detail", CLUSTER_A, kwargs=pk("indicator_a")),
    ApiRoute("api:measurement-list", SIGNED_IN),
    ApiRoute("api:measurement-detail", CLUSTER_A, kwargs=pk("measurement_a")),
    ApiRoute(
        "api:measurement-list",
        COORDINATION,
        method="POST",
        data=lambda w: {"indicator": w.indicator_a.pk, "date": "2025-03-31", "value": 17, "source": "CITE"},
        ok_status=201,
    ),
    ApiRoute("api:activity-list", SIGNED_IN),
    ApiRoute("api:activity-detail", CLUSTER_A, kwargs=pk("activity_a")),
    # Reports: researchers may neither ask for nor download reports, as on the pages.
    ApiRoute("api:report-list", REPORTING),
    ApiRoute("api:report-detail", REPORTING, kwargs=pk("report_a")),
    ApiRoute("api:report-download", REPORTING, kwargs=pk("report_a")),
    ApiRoute(
        "api:report-list",
        REPORTING,
        method="POST",
        data=lambda w: {"cluster": w.cluster_a.slug, "language": "en"},
        ok_status=201,
    ),
]
