"""The permission matrix of DESIGN.md as a table of routes, kept in this one place.

Every URL of the project appears here at least once (a test checks it). For each
route: which personas may use it. Everyone else must be refused: anonymous
visitors are sent to the login page, signed-in users get 403 or 404 and no data.
Objects come from ``tests.world.build_world``: ``researcher_a`` is on cluster A's
team, ``researcher_b`` on cluster B's.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

SIGNED_IN = frozenset({"researcher_a", "researcher_b", "coordinator", "manager", "admin"})
RESEARCHERS = frozenset({"researcher_a", "researcher_b"})
SEE_ALL = frozenset({"coordinator", "manager", "admin"})
CLUSTER_A = SEE_ALL | {"researcher_a"}
CLUSTER_B = SEE_ALL | {"researcher_b"}
COORDINATION = frozenset({"coordinator", "admin"})
REPORTING = frozenset({"coordinator", "manager", "admin"})
ADMIN_ONLY = frozenset({"admin"})


def no_kwargs(world):
    return {}


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset
    method: str = "GET"
    kwargs: Callable = no_kwargs
    data: Callable | None = None
    # What an allowed persona gets: 200 for pages; None accepts 200 or a redirect (forms, actions).
    ok_status: int | None = 200
    # Public routes (login, language switch) are open to anonymous visitors too.
    public: bool = False
    # Extra query string, e.g. "?format=csv".
    query: str = ""
    note: str = field(default="", compare=False)

    @property
    def id(self):
        return f"{self.method} {self.name}{self.query}{' ' + self.note if self.note else ''}"


ROUTES = [
    # Foundation
    Route("home", SIGNED_IN),
    Route("login", SIGNED_IN, public=True, ok_status=None, note="signed-in users are sent home"),
    Route("logout", SIGNED_IN, method="POST", ok_status=302, public=True),
    Route("password_change", SIGNED_IN),
    Route("password_change_done", SIGNED_IN),
    Route("set_language", SIGNED_IN, method="POST", data=lambda w: {"language": "en"}, ok_status=302, public=True),
    # clusters/  (registry issue)
    # surveys/   (questionnaires and interviews issue)
    # instruments/ (instruments issue)
    # reports/   (reports issue): researchers may neither ask for nor download reports.
    Route("reports:list", REPORTING),
    Route("reports:list", REPORTING, query="?cluster=cafe", note="cluster tab"),
    Route("reports:request", REPORTING),
    Route(
        "reports:request",
        REPORTING,
        method="POST",
        data=lambda w: {"cluster": w.cluster_a.slug, "language": "en", "period_start": "2025-01-01"},
        ok_status=302,
    ),
    Route("reports:detail", REPORTING, kwargs=lambda w: {"pk": w.report_a.pk}),
    Route("reports:detail", REPORTING, kwargs=lambda w: {"pk": w.report_b.pk}, note="cluster B"),
    Route("reports:status", REPORTING, kwargs=lambda w: {"pk": w.report_a.pk}),
    Route("reports:download", REPORTING, kwargs=lambda w: {"pk": w.report_a.pk}),
    Route("reports:retry", REPORTING, method="POST", kwargs=lambda w: {"pk": w.failed_report_a.pk}, ok_status=302),
]

# URL names that the walk does not need to list: the Django admin has its own tests.
EXEMPT_NAMESPACES = {"admin"}
