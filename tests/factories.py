"""factory-boy factories for every model. Regions and sectors are the real reference data."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone
from stdnum.pe import ruc as stdnum_ruc

from clusters.access import Role
from clusters.models import (
    Actor,
    Cluster,
    Evaluation,
    HeadlineFigure,
    Membership,
    Region,
    Relationship,
    RiskRating,
    Sector,
)
from instruments.models import Activity, Goal, Indicator, InstrumentType, Intervention, Measurement
from reports.models import ReportEdition, ReportJob
from surveys.models import Answer, Choice, Interview, Question, Questionnaire, QuestionnaireVersion, Section

PASSWORD = "casebook-test-pass"


def make_ruc(number, prefix="20"):
    """A RUC with a correct check digit, built from a serial number."""
    body = f"{prefix}{number % 10**8:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="es_ES")
    last_name = factory.Faker("last_name", locale="es_ES")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """UserFactory(role=Role.COORDINATOR) puts the user in that group."""
        if not create:
            return
        if extracted == Role.ADMIN:
            self.is_superuser = self.is_staff = True
        elif extracted:
            self.groups.add(Group.objects.get(name=str(extracted)))
        self.save()


def region(code):
    return Region.objects.get(code=code)


def sector(code):
    return Sector.objects.get(code=code)


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Clúster de prueba {n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")
    main_sector = factory.LazyFunction(lambda: sector("13"))
    description = "Un clúster de prueba."
    stage = Cluster.Stage.GROWING
    status = Cluster.Status.PRIORITISED

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(extracted if extracted is not None else [region("21")])

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if create and extracted:
            self.team.set(extracted)


class HeadlineFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeadlineFigure

    cluster = factory.SubFactory(ClusterFactory)
    metric = HeadlineFigure.Metric.FIRMS
    value = Decimal("120")
    year = 2024
    source = "Encuesta de prueba"


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Empresa Andina {n} S.A.C.")
    kind = Actor.Kind.FIRM
    ruc = factory.Sequence(lambda n: make_ruc(n + 1000))
    size = Actor.Size.SMALL
    region = factory.LazyFunction(lambda: region("21"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cluster = factory.SubFactory(ClusterFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Membership.Role.CORE_FIRM


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    cluster = factory.SubFactory(ClusterFactory)
    source = factory.SubFactory(ActorFactory)
    target = factory.SubFactory(ActorFactory)
    kind = Relationship.Kind.SUPPLIES


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    cluster = factory.SubFactory(ClusterFactory)
    date = datetime.date(2025, 6, 30)
    evaluator = factory.SubFactory(UserFactory, role=Role.COORDINATOR)
    summary = "Evaluación semestral."


class RiskRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskRating

    evaluation = factory.SubFactory(EvaluationFactory)
    risk = "no_monitoring"
    level = RiskRating.Level.WATCH
    note = "Sin línea de base."


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    name = factory.Sequence(lambda n: f"Cuestionario {n}")


class QuestionnaireVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionnaireVersion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = 1
    status = QuestionnaireVersion.Status.PUBLISHED
    form_id = factory.Sequence(lambda n: f"form_{n}")
    languages = ["Español (es)", "English (en)"]
    default_language = "Español (es)"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(QuestionnaireVersionFactory)
    order = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"section_{n}")
    labels = {"Español (es)": "Perfil", "English (en)": "Profile"}


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    version = factory.SubFactory(QuestionnaireVersionFactory)
    order = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"q{n}")
    type = Question.Type.INTEGER
    labels = factory.Sequence(lambda n: {"Español (es)": f"Pregunta {n}", "English (en)": f"Question {n}"})


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, type=Question.Type.SINGLE_CHOICE)
    order = factory.Sequence(lambda n: n)
    value = factory.Sequence(lambda n: f"opt{n}")
    labels = factory.Sequence(lambda n: {"Español (es)": f"Opción {n}", "English (en)": f"Option {n}"})


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    version = factory.SubFactory(QuestionnaireVersionFactory)
    cluster = factory.SubFactory(ClusterFactory)
    actor = factory.SubFactory(ActorFactory)
    respondent_name = factory.Faker("name", locale="es_ES")
    respondent_position = "Gerente general"
    interviewer = factory.SubFactory(UserFactory, role=Role.RESEARCHER)
    date = datetime.date(2025, 5, 12)
    place = "Juliaca"
    consent_given = True
    status = Interview.Status.DRAFT


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    interview = factory.SubFactory(InterviewFactory)
    question = factory.SubFactory(QuestionFactory)
    number_value = Decimal("3")


def goal(code):
    return Goal.objects.get(code=code)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"goal-{n}")
    heading = Goal.Heading.ENGAGE_ACTORS
    order = factory.Sequence(lambda n: 100 + n)
    name_es = factory.Sequence(lambda n: f"Meta {n}")
    name_en = factory.Sequence(lambda n: f"Goal {n}")


class InstrumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstrumentType

    goal = factory.SubFactory(GoalFactory)
    code = factory.Sequence(lambda n: f"instrument-{n}")
    name_es = factory.Sequence(lambda n: f"Instrumento {n}")
    name_en = factory.Sequence(lambda n: f"Instrument {n}")


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    cluster = factory.SubFactory(ClusterFactory)
    instrument_type = factory.SubFactory(InstrumentTypeFactory)
    title = factory.Sequence(lambda n: f"Intervención {n}")
    objective = "Mejorar la calidad de la fibra."
    government_level = Intervention.GovernmentLevel.REGIONAL
    focus = Intervention.Focus.ACTORS
    start_date = datetime.date(2024, 3, 1)
    end_date = datetime.date(2025, 12, 31)
    budget_planned = Decimal("250000.00")
    budget_executed = Decimal("120000.00")
    status = Intervention.Status.RUNNING


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    intervention = factory.SubFactory(InterventionFactory)
    name = factory.Sequence(lambda n: f"Indicador {n}")
    unit = "empresas"
    baseline_value = Decimal("10")
    baseline_date = datetime.date(2024, 3, 1)
    target_value = Decimal("30")
    target_date = datetime.date(2025, 12, 31)
    direction = Indicator.Direction.INCREASE


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    date = datetime.date(2024, 9, 30)
    value = Decimal("15")
    source = "Registro del programa"
    status = Measurement.Status.APPROVED


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    intervention = factory.SubFactory(InterventionFactory)
    date = datetime.date(2024, 5, 20)
    kind = Activity.Kind.TRAINING
    title = "Taller de calidad"
    women = 12
    men = 9
    firms_micro = 8
    firms_small = 3


# A tiny but well-formed PDF, stored once under a fixed name: enough for pages that only need a file.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def stored_report_file(name="reports/tests/stored-case-study.pdf"):
    """The name of a small PDF in the default storage (written the first time)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(TINY_PDF))
    return name


class ReportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportJob

    cluster = factory.SubFactory(ClusterFactory)
    requested_by = factory.SubFactory(UserFactory, role=Role.MANAGER)
    status = ReportJob.Status.QUEUED

    class Params:
        done = factory.Trait(
            status=ReportJob.Status.DONE,
            progress=100,
            page_count=1,
            finished_at=factory.LazyFunction(timezone.now),
            file=factory.LazyFunction(stored_report_file),
        )
        failed = factory.Trait(
            status=ReportJob.Status.FAILED,
            error="The worker that was building this report stopped before finishing.",
            finished_at=factory.LazyFunction(timezone.now),
        )


class ReportEditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportEdition

    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Informe anual {2020 + n}")
    created_by = factory.SubFactory(UserFactory, role=Role.COORDINATOR)
    strengths = "- Cooperativas que acopian fibra.\n- Hilanderías que exportan."
    weaknesses = "- Dependencia de dos compradores."
    lessons = "La clasificación sube el precio sólo con contratos."
    recommendations = "- Contratos de compra por adelantado."


# --- surveys/ (interviews issue) ---

# The smallest valid PNG: a 1x1 transparent pixel.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def world_attachment(interview):
    """An attachment whose file is stored once under MEDIA_ROOT with a fixed name (tests never change it)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from surveys.models import Attachment

    name = "attachments/test-world/pixel.png"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(PNG_BYTES))
    return Attachment.objects.create(
        interview=interview,
        file=name,
        kind=Attachment.Kind.PHOTO,
        content_type="image/png",
        size=len(PNG_BYTES),
        original_name="foto-taller.png",
    )


def version_file(version, name, data=b"name,label\nx,Equis\n"):
    """A file of a questionnaire version (a CSV of choices), stored as the service would store it."""
    import hashlib

    from django.core.files.base import ContentFile

    from surveys.models import VersionFile

    return VersionFile.objects.create(
        version=version,
        name=name,
        file=ContentFile(data, name=name),
        content_type="text/csv",
        size=len(data),
        md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
    )
