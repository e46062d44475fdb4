"""Demo interviews: a published questionnaire for cluster actors and 160 interviews in every status.

Answers are drawn from a seeded random generator with a profile per cluster (a mining supplier
exports more and trusts less than a coffee cooperative), so the findings differ believably between
clusters and every run gives the same data. Everything is bulk-created: loading takes about a second.
Loading it again changes nothing (the questionnaire's name is the natural key).
"""

import datetime
import random
import uuid
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from clusters.models import Actor, Cluster, Relationship
from surveys import relevance, services
from surveys.models import Answer, AnswerActor, AnswerChoice, Interview, InterviewChange, Question
from surveys.selectors import ordered_questions

QUESTIONNAIRE = "Entrevista a actores del clúster"
T = Question.Type
UUID_NAMESPACE = uuid.UUID("0b8f6f1e-3c0e-4d4b-9a55-6c1d7e2f4a10")
INTERVIEWS_PER_CLUSTER = 20

SIZES = [
    ("micro", "Micro", "Micro"),
    ("pequena", "Pequeña", "Small"),
    ("mediana", "Mediana", "Medium"),
    ("grande", "Grande", "Large"),
]
MARKETS = [
    ("eeuu", "Estados Unidos", "United States"),
    ("ue", "Unión Europea", "European Union"),
    ("china", "China", "China"),
    ("latam", "América Latina", "Latin America"),
    ("otros", "Otros", "Others"),
]
ORIGINS = [
    ("local", "De la misma provincia", "Same province"),
    ("regional", "De la región", "Same region"),
    ("nacional", "De otra región del Perú", "Elsewhere in Peru"),
    ("importado", "Importado", "Imported"),
]
BUYERS = [
    ("consumidor", "Consumidor final", "Final consumer"),
    ("intermediario", "Intermediario o acopiador", "Intermediary"),
    ("industria", "Otra empresa o industria", "Another firm"),
    ("exportador", "Exportador", "Exporter"),
    ("estado", "Estado (compras públicas)", "Public procurement"),
]
COOPERATION = [
    ("compras", "Compras conjuntas", "Joint purchasing"),
    ("ferias", "Ferias y promoción", "Fairs and promotion"),
    ("capacitacion", "Capacitación", "Training"),
    ("innovacion", "Innovación o I+D", "Innovation or R&D"),
    ("marca", "Marca colectiva", "Collective brand"),
]
BARRIERS = [
    ("financiamiento", "Acceso a financiamiento", "Access to finance"),
    ("mano_obra", "Mano de obra calificada", "Skilled labour"),
    ("coordinacion", "Coordinación entre actores", "Coordination between actors"),
    ("infraestructura", "Infraestructura (vías, energía, agua)", "Infrastructure (roads, power, water)"),
    ("tramites", "Trámites y regulación", "Red tape and regulation"),
    ("tecnologia", "Tecnología", "Technology"),
    ("mercados", "Acceso a mercados", "Access to markets"),
]
SUPPORT = [
    ("capacitacion", "Capacitación", "Training"),
    ("asistencia", "Asistencia técnica", "Technical assistance"),
    ("credito", "Crédito o garantía", "Credit or guarantee"),
    ("ferias", "Ferias y misiones comerciales", "Fairs and trade missions"),
    ("certificacion", "Certificación de calidad", "Quality certification"),
]
OUTLOOK = [
    ("aumentar", "Aumentarán", "Will grow"),
    ("mantener", "Se mantendrán", "Will stay the same"),
    ("disminuir", "Disminuirán", "Will fall"),
]

SECTIONS = [
    ("perfil", "Perfil del actor", "Actor profile"),
    ("cadena", "Proveedores y compradores", "Suppliers and buyers"),
    ("cooperacion", "Cooperación y confianza", "Cooperation and trust"),
    ("barreras", "Barreras", "Barriers"),
    ("apoyo", "Apoyo recibido", "Support received"),
    ("expectativas", "Expectativas", "Expectations"),
]

# section, code, type, Spanish, English, extra fields
QUESTIONS = [
    (
        "perfil",
        "anio_inicio",
        T.INTEGER,
        "¿En qué año inició sus actividades?",
        "In what year did it start operating?",
        {"min_value": 1900, "max_value": 2025},
    ),
    (
        "perfil",
        "trabajadores",
        T.INTEGER,
        "¿Cuántos trabajadores tiene en planilla?",
        "How many employees are on the payroll?",
        {"min_value": 0, "max_value": 100000, "required": True},
    ),
    (
        "perfil",
        "mujeres_pct",
        T.DECIMAL,
        "¿Qué porcentaje de sus trabajadores son mujeres?",
        "What share of its employees are women (%)?",
        {"min_value": 0, "max_value": 100},
    ),
    (
        "perfil",
        "tamano",
        T.SINGLE_CHOICE,
        "Tamaño de la empresa según ventas (Ley 30056)",
        "Firm size by sales (Law 30056)",
        {"required": True, "choices": SIZES},
    ),
    (
        "perfil",
        "formal",
        T.YES_NO,
        "¿Cuenta con RUC activo y licencia de funcionamiento?",
        "Does it have an active RUC and an operating licence?",
        {},
    ),
    (
        "perfil",
        "exporta",
        T.YES_NO,
        "¿Exportó en los últimos 12 meses?",
        "Did it export in the last 12 months?",
        {"required": True},
    ),
    (
        "perfil",
        "mercados",
        T.MULTIPLE_CHOICE,
        "¿A qué mercados exportó?",
        "Which markets did it export to?",
        {"relevant": "${exporta} = 'yes'", "required": True, "choices": MARKETS},
    ),
    (
        "perfil",
        "exporta_pct",
        T.DECIMAL,
        "¿Qué porcentaje de sus ventas se exporta?",
        "What share of its sales is exported (%)?",
        {"relevant": "${exporta} = 'yes'", "min_value": 0, "max_value": 100},
    ),
    (
        "cadena",
        "compra_a",
        T.ACTOR_RELATIONSHIP,
        "¿A quién le compra insumos o servicios dentro del clúster?",
        "Whom in the cluster does it buy supplies or services from?",
        {"relationship_kind": "buys_from"},
    ),
    (
        "cadena",
        "origen_insumos",
        T.SINGLE_CHOICE,
        "¿De dónde provienen principalmente sus insumos?",
        "Where do its supplies mainly come from?",
        {"choices": ORIGINS},
    ),
    (
        "cadena",
        "dificultad_proveedores",
        T.SCALE,
        "¿Qué tan difícil es conseguir proveedores confiables? (1 = nada, 5 = muy)",
        "How hard is it to find reliable suppliers? (1 = not at all, 5 = very)",
        {},
    ),
    ("cadena", "vende_a", T.MULTIPLE_CHOICE, "¿A quiénes vende?", "Whom does it sell to?", {"choices": BUYERS}),
    (
        "cooperacion",
        "colabora",
        T.YES_NO,
        "¿Colaboró con otras organizaciones del clúster en los últimos dos años?",
        "Did it work with other organisations of the cluster in the last two years?",
        {"required": True},
    ),
    (
        "cooperacion",
        "colabora_con",
        T.ACTOR_RELATIONSHIP,
        "¿Con quién colabora?",
        "Whom does it work with?",
        {"relevant": "${colabora} = 'yes'", "relationship_kind": "collaborates"},
    ),
    (
        "cooperacion",
        "tipo_colaboracion",
        T.MULTIPLE_CHOICE,
        "¿En qué colaboran?",
        "What do they work on together?",
        {"relevant": "${colabora} = 'yes'", "choices": COOPERATION},
    ),
    (
        "cooperacion",
        "confianza",
        T.SCALE,
        "¿Cuánta confianza tiene en las demás empresas del clúster? (1 a 5)",
        "How much does it trust the other firms of the cluster? (1 to 5)",
        {"required": True},
    ),
    (
        "cooperacion",
        "gremio",
        T.YES_NO,
        "¿Pertenece a un gremio o asociación?",
        "Is it a member of a business association?",
        {},
    ),
    (
        "barreras",
        "barreras",
        T.MULTIPLE_CHOICE,
        "¿Qué barreras limitan su crecimiento?",
        "Which barriers limit its growth?",
        {"required": True, "choices": BARRIERS},
    ),
    (
        "barreras",
        "barrera_principal",
        T.SINGLE_CHOICE,
        "¿Cuál es la barrera principal?",
        "Which barrier matters most?",
        {"relevant": "${barreras} != ''", "choices": BARRIERS},
    ),
    (
        "barreras",
        "credito_negado",
        T.YES_NO,
        "¿Le negaron un crédito en los últimos dos años?",
        "Was it refused a loan in the last two years?",
        {"relevant": "selected(${barreras}, 'financiamiento')"},
    ),
    (
        "barreras",
        "vacantes",
        T.INTEGER,
        "¿Cuántos puestos calificados no pudo cubrir el último año?",
        "How many skilled jobs could it not fill last year?",
        {"relevant": "selected(${barreras}, 'mano_obra')", "min_value": 0, "max_value": 10000},
    ),
    (
        "barreras",
        "coordinacion_detalle",
        T.LONG_TEXT,
        "Describa los problemas de coordinación",
        "Describe the coordination problems",
        {"relevant": "selected(${barreras}, 'coordinacion')"},
    ),
    (
        "apoyo",
        "recibio_apoyo",
        T.YES_NO,
        "¿Recibió apoyo de algún programa público o privado?",
        "Did it receive support from a public or private programme?",
        {"required": True},
    ),
    (
        "apoyo",
        "programas",
        T.MULTIPLE_CHOICE,
        "¿Qué tipo de apoyo recibió?",
        "What kind of support did it receive?",
        {"relevant": "${recibio_apoyo} = 'yes'", "choices": SUPPORT},
    ),
    (
        "apoyo",
        "utilidad_apoyo",
        T.SCALE,
        "¿Qué tan útil fue el apoyo? (1 a 5)",
        "How useful was the support? (1 to 5)",
        {"relevant": "${recibio_apoyo} = 'yes'"},
    ),
    (
        "apoyo",
        "ultima_capacitacion",
        T.DATE,
        "¿Cuándo fue la última capacitación?",
        "When was the latest training?",
        {"relevant": "selected(${programas}, 'capacitacion')"},
    ),
    (
        "expectativas",
        "invertira",
        T.YES_NO,
        "¿Planea invertir en los próximos 12 meses?",
        "Does it plan to invest in the next 12 months?",
        {},
    ),
    (
        "expectativas",
        "monto_inversion",
        T.DECIMAL,
        "Monto aproximado de la inversión (S/)",
        "Approximate investment (PEN)",
        {"relevant": "${invertira} = 'yes'", "min_value": 0},
    ),
    (
        "expectativas",
        "ventas_esperadas",
        T.SINGLE_CHOICE,
        "En los próximos 12 meses, sus ventas…",
        "In the next 12 months, its sales…",
        {"required": True, "choices": OUTLOOK},
    ),
    (
        "expectativas",
        "prioridad",
        T.LONG_TEXT,
        "¿Qué debería priorizar el programa del clúster?",
        "What should the cluster programme give priority to?",
        {},
    ),
    ("expectativas", "comentario", T.TEXT, "Comentario final", "Final comment", {}),
]

# Per cluster: size weights (micro..large), export probability, trust (mean of 1-5), barrier weights, support
# probability, priorities people voice, and their workforce scale.
PROFILES = {
    "pelos-finos-camelidos": {
        "sizes": (5, 3, 1, 1),
        "export": 0.45,
        "trust": 3.1,
        "support": 0.7,
        "workers": 25,
        "women": 55,
        "barriers": {"financiamiento": 5, "mano_obra": 2, "coordinacion": 4, "infraestructura": 3, "mercados": 3},
        "priorities": [
            "Mejorar la clasificación de la fibra y el precio que recibe el criador.",
            "Una marca colectiva para la alpaca peruana.",
            "Capacitación en acabados y diseño para entrar a tiendas de Europa.",
        ],
    },
    "cafe-del-peru": {
        "sizes": (6, 3, 1, 0.5),
        "export": 0.6,
        "trust": 3.6,
        "support": 0.65,
        "workers": 18,
        "women": 35,
        "barriers": {"financiamiento": 6, "infraestructura": 4, "tecnologia": 3, "mercados": 2, "coordinacion": 2},
        "priorities": [
            "Renovar los cafetales afectados por la roya.",
            "Crédito a tasas que el pequeño productor pueda pagar.",
            "Certificación orgánica y de comercio justo para más cooperativas.",
        ],
    },
    "turismo-cultural-cusco": {
        "sizes": (4, 4, 2, 1),
        "export": 0.2,
        "trust": 2.8,
        "support": 0.5,
        "workers": 30,
        "women": 50,
        "barriers": {"coordinacion": 5, "infraestructura": 4, "tramites": 3, "mano_obra": 2},
        "priorities": [
            "Ordenar el transporte a Machu Picchu y los horarios de ingreso.",
            "Formar guías con idiomas y certificar a los artesanos.",
            "Promocionar rutas fuera del circuito clásico.",
        ],
    },
    "moda-vestir-lima": {
        "sizes": (7, 3, 1, 0.5),
        "export": 0.15,
        "trust": 2.4,
        "support": 0.3,
        "workers": 12,
        "women": 60,
        "barriers": {"financiamiento": 4, "mercados": 5, "tramites": 3, "tecnologia": 3, "mano_obra": 2},
        "priorities": [
            "Frenar el contrabando de ropa importada.",
            "Compras conjuntas de tela para bajar costos.",
            "Capacitación en patronaje y diseño digital.",
        ],
    },
    "minero-centro": {
        "sizes": (1, 2, 3, 4),
        "export": 0.7,
        "trust": 2.9,
        "support": 0.4,
        "workers": 400,
        "women": 12,
        "barriers": {"mano_obra": 6, "tramites": 4, "infraestructura": 3, "coordinacion": 3},
        "priorities": [
            "Formar técnicos en mantenimiento de equipo pesado en la región.",
            "Que las mineras compren a proveedores locales.",
            "Agilizar los permisos ambientales.",
        ],
    },
    "auxiliar-minero": {
        "sizes": (2, 4, 3, 2),
        "export": 0.35,
        "trust": 3.2,
        "support": 0.45,
        "workers": 80,
        "women": 15,
        "barriers": {"mano_obra": 5, "tecnologia": 4, "financiamiento": 3, "mercados": 2},
        "priorities": [
            "Homologación de proveedores con las grandes mineras.",
            "Un laboratorio de ensayos acreditado en el sur.",
            "Créditos para renovar maquinaria.",
        ],
    },
    "logistica-callao": {
        "sizes": (2, 3, 3, 3),
        "export": 0.3,
        "trust": 2.6,
        "support": 0.25,
        "workers": 150,
        "women": 25,
        "barriers": {"infraestructura": 6, "tramites": 5, "coordinacion": 4},
        "priorities": [
            "Reducir la congestión de camiones en los accesos al puerto.",
            "Ventanilla única que funcione para todos los trámites.",
            "Formación en comercio exterior para mandos medios.",
        ],
    },
    "hortofruticola-costa": {
        "sizes": (3, 3, 3, 2),
        "export": 0.75,
        "trust": 3.4,
        "support": 0.55,
        "workers": 220,
        "women": 45,
        "barriers": {"infraestructura": 5, "mano_obra": 4, "financiamiento": 3, "mercados": 2},
        "priorities": [
            "Asegurar el agua de riego de los valles.",
            "Certificaciones para nuevos mercados de arándano y palta.",
            "Vivienda y transporte para los trabajadores de campo.",
        ],
    },
}
DEFAULT_PROFILE = PROFILES["cafe-del-peru"]

RETURN_COMMENTS = [
    "Falta el número de trabajadores eventuales en temporada alta.",
    "Confirme con el entrevistado el porcentaje de ventas exportadas: parece alto.",
    "Adjunte la foto del acta de consentimiento firmada.",
    "Los actores con los que colabora no coinciden con lo que dice en las notas; revise por favor.",
]
FIRST_NAMES = [
    "Rosa",
    "Jorge",
    "Carmen",
    "Luis",
    "Nélida",
    "Percy",
    "Yolanda",
    "Wilber",
    "Flor",
    "Edgar",
    "Maribel",
    "Teodoro",
    "Sonia",
    "Raúl",
    "Gladys",
    "Hernán",
]
LAST_NAMES = [
    "Quispe",
    "Mamani",
    "Huamán",
    "Condori",
    "Flores",
    "Rojas",
    "Chávez",
    "Torres",
    "Ramos",
    "Vargas",
    "Ccori",
    "Apaza",
    "Ticona",
    "Salazar",
]
POSITIONS = [
    "Gerente general",
    "Propietario(a)",
    "Jefe(a) de producción",
    "Presidente(a)",
    "Administrador(a)",
    "Coordinador(a) técnico(a)",
]
PLACES = {
    "pelos-finos-camelidos": ["Juliaca", "Puno", "Arequipa", "Macusani"],
    "cafe-del-peru": ["La Merced", "Pichanaki", "Jaén", "Moyobamba"],
    "turismo-cultural-cusco": ["Cusco", "Urubamba", "Pisac"],
    "moda-vestir-lima": ["Gamarra, La Victoria", "Cercado de Lima"],
    "minero-centro": ["Huancayo", "Cerro de Pasco", "La Oroya"],
    "auxiliar-minero": ["Arequipa", "Lima", "Cerro Colorado"],
    "logistica-callao": ["Callao", "Ventanilla"],
    "hortofruticola-costa": ["Trujillo", "Virú", "Ica", "Chao"],
}


def _questionnaire(coordinator):
    version = services.questionnaire_create(
        name=QUESTIONNAIRE,
        created_by=coordinator,
        description="Perfil, cadena de valor, cooperación, barreras, apoyo recibido y expectativas de cada actor.",
    )
    sections = {
        code: services.section_create(version=version, code=code, title_es=es, title_en=en) for code, es, en in SECTIONS
    }
    for section, code, kind, label_es, label_en, extra in QUESTIONS:
        extra = dict(extra)
        choices = extra.pop("choices", ())
        services.question_create(
            version=version,
            section=sections[section],
            code=code,
            type=kind,
            label_es=label_es,
            label_en=label_en,
            choices=choices,
            **extra,
        )
    version.form_id = "entrevista_actores"
    version.save(update_fields=["form_id"])
    return services.version_publish(version=version, published_by=coordinator)


def _weighted(rng, weights):
    items = list(weights.items())
    return rng.choices([key for key, _w in items], weights=[w for _k, w in items])[0]


def _answers(rng, profile, others):
    """One respondent's answers, before skip logic drops what does not apply."""
    size = rng.choices([s[0] for s in SIZES], weights=profile["sizes"])[0]
    scale = {"micro": 0.2, "pequena": 1, "mediana": 3, "grande": 10}[size]
    exports = rng.random() < profile["export"] * (0.6 if size == "micro" else 1.2)
    barriers = sorted({_weighted(rng, profile["barriers"]) for _ in range(rng.randint(1, 3))})
    supported = rng.random() < profile["support"]
    programmes = sorted(rng.sample([s[0] for s in SUPPORT], rng.randint(1, 2))) if supported else []
    collaborates = rng.random() < min(0.9, profile["trust"] / 4.5)
    trust = max(1, min(5, round(rng.gauss(profile["trust"] + (0.5 if collaborates else -0.3), 0.8))))
    invests = rng.random() < (0.55 if size in ("mediana", "grande") else 0.3)
    return {
        "anio_inicio": rng.randint(1975, 2022),
        "trabajadores": max(1, int(rng.lognormvariate(0, 0.6) * profile["workers"] * scale)),
        "mujeres_pct": Decimal(max(0, min(100, round(rng.gauss(profile["women"], 12))))),
        "tamano": size,
        "formal": rng.random() < (0.6 if size == "micro" else 0.95),
        "exporta": exports,
        "mercados": sorted(rng.sample([m[0] for m in MARKETS], rng.randint(1, 2))),
        "exporta_pct": Decimal(rng.randint(10, 90)),
        "compra_a": [a.pk for a in rng.sample(others, min(len(others), rng.randint(0, 2)))],
        "origen_insumos": rng.choice([o[0] for o in ORIGINS]),
        "dificultad_proveedores": Decimal(rng.randint(1, 5)),
        "vende_a": sorted(rng.sample([b[0] for b in BUYERS], rng.randint(1, 2))),
        "colabora": collaborates,
        "colabora_con": [a.pk for a in rng.sample(others, min(len(others), rng.randint(1, 3)))],
        "tipo_colaboracion": sorted(rng.sample([c[0] for c in COOPERATION], rng.randint(1, 2))),
        "confianza": Decimal(trust),
        "gremio": rng.random() < 0.45,
        "barreras": barriers,
        "barrera_principal": barriers[0],
        "credito_negado": rng.random() < 0.4,
        "vacantes": rng.randint(1, 12) * max(1, int(scale)),
        "coordinacion_detalle": rng.choice(
            [
                "Cada institución convoca por su lado y nadie da seguimiento a los acuerdos.",
                "Las reuniones de la mesa técnica se suspenden cuando cambia el funcionario.",
                "Las empresas grandes no participan de las reuniones.",
            ]
        ),
        "recibio_apoyo": supported,
        "programas": programmes,
        "utilidad_apoyo": Decimal(rng.randint(2, 5)),
        "ultima_capacitacion": datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
        "invertira": invests,
        "monto_inversion": Decimal(rng.randint(5, 400) * 1000) * Decimal(scale).quantize(Decimal("0.1")),
        "ventas_esperadas": rng.choices(["aumentar", "mantener", "disminuir"], weights=(4, 4, 2))[0],
        "prioridad": rng.choice(profile["priorities"]),
        "comentario": rng.choice(["", "Gracias por la visita.", "Que vuelvan con resultados.", ""]),
    }


def _relevance_values(questions, answers):
    values = {}
    for q in questions:
        value = answers.get(q.code)
        if q.type == T.ACTOR_RELATIONSHIP:
            value = [str(v) for v in value or []]
        values[q.code] = value
    return values


def _status(index):
    # 55 % approved, 20 % submitted, 10 % returned, 15 % drafts: every status, like a programme mid-way.
    cycle = index % 20
    if cycle < 11:
        return Interview.Status.APPROVED
    if cycle < 15:
        return Interview.Status.SUBMITTED
    if cycle < 17:
        return Interview.Status.RETURNED
    return Interview.Status.DRAFT


def build(stdout=None):
    """Create the demo questionnaire and interviews (or leave them as they are)."""
    if Interview.objects.filter(version__questionnaire__name=QUESTIONNAIRE).exists():
        return
    coordinator = User.objects.get(username="coordinador")
    researchers = list(User.objects.filter(username__in=["investigadora", "investigador2"]))
    version = _questionnaire(coordinator)
    questions = list(ordered_questions(version).prefetch_related("choices"))
    pairs = [(q.code, q.relevant) for q in questions]
    now = timezone.now()
    plans = []
    for researcher in researchers:
        for cluster in Cluster.objects.filter(team=researcher).order_by("name"):
            members = list(Actor.objects.filter(memberships__cluster=cluster).order_by("name"))
            if len(members) < 2:
                continue
            rng = random.Random(f"casebook-demo-{cluster.slug}")
            profile = PROFILES.get(cluster.slug, DEFAULT_PROFILE)
            for index in range(INTERVIEWS_PER_CLUSTER):
                actor = members[index % len(members)]
                others = [m for m in members if m.pk != actor.pk]
                answers = _answers(rng, profile, others)
                shown = relevance.relevant_codes(pairs, _relevance_values(questions, answers))
                kept = {code: v for code, v in answers.items() if code in shown and v not in ("", None, [])}
                status = _status(index)
                date = datetime.date(2025, 1, 6) + datetime.timedelta(days=index * 13 + rng.randint(0, 9))
                interview = Interview(
                    uuid=uuid.uuid5(UUID_NAMESPACE, f"{cluster.slug}-{index}"),
                    version=version,
                    cluster=cluster,
                    actor=actor,
                    interviewer=researcher,
                    respondent_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
                    respondent_position=rng.choice(POSITIONS),
                    date=date,
                    place=rng.choice(PLACES.get(cluster.slug, ["Lima"])),
                    mode=rng.choices(["in_person", "phone", "video"], weights=(7, 2, 1))[0],
                    duration=datetime.timedelta(minutes=rng.choice([35, 45, 50, 60, 75, 90, 120])),
                    consent_given=True,
                    status=status,
                )
                if status != Interview.Status.DRAFT:
                    interview.submitted_at = now
                if status in (Interview.Status.APPROVED, Interview.Status.RETURNED):
                    interview.reviewed_by, interview.reviewed_at = coordinator, now
                if status == Interview.Status.RETURNED:
                    interview.review_comment = RETURN_COMMENTS[index % len(RETURN_COMMENTS)]
                plans.append((interview, kept))
    _store(plans, questions, coordinator)
    if stdout:
        stdout.write(f"Demo interviews: {len(plans)} interviews of '{QUESTIONNAIRE}' v{version.number}.")


def _store(plans, questions, coordinator):
    by_code = {q.code: q for q in questions}
    Interview.objects.bulk_create([interview for interview, _kept in plans])
    answers, pending = [], []
    for interview, kept in plans:
        for code, value in kept.items():
            question = by_code[code]
            answer = services.typed_answer(interview, question, value)
            answers.append(answer)
            pending.append((answer, question, value))
    Answer.objects.bulk_create(answers, batch_size=2000)
    chosen, named, ties, changes = [], [], {}, []
    for answer, question, value in pending:
        if question.type in Question.CHOICE_TYPES:
            options = {c.value: c for c in question.choices.all()}
            for item in [value] if isinstance(value, str) else value:
                chosen.append(AnswerChoice(answer=answer, choice=options[item]))
        elif question.type == T.ACTOR_RELATIONSHIP:
            interview = answer.interview
            for actor_id in value:
                named.append(AnswerActor(answer=answer, actor_id=actor_id))
                if interview.status in (Interview.Status.SUBMITTED, Interview.Status.APPROVED):
                    key = (interview.cluster_id, interview.actor_id, actor_id, question.relationship_kind, interview.pk)
                    ties[key] = Relationship(
                        cluster_id=interview.cluster_id,
                        source_id=interview.actor_id,
                        target_id=actor_id,
                        kind=question.relationship_kind,
                        interview=interview,
                        created_by=interview.interviewer,
                    )
    AnswerChoice.objects.bulk_create(chosen, batch_size=2000)
    AnswerActor.objects.bulk_create(named, batch_size=2000)
    # Ties the respondents named in submitted interviews: the cluster's network map.
    Relationship.objects.bulk_create(list(ties.values()), batch_size=2000)
    for interview, _kept in plans:
        changes.append(
            InterviewChange(
                interview=interview, action=InterviewChange.Action.CREATED, changed_by=interview.interviewer
            )
        )
        if interview.status != Interview.Status.DRAFT:
            changes.append(
                InterviewChange(
                    interview=interview, action=InterviewChange.Action.SUBMITTED, changed_by=interview.interviewer
                )
            )
        if interview.status in (Interview.Status.APPROVED, Interview.Status.RETURNED):
            action = (
                InterviewChange.Action.APPROVED
                if interview.status == Interview.Status.APPROVED
                else InterviewChange.Action.RETURNED
            )
            changes.append(
                InterviewChange(
                    interview=interview, action=action, changed_by=coordinator, comment=interview.review_comment
                )
            )
    InterviewChange.objects.bulk_create(changes, batch_size=2000)
