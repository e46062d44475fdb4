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
# Who records interviews, and so fills forms on a device (DESIGN.md: interviews, create).
FILL = frozenset({"researcher_a", "researcher_b", "admin"})
DEVICE_TOKENS = frozenset({"researcher_a", "researcher_b", "coordinator", "admin"})


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
    # OpenRosa endpoints for devices: "password" (HTTP Basic over HTTPS as the persona; anonymous gets 401)
    # or "token" (the persona's own device token in the URL; anonymous uses a revoked token and is refused).
    device: str = ""
    # Extra query string, e.g. "?format=csv".
    query: str = ""
    note: str = field(default="", compare=False)

    @property
    def id(self):
        return f"{self.method} {self.name}{self.query}{' ' + self.note if self.note else ''}"


def _device_routes():
    """The OpenRosa endpoints, with a password and with a device token: they who record interviews."""
    routes = []
    for prefix, device in (("", "password"), ("key_", "token")):
        routes += [
            Route(f"openrosa:{prefix}form_list", FILL, device=device),
            Route(f"openrosa:{prefix}form_xml", FILL, kwargs=lambda w: {"pk": w.version.pk}, device=device),
            Route(
                f"openrosa:{prefix}form_xml",
                FILL,
                kwargs=lambda w: {"pk": w.draft_version.pk},
                device=device,
                ok_status=404,
                note="a draft is never served",
            ),
            Route(f"openrosa:{prefix}manifest", FILL, kwargs=lambda w: {"pk": w.version.pk}, device=device),
            Route(
                f"openrosa:{prefix}media",
                FILL,
                kwargs=lambda w: {"pk": w.version.pk, "name": "actors.csv"},
                device=device,
            ),
            Route(f"openrosa:{prefix}submission", FILL, ok_status=204, device=device, note="HEAD's twin"),
            Route(f"openrosa:{prefix}submission", FILL, method="POST", ok_status=400, device=device, note="no XML"),
        ]
    return routes


ROUTES = [
    # Foundation
    Route("home", SIGNED_IN),
    # home/  (the programme dashboard: those who see every cluster)
    Route("dashboard", REPORTING),
    Route(
        "dashboard", REPORTING, data=lambda w: {"region": "21", "period": "2025", "shade": "budget"}, note="filtered"
    ),
    Route("health", SIGNED_IN, public=True),
    Route("login", SIGNED_IN, public=True, ok_status=None, note="signed-in users are sent home"),
    Route("logout", SIGNED_IN, method="POST", ok_status=302, public=True),
    Route("password_change", SIGNED_IN),
    Route("password_change_done", SIGNED_IN),
    Route("set_language", SIGNED_IN, method="POST", data=lambda w: {"language": "en"}, ok_status=302, public=True),
    # clusters/  (registry issue)
    Route("clusters:list", SIGNED_IN),
    Route("clusters:create", COORDINATION),
    Route("clusters:create", COORDINATION, method="POST", data=lambda w: {"name": ""}, note="invalid form"),
    Route("clusters:detail", CLUSTER_A, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route("clusters:detail", CLUSTER_B, kwargs=lambda w: {"slug": w.cluster_b.slug}, note="cluster B"),
    Route("clusters:edit", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route("clusters:edit", COORDINATION, method="POST", kwargs=lambda w: {"slug": w.cluster_a.slug}, ok_status=None),
    Route("clusters:history", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route("clusters:figures", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route(
        "clusters:figures",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug},
        data=lambda w: {"metric": "employment", "value": "1500", "year": "2024", "source": "INEI"},
        ok_status=302,
    ),
    Route("clusters:figure_edit", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.figure_a.pk}),
    Route("clusters:figure_delete", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.figure_a.pk}),
    Route(
        "clusters:figure_delete",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.figure_a.pk},
        ok_status=302,
    ),
    Route("clusters:team", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route(
        "clusters:team_remove",
        COORDINATION,
        kwargs=lambda w: {"slug": w.cluster_a.slug, "user_id": w.users["researcher_a"].pk},
    ),
    Route(
        "clusters:team_remove",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug, "user_id": w.users["researcher_a"].pk},
        ok_status=302,
    ),
    Route("clusters:actors", CLUSTER_A, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route("clusters:actors", CLUSTER_B, kwargs=lambda w: {"slug": w.cluster_b.slug}, note="cluster B"),
    Route("clusters:membership_add", COORDINATION | {"researcher_a"}, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route(
        "clusters:membership_add",
        COORDINATION | {"researcher_a"},
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug},
        data=lambda w: {"actor": f"#{w.actor_b.pk}"},
        ok_status=None,
        note="another cluster's actor",
    ),
    Route(
        "clusters:membership_edit",
        COORDINATION,
        kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.membership_a.pk},
    ),
    Route(
        "clusters:membership_delete",
        COORDINATION,
        kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.membership_a.pk},
    ),
    Route(
        "clusters:membership_delete",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.membership_a.pk},
        ok_status=302,
    ),
    Route("clusters:network", CLUSTER_A, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route("clusters:network", CLUSTER_B, kwargs=lambda w: {"slug": w.cluster_b.slug}, note="cluster B"),
    Route(
        "clusters:network",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug},
        data=lambda w: {"source": w.actor_a.pk, "target": w.actor_a2.pk, "kind": "collaborates"},
        ok_status=302,
        note="record a tie",
    ),
    Route("clusters:tie_delete", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.relationship_a.pk}),
    Route(
        "clusters:tie_delete",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.relationship_a.pk},
        ok_status=302,
    ),
    Route("clusters:evaluations", CLUSTER_A, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route("clusters:evaluations", CLUSTER_B, kwargs=lambda w: {"slug": w.cluster_b.slug}, note="cluster B"),
    Route("clusters:evaluation_create", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route(
        "clusters:evaluation_create",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug},
        data=lambda w: {"date": "2025-12-01"},
        note="invalid form",
    ),
    Route(
        "clusters:evaluation_detail",
        CLUSTER_A,
        kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.evaluation_a.pk},
    ),
    Route(
        "clusters:evaluation_edit",
        COORDINATION,
        kwargs=lambda w: {"slug": w.cluster_a.slug, "pk": w.evaluation_a.pk},
    ),
    Route("clusters:actor_list", SIGNED_IN),
    Route("clusters:actor_create", COORDINATION | RESEARCHERS),
    Route("clusters:actor_create", COORDINATION | RESEARCHERS, method="POST", data=lambda w: {}, note="invalid form"),
    Route("clusters:actor_export", SIGNED_IN, query="?format=csv"),
    Route("clusters:actor_export", SIGNED_IN, query="?format=xlsx"),
    Route("clusters:actor_import", COORDINATION),
    Route("clusters:actor_import", COORDINATION, method="POST", data=lambda w: {}, note="no file"),
    Route("clusters:actor_import_confirm", COORDINATION, method="POST", ok_status=302, note="nothing pending"),
    Route("clusters:actor_import_template", COORDINATION, query="?format=xlsx"),
    Route("clusters:actor_autocomplete", SIGNED_IN, query="?q=a"),
    Route("clusters:actor_autocomplete", CLUSTER_A, query="?cluster=camelidos", note="within cluster A"),
    Route("clusters:actor_detail", CLUSTER_A, kwargs=lambda w: {"pk": w.actor_a.pk}),
    Route("clusters:actor_detail", CLUSTER_B, kwargs=lambda w: {"pk": w.actor_b.pk}, note="cluster B's actor"),
    Route("clusters:actor_edit", COORDINATION, kwargs=lambda w: {"pk": w.actor_a.pk}),
    Route("clusters:actor_edit", COORDINATION, method="POST", kwargs=lambda w: {"pk": w.actor_a.pk}, ok_status=None),
    Route("clusters:actor_history", COORDINATION, kwargs=lambda w: {"pk": w.actor_a.pk}),
    Route("clusters:region_children", SIGNED_IN, kwargs=lambda w: {"code": "21"}),
    # surveys/   (questionnaires and interviews issue)
    # instruments/ (instruments issue). Researchers get the portfolio, catalogue and export scoped to their
    # clusters (the menu links the portfolio for everyone with instruments.view_intervention); writes and
    # review are for coordinators and admins.
    Route("instruments:portfolio", SIGNED_IN),
    Route("instruments:portfolio", SIGNED_IN, query="?status=running&government_level=regional"),
    Route("instruments:catalogue", SIGNED_IN),
    Route("instruments:instrument_type_create", COORDINATION),
    Route(
        "instruments:instrument_type_create",
        COORDINATION,
        method="POST",
        data=lambda w: {"goal": w.intervention_a.instrument_type.goal_id, "name_es": "Ruedas de negocio locales"},
        ok_status=302,
    ),
    Route("instruments:cluster", CLUSTER_A, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route("instruments:cluster", CLUSTER_B, kwargs=lambda w: {"slug": w.cluster_b.slug}),
    Route("instruments:intervention_create", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route(
        "instruments:intervention_create",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug},
        data=lambda w: _intervention_data(w),
        ok_status=302,
    ),
    Route("instruments:intervention_detail", CLUSTER_A, kwargs=lambda w: {"pk": w.intervention_a.pk}),
    Route("instruments:intervention_detail", CLUSTER_B, kwargs=lambda w: {"pk": w.intervention_b.pk}),
    Route("instruments:intervention_edit", COORDINATION, kwargs=lambda w: {"pk": w.intervention_a.pk}),
    Route(
        "instruments:intervention_edit",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.intervention_a.pk},
        data=lambda w: {**_intervention_data(w), "version": w.intervention_a.version},
        ok_status=302,
    ),
    Route("instruments:indicator_create", COORDINATION, kwargs=lambda w: {"pk": w.intervention_a.pk}),
    Route(
        "instruments:indicator_create",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.intervention_a.pk},
        data=lambda w: _indicator_data(w),
        ok_status=302,
    ),
    Route("instruments:indicator_detail", CLUSTER_A, kwargs=lambda w: {"pk": w.indicator_a.pk}),
    Route("instruments:indicator_detail", CLUSTER_B, kwargs=lambda w: {"pk": w.indicator_b.pk}),
    Route("instruments:indicator_edit", COORDINATION, kwargs=lambda w: {"pk": w.indicator_a.pk}),
    Route(
        "instruments:indicator_edit",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.indicator_a.pk},
        data=lambda w: _indicator_data(w),
        ok_status=302,
    ),
    Route("instruments:measurement_create", COORDINATION, kwargs=lambda w: {"pk": w.indicator_a.pk}),
    Route(
        "instruments:measurement_create",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.indicator_a.pk},
        data=lambda w: _measurement_data(w),
        ok_status=302,
    ),
    Route("instruments:measurement_detail", CLUSTER_A, kwargs=lambda w: {"pk": w.measurement_a.pk}),
    Route("instruments:measurement_detail", CLUSTER_B, kwargs=lambda w: {"pk": w.measurement_b.pk}),
    Route("instruments:measurement_edit", COORDINATION, kwargs=lambda w: {"pk": w.measurement_a.pk}),
    Route(
        "instruments:measurement_edit",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.measurement_a.pk},
        data=lambda w: _measurement_data(w),
        ok_status=302,
    ),
    Route(
        "instruments:measurement_delete",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.measurement_a.pk},
        ok_status=302,
    ),
    Route(
        "instruments:measurement_review",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.measurement_a.pk},
        data=lambda w: {"decision": "approve"},
        ok_status=302,
    ),
    Route(
        "instruments:measurement_review",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.measurement_a.pk},
        data=lambda w: {"decision": "return", "reason": "Falta la fuente"},
        ok_status=302,
        note="return",
    ),
    Route("instruments:review_queue", COORDINATION),
    Route("instruments:activity_create", COORDINATION, kwargs=lambda w: {"pk": w.intervention_a.pk}),
    Route(
        "instruments:activity_create",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.intervention_a.pk},
        data=lambda w: _activity_data(w),
        ok_status=302,
    ),
    Route("instruments:activity_edit", COORDINATION, kwargs=lambda w: {"pk": w.activity_a.pk}),
    Route(
        "instruments:activity_edit",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.activity_a.pk},
        data=lambda w: _activity_data(w),
        ok_status=302,
    ),
    Route("instruments:indicator_export", SIGNED_IN, query="?period=year"),
    Route("instruments:indicator_export", CLUSTER_A, query="?cluster=camelidos&period=quarter"),
    Route("instruments:indicator_export", CLUSTER_B, query="?cluster=cafe"),
    Route("surveys:questionnaire_list", SIGNED_IN),
    Route("surveys:questionnaire_create", COORDINATION),
    Route(
        "surveys:questionnaire_create",
        COORDINATION,
        method="POST",
        data=lambda w: {"name": "Encuesta de proveedores"},
        ok_status=302,
    ),
    Route("surveys:questionnaire_import", COORDINATION),
    Route("surveys:version_detail", SIGNED_IN, kwargs=lambda w: {"pk": w.version.pk}, note="published"),
    Route("surveys:version_detail", COORDINATION, kwargs=lambda w: {"pk": w.draft_version.pk}, note="draft"),
    Route("surveys:version_export", SIGNED_IN, kwargs=lambda w: {"pk": w.version.pk}),
    Route("surveys:version_import", COORDINATION, kwargs=lambda w: {"pk": w.version.pk}),
    Route(
        "surveys:version_new_draft", COORDINATION, method="POST", kwargs=lambda w: {"pk": w.version.pk}, ok_status=302
    ),
    Route(
        "surveys:version_publish",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.draft_version.pk},
        ok_status=302,
    ),
    Route(
        "surveys:version_delete",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.draft_version.pk},
        ok_status=302,
    ),
    Route("surveys:version_languages", COORDINATION, kwargs=lambda w: {"pk": w.draft_version.pk}),
    Route(
        "surveys:version_languages",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.draft_version.pk},
        data=lambda w: {"languages": "Español (es)\nRunasimi (qu)", "default_language": "Español (es)"},
        ok_status=302,
    ),
    Route("surveys:version_languages", frozenset(), kwargs=lambda w: {"pk": w.version.pk}, note="published: frozen"),
    Route(
        "surveys:version_file_upload",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.draft_version.pk},
        ok_status=302,
        note="no file: told, nothing attached",
    ),
    Route("surveys:version_file_download", SIGNED_IN, kwargs=lambda w: {"pk": w.version_file.pk}),
    Route("surveys:version_file_download", COORDINATION, kwargs=lambda w: {"pk": w.draft_file.pk}, note="draft"),
    Route(
        "surveys:version_file_delete",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.draft_file.pk},
        ok_status=302,
    ),
    Route("surveys:section_create", COORDINATION, kwargs=lambda w: {"version_pk": w.draft_version.pk}),
    Route("surveys:section_edit", COORDINATION, kwargs=lambda w: {"pk": w.draft_section.pk}),
    Route("surveys:section_edit", frozenset(), kwargs=lambda w: {"pk": w.section.pk}, note="published: frozen"),
    Route(
        "surveys:section_delete",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.draft_section.pk},
        ok_status=302,
    ),
    Route("surveys:question_create", COORDINATION, kwargs=lambda w: {"version_pk": w.draft_version.pk}),
    Route("surveys:question_edit", COORDINATION, kwargs=lambda w: {"pk": w.draft_question.pk}),
    Route("surveys:question_edit", frozenset(), kwargs=lambda w: {"pk": w.question.pk}, note="published: frozen"),
    Route(
        "surveys:question_delete",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.draft_question.pk},
        ok_status=302,
    ),
    Route(
        "surveys:question_move",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.draft_question.pk},
        data=lambda w: {"direction": "up"},
        ok_status=302,
    ),
    Route("surveys:interview_list", SIGNED_IN),
    Route("surveys:interview_list", SIGNED_IN, query="?cluster=camelidos", note="no data for researcher_b"),
    Route("surveys:interview_start", RESEARCHERS | ADMIN_ONLY),
    Route(
        "surveys:interview_start",
        frozenset({"researcher_a", "admin"}),
        data=lambda w: {"version": w.version.pk, "cluster": w.cluster_a.slug},
        note="form for cluster A",
    ),
    Route(
        "surveys:interview_start",
        frozenset({"researcher_a", "admin"}),
        method="POST",
        data=lambda w: {
            "version": w.version.pk,
            "cluster": w.cluster_a.slug,
            "uuid": "6f1c1f36-6a43-4c4e-9d0e-4d1c9a0b7e11",
            "form_token": "0b0a6b8e-2f47-4a43-8f3b-1f9b4f1f5c22",
            "actor": w.actor_a.pk,
            "date": "2025-06-02",
            "mode": "in_person",
            "save": "1",
        },
        ok_status=302,
        note="save a new draft",
    ),
    Route("surveys:interview_detail", CLUSTER_A, kwargs=lambda w: {"pk": w.interview_a.pk}),
    Route("surveys:interview_detail", CLUSTER_B, kwargs=lambda w: {"pk": w.interview_b.pk}),
    Route("surveys:interview_detail", SEE_ALL, kwargs=lambda w: {"pk": w.other_draft_a.pk}, note="another's draft"),
    Route("surveys:interview_edit", frozenset({"researcher_a"}), kwargs=lambda w: {"pk": w.interview_a.pk}),
    Route(
        "surveys:interview_edit",
        frozenset({"researcher_a"}),
        method="POST",
        kwargs=lambda w: {"pk": w.interview_a.pk},
        data=lambda w: {
            "uuid": str(w.interview_a.uuid),
            "form_token": "9d7c3f0e-5b1a-4d7e-8f00-2b3c4d5e6f70",
            "lock_version": w.interview_a.lock_version,
            "date": "2025-05-12",
            "mode": "phone",
            "save": "1",
        },
        ok_status=302,
    ),
    Route("surveys:interview_edit", frozenset(), kwargs=lambda w: {"pk": w.submitted_interview_a.pk}, note="submitted"),
    Route("surveys:interview_edit", frozenset(), kwargs=lambda w: {"pk": w.other_draft_a.pk}, note="another's draft"),
    Route(
        "surveys:interview_edit", frozenset({"researcher_b"}), kwargs=lambda w: {"pk": w.interview_b.pk}, note="B's own"
    ),
    Route(
        "surveys:interview_review",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.submitted_interview_a.pk},
        data=lambda w: {"decision": "approve"},
        ok_status=302,
    ),
    Route("surveys:review_queue", COORDINATION),
    Route("surveys:interview_export", SIGNED_IN, kwargs=lambda w: {"fmt": "csv", "shape": "wide"}),
    Route("surveys:interview_export", SIGNED_IN, kwargs=lambda w: {"fmt": "csv", "shape": "long"}, note="long"),
    Route("surveys:interview_export", SIGNED_IN, kwargs=lambda w: {"fmt": "xlsx", "shape": "wide"}, note="xlsx"),
    Route("surveys:interview_export", SIGNED_IN, kwargs=lambda w: {"fmt": "xlsx", "shape": "long"}, note="xlsx long"),
    Route(
        "surveys:attachment_upload",
        frozenset({"researcher_a"}),
        method="POST",
        kwargs=lambda w: {"pk": w.interview_a.pk},
        ok_status=302,
        note="no file: refused with a message",
    ),
    Route("surveys:attachment_download", CLUSTER_A, kwargs=lambda w: {"pk": w.attachment_a.pk}),
    Route(
        "surveys:attachment_delete",
        frozenset({"researcher_a"}),
        method="POST",
        kwargs=lambda w: {"pk": w.attachment_a.pk},
        ok_status=302,
    ),
    Route("surveys:findings_index", SIGNED_IN),
    Route("surveys:cluster_findings", CLUSTER_A, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route("surveys:cluster_findings", CLUSTER_B, kwargs=lambda w: {"slug": w.cluster_b.slug}),
    # instruments/ (instruments issue)
    # reports/   (reports issue)
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
    # openrosa/ (field devices): device tokens (researchers their own, coordinators revoke anyone's, managers
    # nothing), submissions with observations (coordination), and the OpenRosa endpoints.
    Route("openrosa:devices", DEVICE_TOKENS),
    Route("openrosa:device_create", RESEARCHERS | {"admin"}, method="POST", data=lambda w: {"name": "Tableta"}),
    Route(
        "openrosa:device_create",
        RESEARCHERS | {"admin"},
        method="POST",
        data=lambda w: {"name": ""},
        ok_status=302,
        note="invalid form",
    ),
    Route(
        "openrosa:device_revoke",
        {"researcher_a", "coordinator", "admin"},
        method="POST",
        kwargs=lambda w: {"pk": w.device_a.pk},
        ok_status=302,
    ),
    Route("openrosa:observations", COORDINATION),
    Route("openrosa:submission_detail", COORDINATION, kwargs=lambda w: {"pk": w.submission_a.pk}),
    *_device_routes(),
    # The programme report (wave 2): coordinators and managers request and download it; researchers do not.
    Route("reports:programme_request", REPORTING),
    Route(
        "reports:programme_request",
        REPORTING,
        method="POST",
        data=lambda w: {"language": "es", "period_end": "2025-12-31"},
        ok_status=302,
    ),
    Route("reports:detail", REPORTING, kwargs=lambda w: {"pk": w.programme_report.pk}, note="programme report"),
    Route("reports:download", REPORTING, kwargs=lambda w: {"pk": w.programme_report.pk}, note="programme report"),
    # Report editions (wave 2): coordinators write them and mark them final, managers read them.
    Route("reports:edition_list", REPORTING),
    Route("reports:edition_list", REPORTING, query="?cluster=camelidos", note="cluster tab"),
    Route("reports:edition_create", COORDINATION, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route(
        "reports:edition_create",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"slug": w.cluster_a.slug},
        data=lambda w: {"title": "Informe 2026", "strengths": "- Acopio organizado"},
        ok_status=302,
    ),
    Route("reports:edition_detail", REPORTING, kwargs=lambda w: {"pk": w.edition_a.pk}),
    Route("reports:edition_edit", COORDINATION, kwargs=lambda w: {"pk": w.edition_a.pk}),
    Route(
        "reports:edition_edit",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.edition_a.pk},
        data=lambda w: {"title": "Informe anual (revisado)", "lessons": "Aprendimos algo."},
        ok_status=302,
    ),
    Route(
        "reports:edition_finalise", COORDINATION, method="POST", kwargs=lambda w: {"pk": w.edition_a.pk}, ok_status=302
    ),
    Route(
        "reports:edition_reopen",
        COORDINATION,
        method="POST",
        kwargs=lambda w: {"pk": w.final_edition_a.pk},
        ok_status=302,
    ),
    # Who publishes the reports: administrators only.
    Route("reports:settings", ADMIN_ONLY),
    Route(
        "reports:settings",
        ADMIN_ONLY,
        method="POST",
        data=lambda w: {"programme_name": "Programa de Clústeres", "institution": "Ministerio de la Producción"},
        ok_status=302,
    ),
    # api/ (API issue): the documentation pages and the personal tokens page. The API's own endpoints are
    # walked by tests/api/test_api_permission_walk.py against tests/api_access_table.py.
    Route("api:docs", SIGNED_IN),
    Route("api:redoc", SIGNED_IN),
    Route("tokens:list", SIGNED_IN),
    Route(
        "tokens:list",
        SIGNED_IN,
        method="POST",
        data=lambda w: {"name": "Stata", "scope": "read", "days": "30"},
        ok_status=302,
        note="make a read-only token",
    ),
    Route(
        "tokens:revoke",
        frozenset({"researcher_a"}),
        method="POST",
        kwargs=lambda w: {"pk": w.token_a.pk},
        ok_status=302,
        note="researcher_a's own token",
    ),
    # mapping/ (identification and prioritisation): coordinators import and weigh, managers read, researchers
    # see only their own clusters' scores.
    Route("mapping:index", REPORTING),
    Route("mapping:candidates", REPORTING),
    Route("mapping:candidates", REPORTING, query="?department=21&min_stars=1&min_lq=1,5", note="filtered"),
    Route("mapping:priorities", REPORTING),
    Route(
        "mapping:priorities",
        REPORTING,
        query="?employment=50&wages=0&output=0&network=0&related_activities=0&growth=0&competitors=0",
        note="trying weights",
    ),
    Route("mapping:priorities_export", REPORTING),
    Route(
        "mapping:weights",
        COORDINATION,
        method="POST",
        data=lambda w: {
            "employment": "40",
            "wages": "10",
            "output": "10",
            "network": "10",
            "related_activities": "10",
            "growth": "10",
            "competitors": "10",
        },
        ok_status=302,
    ),
    Route("mapping:dataset", REPORTING, kwargs=lambda w: {"pk": w.dataset.pk}),
    Route("mapping:dataset_compute", COORDINATION, method="POST", kwargs=lambda w: {"pk": w.dataset.pk}, ok_status=302),
    Route("mapping:dataset_delete", COORDINATION, kwargs=lambda w: {"pk": w.dataset.pk}),
    Route("mapping:dataset_delete", COORDINATION, method="POST", kwargs=lambda w: {"pk": w.dataset.pk}, ok_status=302),
    Route("mapping:import", COORDINATION),
    Route("mapping:import", COORDINATION, method="POST", data=lambda w: {}, note="no file"),
    Route("mapping:import_confirm", COORDINATION, method="POST", ok_status=302, note="nothing pending"),
    Route("mapping:import_template", COORDINATION, query="?format=xlsx"),
    Route("mapping:import_template", COORDINATION, query="?format=csv"),
    Route("mapping:demo_file", COORDINATION),
    Route("mapping:cluster", CLUSTER_A, kwargs=lambda w: {"slug": w.cluster_a.slug}),
    Route("mapping:cluster", CLUSTER_B, kwargs=lambda w: {"slug": w.cluster_b.slug}, note="cluster B"),
]


def _intervention_data(w):
    return {
        "instrument_type": w.intervention_a.instrument_type_id,
        "title": "Clasificación de fibra de alpaca",
        "government_level": "regional",
        "focus": "actors",
        "start_date": "2024-03-01",
        "end_date": "2025-12-31",
        "budget_planned": "S/ 250,000.00",
        "budget_executed": "120000",
        "status": "running",
        "beneficiaries": [w.actor_a.pk],
    }


def _indicator_data(w):
    return {
        "name": "Merma de fibra",
        "unit": "%",
        "direction": "decrease",
        "baseline_value": "18",
        "baseline_date": "2024-03-01",
        "target_value": "8",
        "target_date": "2025-12-31",
    }


def _measurement_data(w):
    return {"date": "2024-12-31", "value": "15", "source": "Registro del CITE"}


def _activity_data(w):
    return {"date": "2024-07-10", "kind": "training", "title": "Taller de clasificación", "women": "10", "men": "6"}


# URL names that the walk does not need to list: the Django admin has its own tests.
EXEMPT_NAMESPACES = {"admin"}
