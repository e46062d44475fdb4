"""A small programme that every permission test walks through.

Two clusters, A and B. ``researcher_a`` is on A's team, ``researcher_b`` on B's.
Each object below belongs to cluster A unless its name ends in ``_b``.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from clusters.access import Role
from reports.models import ReportEdition, ReportJob
from surveys.models import Interview, QuestionnaireVersion
from tests import factories as f
from tests.mapping.data import make_dataset

PERSONAS = ("anonymous", "researcher_a", "researcher_b", "coordinator", "manager", "admin")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_personas():
    return {
        "anonymous": None,
        "researcher_a": f.UserFactory(username="researcher_a", role=Role.RESEARCHER),
        "researcher_b": f.UserFactory(username="researcher_b", role=Role.RESEARCHER),
        "coordinator": f.UserFactory(username="coordinator", role=Role.COORDINATOR),
        "manager": f.UserFactory(username="manager", role=Role.MANAGER),
        "admin": f.UserFactory(username="admin", role=Role.ADMIN),
    }


def build_world():
    users = make_personas()
    o = {}
    # clusters/
    o["cluster_a"] = f.ClusterFactory(
        name="Pelos Finos de Camélidos",
        slug="camelidos",
        coordinator=users["coordinator"],
        team=[users["researcher_a"]],
    )
    o["cluster_b"] = f.ClusterFactory(
        name="Café del Perú",
        slug="cafe",
        main_sector=f.sector("01"),
        coordinator=users["coordinator"],
        team=[users["researcher_b"]],
        regions=[f.region("12")],
    )
    o["figure_a"] = f.HeadlineFigureFactory(cluster=o["cluster_a"])
    o["actor_a"] = f.ActorFactory(name="Textil Altiplano S.A.C.")
    o["actor_a2"] = f.ActorFactory(name="Universidad Nacional del Altiplano", kind="university", size="")
    o["actor_b"] = f.ActorFactory(name="Cooperativa Cafetalera Valle Alto", region=f.region("12"))
    o["membership_a"] = f.MembershipFactory(cluster=o["cluster_a"], actor=o["actor_a"])
    o["membership_a2"] = f.MembershipFactory(cluster=o["cluster_a"], actor=o["actor_a2"], role="knowledge_institution")
    o["membership_b"] = f.MembershipFactory(cluster=o["cluster_b"], actor=o["actor_b"])
    o["relationship_a"] = f.RelationshipFactory(
        cluster=o["cluster_a"], source=o["actor_a2"], target=o["actor_a"], kind="trains"
    )
    o["evaluation_a"] = f.EvaluationFactory(cluster=o["cluster_a"], evaluator=users["coordinator"])
    o["rating_a"] = f.RiskRatingFactory(evaluation=o["evaluation_a"])
    # surveys/
    o["version"] = f.QuestionnaireVersionFactory(status=QuestionnaireVersion.Status.PUBLISHED)
    o["questionnaire"] = o["version"].questionnaire
    o["draft_version"] = f.QuestionnaireVersionFactory(
        questionnaire=o["questionnaire"], number=2, status=QuestionnaireVersion.Status.DRAFT
    )
    o["section"] = f.SectionFactory(version=o["version"])
    o["question"] = f.QuestionFactory(version=o["version"], section=o["section"], code="employees")
    o["choice_question"] = f.QuestionFactory(
        version=o["version"], section=o["section"], code="barrier", type="single_choice"
    )
    o["choice"] = f.ChoiceFactory(question=o["choice_question"], value="financing")
    o["interview_a"] = f.InterviewFactory(
        version=o["version"], cluster=o["cluster_a"], actor=o["actor_a"], interviewer=users["researcher_a"]
    )
    o["submitted_interview_a"] = f.InterviewFactory(
        version=o["version"],
        cluster=o["cluster_a"],
        actor=o["actor_a"],
        interviewer=users["researcher_a"],
        status=Interview.Status.SUBMITTED,
        submitted_at=datetime.datetime(2025, 5, 13, tzinfo=datetime.UTC),
    )
    o["interview_b"] = f.InterviewFactory(
        version=o["version"], cluster=o["cluster_b"], actor=o["actor_b"], interviewer=users["researcher_b"]
    )
    o["answer_a"] = f.AnswerFactory(interview=o["interview_a"], question=o["question"])
    o["draft_section"] = f.SectionFactory(version=o["draft_version"], code="perfil")
    o["draft_question"] = f.QuestionFactory(version=o["draft_version"], section=o["draft_section"], code="empleados")
    o["version_file"] = f.version_file(o["version"], "distritos.csv")
    o["draft_file"] = f.version_file(o["draft_version"], "provincias.csv")
    o["researcher_a2"] = f.UserFactory(username="researcher_a2", role=Role.RESEARCHER)
    o["other_draft_a"] = f.InterviewFactory(
        version=o["version"], cluster=o["cluster_a"], actor=o["actor_a2"], interviewer=o["researcher_a2"]
    )
    o["attachment_a"] = f.world_attachment(o["interview_a"])
    # openrosa/: researcher_a's device, and a device submission with observations
    from openrosa.models import Submission
    from openrosa.services import device_token_create

    o["device_a"], o["device_a_token"] = device_token_create(user=users["researcher_a"], name="Tableta A")
    o["revoked_device_a"], o["revoked_device_a_token"] = device_token_create(user=users["researcher_a"], name="Perdida")
    o["revoked_device_a"].revoked_at = datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC)
    o["revoked_device_a"].save(update_fields=["revoked_at"])
    o["submission_a"] = Submission.objects.create(
        instance_id="uuid:world-submission",
        xml=b"<data/>",
        xml_sha256="0" * 64,
        user=users["researcher_a"],
        state=Submission.State.OBSERVATIONS,
        reason="El formulario no trae los datos de la entrevista.",
    )
    # instruments/
    o["instrument_type"] = f.InstrumentTypeFactory(goal=f.goal("external-links"))
    o["intervention_a"] = f.InterventionFactory(cluster=o["cluster_a"], instrument_type=o["instrument_type"])
    o["intervention_b"] = f.InterventionFactory(cluster=o["cluster_b"], instrument_type=o["instrument_type"])
    o["indicator_a"] = f.IndicatorFactory(intervention=o["intervention_a"])
    o["measurement_a"] = f.MeasurementFactory(indicator=o["indicator_a"], status="pending")
    o["activity_a"] = f.ActivityFactory(intervention=o["intervention_a"])
    o["approved_measurement_a"] = f.MeasurementFactory(
        indicator=o["indicator_a"], date=datetime.date(2024, 6, 30), value=Decimal("12"), status="approved"
    )
    o["indicator_b"] = f.IndicatorFactory(intervention=o["intervention_b"])
    o["measurement_b"] = f.MeasurementFactory(indicator=o["indicator_b"], status="pending")
    # mapping/ (a dataset computed after the clusters exist, so that both have criteria)
    o["dataset"] = make_dataset(name="Empleo por departamento (prueba)")
    # reports/
    o["report_a"] = f.ReportJobFactory(cluster=o["cluster_a"], requested_by=users["manager"], done=True)
    o["report_b"] = f.ReportJobFactory(cluster=o["cluster_b"], requested_by=users["coordinator"])
    o["failed_report_a"] = f.ReportJobFactory(cluster=o["cluster_a"], requested_by=users["coordinator"], failed=True)
    o["programme_report"] = f.ReportJobFactory(
        kind=ReportJob.Kind.PROGRAMME, cluster=None, requested_by=users["manager"], done=True
    )
    o["edition_a"] = f.ReportEditionFactory(cluster=o["cluster_a"], created_by=users["coordinator"])
    o["final_edition_a"] = f.ReportEditionFactory(
        cluster=o["cluster_a"], created_by=users["coordinator"], status=ReportEdition.Status.FINAL
    )
    # api/
    from api.services import api_token_create

    o["token_a"] = api_token_create(user=users["researcher_a"], name="R", scope="read", days=30).token
    return World(users=users, objects=o)
