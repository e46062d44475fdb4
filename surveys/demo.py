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
from pathlib import Path

from django.contrib.auth.models import User

from clusters.models import Actor, Cluster
from surveys import engine, selectors, services
from surveys.models import Interview, Question

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


FORMS = Path(__file__).resolve().parent / "demo_forms"
WORKSHOP_QUESTIONNAIRE = "Ficha del taller"
WORKSHOPS_PER_CLUSTER = 4


def _photo(seed):
    """A small JPEG standing for a workshop's photo (Pillow comes with ReportLab)."""
    import io

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (160, 120), (rng.randint(120, 200), rng.randint(90, 160), rng.randint(60, 120)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 40, 140, 110), fill=(235, 225, 205))
    draw.polygon([(10, 45), (80, 10), (150, 45)], fill=(150, 60, 40))
    draw.rectangle((70, 70, 90, 110), fill=(90, 60, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def import_form(name, coordinator):
    """A demo questionnaire, imported from its XLSForm (kept as a markdown table in demo_forms/) through the
    same import a coordinator uses, then published."""
    import io

    from pyxform.xls2json_backends import md_table_to_workbook

    workbook = md_table_to_workbook((FORMS / name).read_text(encoding="utf-8"))
    data = io.BytesIO()
    workbook.save(data)
    version = services.version_import_xlsform(data=data.getvalue(), created_by=coordinator)
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
    """Create the demo questionnaires and interviews (or leave them as they are), through the services a
    researcher's and a coordinator's clicks call: every interview is saved, submitted and reviewed as on
    the site, with its skip logic, history and network ties."""
    if Interview.objects.filter(version__questionnaire__name=QUESTIONNAIRE).exists():
        return
    coordinator = User.objects.get(username="coordinador")
    researchers = list(User.objects.filter(username__in=["investigadora", "investigador2"]).order_by("username"))
    version = import_form("entrevista_actores.md", coordinator)
    workshop = import_form("ficha_taller.md", coordinator)
    structures = {form.pk: engine.Structure.of(selectors.form_questions(form)) for form in (version, workshop)}
    made = 0
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
                answers = {code: value for code, value in _answers(rng, profile, others).items() if value != ""}
                _interview(
                    rng,
                    version,
                    cluster,
                    actor,
                    researcher,
                    coordinator,
                    index,
                    answers,
                    key=f"{cluster.slug}-{index}",
                    structures=structures,
                )
                made += 1
            firms = [m for m in members if m.kind == Actor.Kind.FIRM] or members
            for index in range(min(WORKSHOPS_PER_CLUSTER, len(firms))):
                answers, files = _workshop(rng, cluster)
                _interview(
                    rng,
                    workshop,
                    cluster,
                    firms[index],
                    researcher,
                    coordinator,
                    index,
                    answers,
                    key=f"taller-{cluster.slug}-{index}",
                    structures=structures,
                    files=files,
                )
                made += 1
    if stdout:
        stdout.write(f"Demo interviews: {made} interviews of '{QUESTIONNAIRE}' and '{WORKSHOP_QUESTIONNAIRE}'.")


def _interview(rng, version, cluster, actor, researcher, coordinator, index, answers, *, key, structures, files=None):
    """One interview saved by its researcher (and submitted and reviewed as its status says)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    status = _status(index)
    date = datetime.date(2025, 1, 6) + datetime.timedelta(days=index * 13 + rng.randint(0, 9))
    details = {
        "respondent_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
        "respondent_position": rng.choice(POSITIONS),
        "date": date,
        "place": rng.choice(PLACES.get(cluster.slug, ["Lima"])),
        "mode": rng.choices(["in_person", "phone", "video"], weights=(7, 2, 1))[0],
        "duration": datetime.timedelta(minutes=rng.choice([35, 45, 50, 60, 75, 90, 120])),
        "consent_given": True,
        "notes": "",
    }
    uploads = {name: SimpleUploadedFile(f"{name[0]}.jpg", data, "image/jpeg") for name, data in (files or {}).items()}
    saved = services.interview_save(
        structure=structures[version.pk],
        user=researcher,
        uuid=uuid.uuid5(UUID_NAMESPACE, key),
        version=version,
        cluster=cluster,
        actor=actor,
        details=details,
        answers=answers,
        submit=status != Interview.Status.DRAFT,
        files=uploads,
    )
    interview = saved.interview
    if status == Interview.Status.APPROVED:
        services.interview_approve(interview=interview, reviewer=coordinator)
    elif status == Interview.Status.RETURNED:
        services.interview_return(
            interview=interview, reviewer=coordinator, comment=RETURN_COMMENTS[index % len(RETURN_COMMENTS)]
        )
    return interview


# Where each cluster's workshops are (a point near the cluster's main town), for the location question.
CENTRES = {
    "pelos-finos-camelidos": (-15.4997, -70.1333),
    "cafe-del-peru": (-11.0533, -75.3283),
    "turismo-cultural-cusco": (-13.5320, -71.9675),
    "moda-vestir-lima": (-12.0686, -77.0146),
    "minero-centro": (-12.0651, -75.2049),
    "auxiliar-minero": (-16.3989, -71.5350),
    "logistica-callao": (-12.0566, -77.1181),
    "hortofruticola-costa": (-8.1091, -79.0215),
}
PRODUCTS = ["Chompas de alpaca", "Café pergamino", "Polos de algodón", "Repuestos de maquinaria", "Paltas", "Tejidos"]


def _workshop(rng, cluster):
    """A workshop's answers: its location and photo, 1 to 3 product lines (a repeat), its workforce."""
    latitude, longitude = CENTRES.get(cluster.slug, (-12.0464, -77.0428))
    answers = {
        "ubicacion": f"{latitude + rng.uniform(-0.05, 0.05):.6f} {longitude + rng.uniform(-0.05, 0.05):.6f} "
        f"{rng.randint(5, 4000)} {rng.randint(3, 25)}",
        "anio_inicio": Decimal(rng.randint(1980, 2022)),
        "local": rng.choice(["propio", "alquilado", "vivienda"]),
        "trabajadores": Decimal(rng.randint(2, 40)),
        "hora_inicio_jornada": datetime.time(rng.choice([6, 7, 8, 9]), 0),
    }
    answers["trabajadoras"] = Decimal(rng.randint(0, int(answers["trabajadores"])))
    for line in range(1, rng.randint(1, 3) + 1):
        repeat = str(line)
        answers[("producto", repeat)] = rng.choice(PRODUCTS)
        answers[("unidad", repeat)] = rng.choice(["unidades", "kg", "metros"])
        answers[("volumen_mensual", repeat)] = Decimal(rng.randint(20, 2000))
        answers[("precio_unitario", repeat)] = Decimal(rng.randint(5, 300))
        answers[("destino", repeat)] = sorted(rng.sample(["local", "nacional", "exportacion"], rng.randint(1, 2)))
    return answers, {"foto_taller": _photo(f"{cluster.slug}-{latitude}")}
