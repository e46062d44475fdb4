"""A realistic questionnaire built through the services, and helpers that post the interview form."""

import uuid

import pytest

from surveys import services
from surveys.models import Question

T = Question.Type
SPANISH, ENGLISH = "Español (es)", "English (en)"


def es_en(spanish, english=""):
    """Texts of a builder questionnaire: Spanish, and English when given."""
    return {SPANISH: spanish, **({ENGLISH: english} if english else {})}


def build_questionnaire(coordinator, *, name="Entrevista a actores", extra_integers=0, publish=True):
    """A questionnaire of every question type with skip logic; ``extra_integers`` adds q_extra_N integers."""
    version = services.questionnaire_create(name=name, created_by=coordinator)
    perfil = services.section_create(version=version, code="perfil", labels=es_en("Perfil", "Profile"))
    red = services.section_create(version=version, code="red", labels=es_en("Relaciones", "Ties"))
    opinion = services.section_create(version=version, code="opinion", labels=es_en("Opinión", "Opinion"))
    add = services.question_create
    add(
        version=version,
        section=perfil,
        code="empleados",
        type=T.INTEGER,
        labels=es_en("¿Cuántos trabajadores tiene?", "How many employees?"),
        required=True,
        min_value=0,
        max_value=100000,
    )
    add(
        version=version,
        section=perfil,
        code="tamano",
        type=T.SINGLE_CHOICE,
        labels=es_en("Tamaño", "Size"),
        required=True,
        choices=[
            ("micro", es_en("Micro", "Micro")),
            ("pequena", es_en("Pequeña", "Small")),
            ("mediana", es_en("Mediana", "Medium")),
            ("grande", es_en("Grande", "Large")),
        ],
    )
    add(
        version=version,
        section=perfil,
        code="exporta",
        type=T.YES_NO,
        labels=es_en("¿Exporta?", "Does it export?"),
        required=True,
    )
    add(
        version=version,
        section=perfil,
        code="mercados",
        type=T.MULTIPLE_CHOICE,
        labels=es_en("Mercados de destino", "Markets"),
        required=True,
        relevant="${exporta} = 'yes'",
        choices=[
            ("usa", es_en("Estados Unidos", "United States")),
            ("ue", es_en("Unión Europea", "European Union")),
            ("china", es_en("China", "China")),
        ],
    )
    add(
        version=version,
        section=perfil,
        code="participacion_usa",
        type=T.DECIMAL,
        labels=es_en("% de ventas a EE.UU."),
        relevant="selected(${mercados}, 'usa')",
        min_value=0,
        max_value=100,
    )
    add(
        version=version,
        section=red,
        code="proveedores",
        type=T.ACTOR_RELATIONSHIP,
        labels=es_en("¿A quién le compra insumos?", "Who do you buy supplies from?"),
        relationship_kind="supplies",
    )
    add(
        version=version,
        section=red,
        code="colabora",
        type=T.ACTOR_RELATIONSHIP,
        labels=es_en("¿Con quién colabora?"),
        relationship_kind="collaborates",
    )
    add(
        version=version,
        section=opinion,
        code="confianza",
        type=T.SCALE,
        labels=es_en("Confianza en el clúster"),
        required=True,
    )
    add(version=version, section=opinion, code="inicio", type=T.DATE, labels=es_en("¿Desde cuándo opera?"))
    add(version=version, section=opinion, code="barreras", type=T.LONG_TEXT, labels=es_en("Principales barreras"))
    add(version=version, section=opinion, code="comentario", type=T.TEXT, labels=es_en("Comentario"))
    for n in range(extra_integers):
        add(version=version, section=opinion, code=f"extra_{n}", type=T.INTEGER, labels=es_en(f"Dato {n}"))
    if publish:
        version = services.version_publish(version=version, published_by=coordinator)
    return version


def form_data(version, cluster, *, actor=None, uid=None, token=None, answers=None, submit=False, consent=True, **extra):
    """What the browser posts from the interview form."""
    data = {
        "version": version.pk,
        "cluster": cluster.slug,
        "uuid": str(uid or uuid.uuid4()),
        "form_token": str(token or uuid.uuid4()),
        "date": "2025-06-10",
        "mode": "in_person",
        "place": "Juliaca",
        "duration": "1h 30",
        "respondent_name": "Rosa Mamani",
        "respondent_position": "Gerente",
    }
    if actor is not None:
        data["actor"] = actor.pk
    if consent:
        data["consent_given"] = "on"
    for key, value in (answers or {}).items():
        code, repeat = key if isinstance(key, tuple) else (key, "")
        data[f"q_{code}__{repeat}" if repeat else f"q_{code}"] = value
    data["submit" if submit else "save"] = "1"
    data.update(extra)
    return data


FULL_ANSWERS = {
    "empleados": "45",
    "tamano": "pequena",
    "exporta": "yes",
    "mercados": ["usa", "ue"],
    "participacion_usa": "30.5",
    "confianza": "4",
    "inicio": "2010-03-01",
    "barreras": "Falta de financiamiento y de mano de obra calificada.",
    "comentario": "Buena experiencia",
}


@pytest.fixture
def questionnaire(world):
    return build_questionnaire(world.users["coordinator"])


def build_priced_questionnaire(coordinator):
    """A form whose 'oferta' (a text the person may edit) is set from 'precio' and 'unidades' when they change
    (XLSForm's trigger column), and whose 'motivo' is emptied when 'precio' changes."""
    version = services.questionnaire_create(name="Precios", created_by=coordinator)
    add = services.question_create
    add(version=version, code="precio", type=T.DECIMAL, labels=es_en("Precio"))
    add(version=version, code="unidades", type=T.INTEGER, labels=es_en("Unidades"))
    add(
        version=version,
        code="oferta",
        type=T.TEXT,
        labels=es_en("Oferta"),
        calculation="concat(${precio} * ${unidades}, ' soles')",
        trigger="${precio}, ${unidades}",
    )
    add(version=version, code="motivo", type=T.TEXT, labels=es_en("Motivo"), trigger="${precio}")
    return services.version_publish(version=version, published_by=coordinator)


def build_ordered_questionnaire(coordinator):
    """A form whose buttons, list and boxes are set from 'cajas' when it changes (XLSForm's trigger column)."""
    version = services.questionnaire_create(name="Pedido", created_by=coordinator)
    add = services.question_create
    add(version=version, code="cajas", type=T.INTEGER, labels=es_en("Cajas"))
    big = "${cajas} >= 10"
    add(
        version=version,
        code="tamano",
        type=T.SINGLE_CHOICE,
        labels=es_en("Tamaño del pedido"),
        calculation=f"if({big}, 'grande', 'chico')",
        trigger="${cajas}",
        choices=[("chico", es_en("Chico")), ("grande", es_en("Grande"))],
    )
    add(
        version=version,
        code="canal",
        type=T.SINGLE_CHOICE,
        labels=es_en("Canal"),
        appearance="minimal",
        calculation=f"if({big}, 'mayorista', 'minorista')",
        trigger="${cajas}",
        choices=[("minorista", es_en("Minorista")), ("mayorista", es_en("Mayorista"))],
    )
    add(
        version=version,
        code="servicios",
        type=T.MULTIPLE_CHOICE,
        labels=es_en("Servicios"),
        calculation=f"if({big}, 'flete seguro', 'flete')",
        trigger="${cajas}",
        choices=[("flete", es_en("Flete")), ("seguro", es_en("Seguro")), ("credito", es_en("Crédito"))],
    )
    add(
        version=version,
        code="entrega",
        type=T.SINGLE_CHOICE,
        labels=es_en("Entrega"),
        trigger="${cajas}",  # no calculation: emptied when 'cajas' changes
        choices=[("hoy", es_en("Hoy")), ("manana", es_en("Mañana"))],
    )
    return services.version_publish(version=version, published_by=coordinator)


def bulk_interviews(version, cluster, actor, interviewer, count, *, status="approved", first_day=1):
    """``count`` interviews with an answer to every question, made with bulk_create (fast at 10,000)."""
    import datetime
    import random
    from decimal import Decimal

    from surveys.models import Answer, AnswerActor, AnswerChoice, Interview

    rng = random.Random(count)
    questions = list(version.questions.prefetch_related("choices"))
    interviews = Interview.objects.bulk_create(
        [
            Interview(
                uuid=uuid.uuid4(),
                version=version,
                cluster=cluster,
                actor=actor,
                interviewer=interviewer,
                date=datetime.date(2025, 1, 1) + datetime.timedelta(days=(first_day + i) % 300),
                status=status,
                consent_given=True,
                respondent_name=f"Persona {i}",
                place='=HYPERLINK("http://x")' if i == 0 else "Puno",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    answers, pending = [], []
    for interview in interviews:
        for question in questions:
            answer = Answer(interview=interview, question=question)
            if question.type in (T.INTEGER, T.DECIMAL):
                answer.number_value = Decimal(rng.randint(1, 200))
            elif question.type == T.SCALE:
                answer.number_value = Decimal(rng.randint(1, 5))
            elif question.type == T.YES_NO:
                answer.bool_value = rng.random() < 0.6
            elif question.type == T.DATE:
                answer.date_value = datetime.date(2000 + rng.randint(0, 20), 1, 1)
            elif question.type in (T.TEXT, T.LONG_TEXT):
                answer.text_value = rng.choice(["Falta crédito", "Poca confianza entre empresas", "-1 punto"])
            answers.append(answer)
            pending.append((answer, question))
    picked = []
    for answer, question in pending:
        if question.type in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE):
            options = list(question.choices.all())
            picks = [rng.choice(options)] if question.type == T.SINGLE_CHOICE else rng.sample(options, 2)
            picks.sort(key=lambda c: (c.order, c.pk))  # as the services keep them
            answer.choice_ids = [c.pk for c in picks]
            picked.append((answer, picks))
    Answer.objects.bulk_create(answers, batch_size=5000)
    chosen = [AnswerChoice(answer=answer, choice=c) for answer, picks in picked for c in picks]
    named = [
        AnswerActor(answer=answer, actor=named_actor_for(cluster, actor))
        for answer, question in pending
        if question.type == T.ACTOR_RELATIONSHIP and named_actor_for(cluster, actor)
    ]
    AnswerChoice.objects.bulk_create(chosen, batch_size=5000)
    AnswerActor.objects.bulk_create(named, batch_size=5000)
    return interviews


_NAMED = {}


def named_actor_for(cluster, actor):
    from clusters.models import Actor

    key = (cluster.pk, actor.pk)
    if key not in _NAMED:
        _NAMED[key] = Actor.objects.filter(memberships__cluster=cluster).exclude(pk=actor.pk).first()
    return _NAMED[key]
