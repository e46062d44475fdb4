"""Demo interviews: a published questionnaire for cluster actors and 160 interviews in every status.

Answers are drawn from a seeded random generator with a profile per cluster (a mining supplier
exports more and trusts less than a coffee cooperative), so the findings differ believably between
clusters and every run gives the same data. The questionnaires are XLSForms and the tables the answers
are drawn from a JSON file, all in ``demo_data/``. Every interview is made by the service calls a user's
clicks make (``surveys.services``): saved and submitted by its researcher, approved or returned by the
coordinator, so it has its history and, once submitted, its network ties. Loading it again changes nothing
(the questionnaire's name is the natural key).
"""

import datetime
import json
import random
import uuid
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User

from clusters.models import Actor, Cluster
from surveys import engine, selectors, services
from surveys.models import Choice, Interview

QUESTIONNAIRE = "Entrevista a actores del clúster"
WORKSHOP_QUESTIONNAIRE = "Ficha del taller"
UUID_NAMESPACE = uuid.UUID("0b8f6f1e-3c0e-4d4b-9a55-6c1d7e2f4a10")
INTERVIEWS_PER_CLUSTER = 20
WORKSHOPS_PER_CLUSTER = 4

# The questionnaires (XLSForms kept as markdown tables) and the tables the answers are drawn from.
DATA = Path(__file__).resolve().parent / "demo_data"
TABLES = json.loads((DATA / "interviews.json").read_text(encoding="utf-8"))
PROFILES = TABLES["profiles"]
DEFAULT_PROFILE = PROFILES[TABLES["default_profile"]]


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
    """A demo questionnaire, imported from its XLSForm (kept as a markdown table in demo_data/) through the
    same import a coordinator uses, then published."""
    import io

    from pyxform.xls2json_backends import md_table_to_workbook

    workbook = md_table_to_workbook((DATA / name).read_text(encoding="utf-8"))
    data = io.BytesIO()
    workbook.save(data)
    version = services.version_import_xlsform(data=data.getvalue(), created_by=coordinator)
    return services.version_publish(version=version, published_by=coordinator)


def _weighted(rng, weights):
    items = list(weights.items())
    return rng.choices([key for key, _w in items], weights=[w for _k, w in items])[0]


def _options(version):
    """{question code: its options' values, in the form's order}: what a respondent may choose."""
    options = {}
    for question, value in Choice.objects.filter(question__version=version).values_list("question__code", "value"):
        options.setdefault(question, []).append(value)
    return options


def _answers(rng, profile, others, options):
    """One respondent's answers, before skip logic drops what does not apply."""
    size = rng.choices(options["tamano"], weights=profile["sizes"])[0]
    scale = TABLES["size_scale"][size]
    exports = rng.random() < profile["export"] * (0.6 if size == "micro" else 1.2)
    barriers = sorted({_weighted(rng, profile["barriers"]) for _ in range(rng.randint(1, 3))})
    supported = rng.random() < profile["support"]
    programmes = sorted(rng.sample(options["programas"], rng.randint(1, 2))) if supported else []
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
        "mercados": sorted(rng.sample(options["mercados"], rng.randint(1, 2))),
        "exporta_pct": Decimal(rng.randint(10, 90)),
        "compra_a": [a.pk for a in rng.sample(others, min(len(others), rng.randint(0, 2)))],
        "origen_insumos": rng.choice(options["origen_insumos"]),
        "dificultad_proveedores": Decimal(rng.randint(1, 5)),
        "vende_a": sorted(rng.sample(options["vende_a"], rng.randint(1, 2))),
        "colabora": collaborates,
        "colabora_con": [a.pk for a in rng.sample(others, min(len(others), rng.randint(1, 3)))],
        "tipo_colaboracion": sorted(rng.sample(options["tipo_colaboracion"], rng.randint(1, 2))),
        "confianza": Decimal(trust),
        "gremio": rng.random() < 0.45,
        "barreras": barriers,
        "barrera_principal": barriers[0],
        "credito_negado": rng.random() < 0.4,
        "vacantes": rng.randint(1, 12) * max(1, int(scale)),
        "coordinacion_detalle": rng.choice(TABLES["coordination_details"]),
        "recibio_apoyo": supported,
        "programas": programmes,
        "utilidad_apoyo": Decimal(rng.randint(2, 5)),
        "ultima_capacitacion": datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
        "invertira": invests,
        "monto_inversion": Decimal(rng.randint(5, 400) * 1000) * Decimal(scale).quantize(Decimal("0.1")),
        "ventas_esperadas": rng.choices(options["ventas_esperadas"], weights=(4, 4, 2))[0],
        "prioridad": rng.choice(profile["priorities"]),
        "comentario": rng.choice(TABLES["comments"]),
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
    options = _options(version)
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
                answers = {
                    code: value for code, value in _answers(rng, profile, others, options).items() if value != ""
                }
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
        "respondent_name": " ".join(rng.choice(TABLES[names]) for names in ("first_names", "last_names", "last_names")),
        "respondent_position": rng.choice(TABLES["positions"]),
        "date": date,
        "place": rng.choice(TABLES["places"].get(cluster.slug, ["Lima"])),
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
            interview=interview,
            reviewer=coordinator,
            comment=TABLES["return_comments"][index % len(TABLES["return_comments"])],
        )
    return interview


def _workshop(rng, cluster):
    """A workshop's answers: its location and photo, 1 to 3 product lines (a repeat), its workforce."""
    latitude, longitude = TABLES["workshop_centres"].get(cluster.slug, (-12.0464, -77.0428))
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
        answers[("producto", repeat)] = rng.choice(TABLES["workshop_products"])
        answers[("unidad", repeat)] = rng.choice(["unidades", "kg", "metros"])
        answers[("volumen_mensual", repeat)] = Decimal(rng.randint(20, 2000))
        answers[("precio_unitario", repeat)] = Decimal(rng.randint(5, 300))
        answers[("destino", repeat)] = sorted(rng.sample(["local", "nacional", "exportacion"], rng.randint(1, 2)))
    return answers, {"foto_taller": _photo(f"{cluster.slug}-{latitude}")}
