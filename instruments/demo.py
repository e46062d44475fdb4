"""Demo interventions for every demo cluster: believable Peruvian instruments with indicators and activities.

Every intervention, figure and result below is illustrative (see docs/demo.md). Implementing, funding and
beneficiary organisations are the clusters' own demo members. Values follow a seeded trajectory, so two runs
build the same programme; an intervention that already exists (same cluster and title) is left as it is.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import User

from clusters.models import Actor, Cluster
from instruments import services
from instruments.models import InstrumentType, Intervention

# Quarter ends on which demo measurements are taken.
QUARTERS = [
    datetime.date(2024, 3, 31),
    datetime.date(2024, 6, 30),
    datetime.date(2024, 9, 30),
    datetime.date(2024, 12, 31),
    datetime.date(2025, 3, 31),
    datetime.date(2025, 6, 30),
    datetime.date(2025, 9, 30),
]
START = datetime.date(2024, 1, 15)
END = datetime.date(2025, 12, 31)

# Indicator: (name, unit, direction, baseline, target, share of the way reached by the last quarter,
# breakdown: "" | "sex" | "size")
# Activity: (kind, title, place)
INTERVENTIONS = {
    "pelos-finos-camelidos": [
        {
            "title": "Capacitación en clasificación de fibra de alpaca con el CITE",
            "instrument": "quality-standards",
            "level": "regional",
            "focus": "actors",
            "objective": "Que los criadores de Macusani y Nuñoa entreguen fibra clasificada por finura y color.",
            "implementing": ["CITE Fibras Altoandinas"],
            "funding": ["Dirección Regional de Producción de Puno"],
            "beneficiaries": [
                "Asociación de Criadores Alpaqueros de Macusani",
                "Cooperativa Agraria Fibra Fina Nuñoa",
                "Acopiadora de Fibra Santa Rosa E.I.R.L.",
                "Tejidos Lampa S.R.L.",
            ],
            "budget": ("480000.00", "352400.00"),
            "status": "running",
            "indicators": [
                ("Merma de fibra en la clasificación", "%", "decrease", "18", "8", 0.7, ""),
                ("Criadores capacitados en clasificación", "personas", "increase", "0", "600", 0.75, "sex"),
            ],
            "activities": [
                ("training", "Taller de clasificación por finura", "Macusani"),
                ("training", "Taller de clasificación por color", "Nuñoa"),
                ("technical_assistance", "Asistencia en centros de acopio", "Santa Rosa"),
            ],
            "returned": True,
        },
        {
            "title": "Participación en feria internacional de textiles de alpaca",
            "instrument": "export-networks",
            "level": "national",
            "focus": "sector",
            "objective": "Llevar a compradores extranjeros la oferta de prendas finas del altiplano.",
            "implementing": ["Cámara de Comercio de Juliaca"],
            "funding": ["Dirección Regional de Producción de Puno", "Caja Rural Altiplano S.A."],
            "beneficiaries": [
                "Textiles Altiplano S.A.C.",
                "Confecciones Vicuña Real E.I.R.L.",
                "Exportadora Andean Knits S.A.C.",
                "Hilandería Sur Andina S.A.",
            ],
            "budget": ("350000.00", "362500.00"),
            "justification": "Ampliación aprobada para un segundo stand en la rueda de negocios.",
            "status": "finished",
            "indicators": [
                ("Empresas con contratos de exportación", "empresas", "increase", "3", "12", 1.1, "size"),
            ],
            "activities": [
                ("fair", "Stand del clúster en la feria de alpaca", "Lima"),
                ("business_round", "Rueda de negocios con compradores europeos", "Lima"),
            ],
        },
        {
            "title": "Marca colectiva «Fibra Altoandina»",
            "instrument": "cluster-brands",
            "level": "regional",
            "focus": "territory",
            "objective": "Una marca de origen para las prendas de fibra fina de Puno y Arequipa.",
            "implementing": ["Cámara de Comercio de Juliaca"],
            "funding": ["Dirección Regional de Producción de Puno"],
            "beneficiaries": ["Textiles Altiplano S.A.C.", "Tejidos Lampa S.R.L.", "Confecciones Vicuña Real E.I.R.L."],
            "budget": ("210000.00", "95000.00"),
            "status": "running",
            "indicators": [("Empresas que usan la marca colectiva", "empresas", "increase", "0", "25", 0.4, "")],
            "activities": [("meeting", "Comité de la marca colectiva", "Juliaca")],
        },
        {
            "title": "Observatorio tecnológico de fibras finas",
            "instrument": "technology-observatories",
            "level": "local",
            "focus": "sector",
            "objective": "Vigilar tecnologías de hilado y teñido y difundirlas entre las empresas del clúster.",
            "implementing": ["Universidad Regional del Altiplano"],
            "funding": ["ONG Manos Andinas"],
            "beneficiaries": ["Hilandería Sur Andina S.A.", "Tintes y Avíos del Sur S.A.C."],
            "budget": ("120000.00", "64000.00"),
            "status": "running",
            "indicators": [
                ("Boletines de vigilancia tecnológica publicados", "boletines", "increase", "0", "8", 0.6, "")
            ],
            "activities": [("meeting", "Presentación del boletín semestral", "Puno")],
        },
    ],
    "cafe-del-peru": [
        {
            "title": "Desarrollo de proveedores de café especial",
            "instrument": "small-firm-support",
            "level": "national",
            "focus": "actors",
            "objective": "Mejorar la calidad del café pergamino que las cooperativas venden a los exportadores.",
            "implementing": ["Beneficio Seco Pichanaki S.A.C."],
            "funding": ["Exportadora Café Andino S.A."],
            "beneficiaries": [
                "Cooperativa Agraria Cafetalera Valle Alto",
                "Cooperativa Cafetalera Selva Central",
                "Finca Los Alisos E.I.R.L.",
            ],
            "budget": ("620000.00", "410000.00"),
            "status": "running",
            "indicators": [
                ("Defectos en café pergamino", "%", "decrease", "12", "5", 0.65, ""),
                ("Productores con certificación de calidad", "productores", "increase", "40", "200", 0.5, "sex"),
            ],
            "activities": [
                ("training", "Escuela de campo de cosecha selectiva", "Satipo"),
                ("technical_assistance", "Visitas de catación a fincas", "Pichanaki"),
            ],
        },
        {
            "title": "Mapa de relaciones de la cadena del café",
            "instrument": "relationship-map",
            "level": "regional",
            "focus": "territory",
            "objective": "Conocer quién compra, financia y capacita a quién en la cadena cafetalera.",
            "implementing": ["Universidad Agraria de la Selva Central"],
            "funding": ["Agencia Agraria de Satipo"],
            "beneficiaries": ["Mesa Técnica Regional del Café de Junín"],
            "budget": ("90000.00", "90000.00"),
            "status": "finished",
            "indicators": [("Actores mapeados en la red", "actores", "increase", "0", "120", 1.0, "")],
            "activities": [("meeting", "Taller de validación del mapa", "La Merced")],
        },
        {
            "title": "Fondo de garantía para cooperativas cafetaleras",
            "instrument": "venture-capital-guarantees",
            "level": "national",
            "focus": "actors",
            "objective": "Garantías para créditos de renovación de cafetales.",
            "implementing": ["Financiera Rural Amazónica S.A."],
            "funding": ["Financiera Rural Amazónica S.A."],
            "beneficiaries": ["Cooperativa Cafetalera Selva Central", "Café Cumbre de Jaén S.A.C."],
            "budget": ("1500000.00", "0.00"),
            "status": "planned",
            "indicators": [("Créditos garantizados", "créditos", "increase", "0", "80", None, "")],
            "activities": [],
        },
    ],
    "turismo-cultural-cusco": [
        {
            "title": "Marca turística «Cusco Vivo»",
            "instrument": "cluster-brands",
            "level": "regional",
            "focus": "territory",
            "objective": "Promover el Cusco vivo más allá de Machu Picchu: comunidades, artesanía y gastronomía.",
            "implementing": ["Dirección Regional de Comercio Exterior y Turismo Cusco"],
            "funding": ["Dirección Regional de Comercio Exterior y Turismo Cusco"],
            "beneficiaries": [
                "Operador Inca Trails S.A.C.",
                "Agencia de Viajes Qosqo Tours E.I.R.L.",
                "Asociación de Artesanos de Pisac",
            ],
            "budget": ("540000.00", "301000.00"),
            "status": "running",
            "indicators": [("Visitantes que reconocen la marca", "%", "increase", "5", "30", 0.55, "")],
            "activities": [("fair", "Presentación de la marca en feria de turismo", "Cusco")],
        },
        {
            "title": "Formación especializada de guías con el instituto superior",
            "instrument": "university-training",
            "level": "local",
            "focus": "actors",
            "objective": "Guías oficiales con especialización en patrimonio vivo e idiomas.",
            "implementing": ["Instituto Superior de Turismo del Cusco"],
            "funding": ["Caja Municipal Imperial S.A."],
            "beneficiaries": ["Asociación de Guías Oficiales de Turismo"],
            "budget": ("160000.00", "120000.00"),
            "status": "running",
            "indicators": [("Guías con especialización certificada", "guías", "increase", "0", "150", 0.8, "sex")],
            "activities": [
                ("training", "Módulo de patrimonio inmaterial", "Cusco"),
                ("training", "Módulo de interpretación en inglés", "Cusco"),
            ],
        },
    ],
    "moda-vestir-lima": [
        {
            "title": "Compras coordinadas de tela para talleres de Gamarra",
            "instrument": "coordinated-purchasing",
            "level": "local",
            "focus": "actors",
            "objective": "Comprar tela en volumen para bajar el costo de los talleres pequeños.",
            "implementing": ["Gremio de Confeccionistas de Gamarra"],
            "funding": ["Municipalidad de La Victoria"],
            "beneficiaries": [
                "Taller de Costura Estrella E.I.R.L.",
                "Diseños Limeños S.R.L.",
                "Confecciones Gamarra Moda S.A.C.",
            ],
            "budget": ("80000.00", "61000.00"),
            "status": "running",
            "indicators": [("Costo de tela por metro", "S/ por metro", "decrease", "14", "11", 0.6, "")],
            "activities": [("meeting", "Mesa de compras con proveedores de tela", "La Victoria")],
        },
        {
            "title": "Transferencia de patronaje digital",
            "instrument": "technology-transfer",
            "level": "national",
            "focus": "sector",
            "objective": "Que los talleres adopten patronaje y tizado digital.",
            "implementing": ["Centro de Innovación Textil y Confecciones"],
            "funding": ["Centro de Innovación Textil y Confecciones"],
            "beneficiaries": ["Textil La Victoria S.A.", "Diseños Limeños S.R.L."],
            "budget": ("260000.00", "140000.00"),
            "status": "running",
            "indicators": [("Empresas que adoptan patronaje digital", "empresas", "increase", "2", "40", 0.45, "size")],
            "activities": [
                ("technical_assistance", "Asistencia en planta: tizado digital", "La Victoria"),
                ("training", "Curso de patronaje digital", "Lima"),
            ],
        },
    ],
    "minero-centro": [
        {
            "title": "Programa de desarrollo de proveedores mineros",
            "instrument": "small-firm-support",
            "level": "national",
            "focus": "actors",
            "objective": "Homologar proveedores locales de Junín y Pasco para las unidades mineras.",
            "implementing": ["Asociación de Proveedores Mineros del Centro"],
            "funding": ["Compañía Minera Cerro Verde Alto S.A.", "Minera Polimetálica del Mantaro S.A."],
            "beneficiaries": [
                "Perforaciones Andinas S.A.C.",
                "Mantenimiento Industrial Huancayo S.R.L.",
                "Transportes de Concentrado Pasco S.A.C.",
            ],
            "budget": ("900000.00", "655000.00"),
            "status": "running",
            "indicators": [
                ("Proveedores locales homologados", "proveedores", "increase", "6", "30", 0.6, "size"),
                ("Tiempo de homologación", "días", "decrease", "120", "60", 0.5, ""),
            ],
            "activities": [
                ("technical_assistance", "Diagnóstico de brechas de homologación", "Huancayo"),
                ("business_round", "Rueda de negocios con compras de las mineras", "Cerro de Pasco"),
            ],
        },
        {
            "title": "Red de empresas mineras e institutos técnicos",
            "instrument": "firm-education-networks",
            "level": "regional",
            "focus": "actors",
            "objective": "Formar técnicos en mantenimiento de equipos pesados con prácticas en las minas.",
            "implementing": ["Instituto Tecnológico Minero de Pasco"],
            "funding": ["Dirección Regional de Energía y Minas de Junín"],
            "beneficiaries": ["Sociedad Minera Yauli S.A.C.", "Mantenimiento Industrial Huancayo S.R.L."],
            "budget": ("300000.00", "180000.00"),
            "status": "running",
            "indicators": [("Técnicos egresados contratados", "personas", "increase", "0", "90", 0.5, "sex")],
            "activities": [("meeting", "Convenio de prácticas preprofesionales", "Cerro de Pasco")],
        },
    ],
    "auxiliar-minero": [
        {
            "title": "Proyectos conjuntos de I+D en metalmecánica",
            "instrument": "joint-research-projects",
            "level": "national",
            "focus": "sector",
            "objective": "Proyectos de universidad y empresas para repuestos de mayor duración.",
            "implementing": ["Universidad Técnica de Arequipa"],
            "funding": ["Equipos Mineros del Sur S.A."],
            "beneficiaries": ["Metalmecánica Arequipa S.A.C.", "Ingeniería y Montajes Chilina S.R.L."],
            "budget": ("700000.00", "310000.00"),
            "status": "running",
            "indicators": [("Proyectos conjuntos en ejecución", "proyectos", "increase", "1", "6", 0.6, "")],
            "activities": [("meeting", "Comité de proyectos universidad-empresa", "Arequipa")],
        },
        {
            "title": "Certificación de repuestos según norma técnica",
            "instrument": "intellectual-property",
            "level": "national",
            "focus": "actors",
            "objective": "Que los repuestos nacionales cumplan las normas que exigen las mineras.",
            "implementing": ["Laboratorio de Ensayos de Materiales del Sur"],
            "funding": ["Cámara de Comercio e Industria de Arequipa (demo)"],
            "beneficiaries": ["Repuestos Industriales Lima S.A.C.", "Hidráulica Andina E.I.R.L."],
            "budget": ("220000.00", "90000.00"),
            "status": "running",
            "indicators": [("Productos con certificación de norma", "productos", "increase", "4", "20", 0.35, "")],
            "activities": [("technical_assistance", "Ensayos de laboratorio", "Arequipa")],
        },
    ],
    "logistica-callao": [
        {
            "title": "Observatorio logístico del Callao",
            "instrument": "technology-observatories",
            "level": "national",
            "focus": "territory",
            "objective": "Medir y publicar tiempos y costos logísticos del puerto y aeropuerto.",
            "implementing": ["Escuela de Logística y Comercio Exterior"],
            "funding": ["Autoridad Portuaria Regional (demo)"],
            "beneficiaries": ["Almacenes Callao Logística S.A.C.", "Agencia de Aduanas Puerto Seguro S.A.C."],
            "budget": ("400000.00", "250000.00"),
            "status": "running",
            "indicators": [("Tiempo promedio de despacho de contenedores", "horas", "decrease", "72", "48", 0.55, "")],
            "activities": [("meeting", "Presentación trimestral de indicadores", "Callao")],
        },
        {
            "title": "Mesas del clúster logístico",
            "instrument": "cluster-meetings-training",
            "level": "local",
            "focus": "actors",
            "objective": "Reunir a terminales, agentes y transportistas para resolver cuellos de botella.",
            "implementing": ["Asociación de Operadores Logísticos del Callao"],
            "funding": ["Terminal Portuario del Pacífico S.A."],
            "beneficiaries": ["Transportes de Carga Chalaca E.I.R.L.", "Agente de Carga Internacional Ruta Sur S.A.C."],
            "budget": ("60000.00", "42000.00"),
            "status": "running",
            "indicators": [("Empresas que participan en las mesas", "empresas", "increase", "8", "30", 0.7, "size")],
            "activities": [
                ("meeting", "Mesa de transporte de carga", "Callao"),
                ("meeting", "Mesa de agentes de aduana", "Callao"),
            ],
        },
    ],
    "hortofruticola-costa": [
        {
            "title": "Redes de exportación de arándano a nuevos mercados",
            "instrument": "export-networks",
            "level": "national",
            "focus": "sector",
            "objective": "Abrir mercados asiáticos a productores medianos de arándano.",
            "implementing": ["Empacadora Arándanos del Norte S.A.C."],
            "funding": ["Agroexportadora Valle de Virú S.A."],
            "beneficiaries": ["Fundo Las Palmeras S.A.C.", "Productores Asociados de Palta de Ica"],
            "budget": ("380000.00", "210000.00"),
            "status": "running",
            "indicators": [("Empresas exportadoras a nuevos mercados", "empresas", "increase", "2", "10", 0.5, "")],
            "activities": [("business_round", "Rueda de negocios con importadores", "Trujillo")],
        },
        {
            "title": "Buenas prácticas agrícolas y certificación",
            "instrument": "quality-standards",
            "level": "regional",
            "focus": "actors",
            "objective": "Que los pequeños productores obtengan certificación de buenas prácticas.",
            "implementing": ["Certificadora Agrícola Global S.A.C."],
            "funding": ["Proyecto Especial de Irrigación Costa Norte (demo)"],
            "beneficiaries": ["Viveros y Plantones Chao E.I.R.L.", "Productores Asociados de Palta de Ica"],
            "budget": ("150000.00", "98000.00"),
            "status": "running",
            "indicators": [
                ("Productores con certificación de buenas prácticas", "productores", "increase", "10", "60", 0.6, "sex")
            ],
            "activities": [("training", "Taller de inocuidad y trazabilidad", "Chao")],
        },
    ],
    "harina-aceite-pescado": [
        {
            "title": "Facilitadores para articular armadores y plantas",
            "instrument": "cluster-brokers",
            "level": "local",
            "focus": "actors",
            "objective": "Acuerdos de abastecimiento entre armadores artesanales y plantas de harina.",
            "implementing": ["Armadores Artesanales de Paita"],
            "funding": ["Pesquera Chimbote Norte S.A."],
            "beneficiaries": ["Armadores Artesanales de Paita", "Servicios Navales Ferrol S.R.L."],
            "budget": ("70000.00", "52000.00"),
            "status": "running",
            "indicators": [("Acuerdos de abastecimiento firmados", "acuerdos", "increase", "0", "12", 0.5, "")],
            "activities": [("meeting", "Reunión de armadores y plantas", "Paita")],
        },
        {
            "title": "Incentivos a redes de armadores artesanales",
            "instrument": "network-financial-incentives",
            "level": "regional",
            "focus": "actors",
            "objective": "Cofinanciar redes formales de armadores para negociar en conjunto.",
            "implementing": ["Instituto de Investigación Pesquera del Norte"],
            "funding": ["Harinera del Pacífico S.A.C."],
            "beneficiaries": ["Armadores Artesanales de Paita"],
            "budget": ("200000.00", "40000.00"),
            "status": "running",
            "indicators": [("Armadores en redes formales", "armadores", "increase", "15", "80", 0.3, "")],
            "activities": [],
        },
    ],
    "salud-lima": [
        {
            "title": "Mapa del clúster de salud de Lima",
            "instrument": "cluster-maps",
            "level": "local",
            "focus": "territory",
            "objective": "Un mapa cualitativo y cuantitativo de clínicas, laboratorios y proveedores.",
            "implementing": ["Facultad de Medicina de Lima (demo)"],
            "funding": ["Clínica San Martín de Porres S.A."],
            "beneficiaries": ["Laboratorio Clínico Lima Sur S.A.C."],
            "budget": ("45000.00", "0.00"),
            "status": "planned",
            "indicators": [("Actores del clúster mapeados", "actores", "increase", "0", "150", None, "")],
            "activities": [],
        },
        {
            "title": "Condiciones para capital de riesgo en dispositivos médicos",
            "instrument": "venture-capital-framework",
            "level": "national",
            "focus": "sector",
            "objective": "Proponer reglas que atraigan capital de riesgo privado a empresas de dispositivos médicos.",
            "implementing": ["Equipos Médicos del Perú S.A.C."],
            "funding": ["Clínica San Martín de Porres S.A."],
            "beneficiaries": ["Equipos Médicos del Perú S.A.C."],
            "budget": ("30000.00", "12000.00"),
            "status": "cancelled",
            "indicators": [],
            "activities": [("meeting", "Mesa con fondos de inversión", "Lima")],
        },
    ],
}

RETURN_REASON = "La fuente no indica la fecha del padrón de criadores: adjunte el acta del taller."
SOURCES = ["Registro del programa", "Padrón de beneficiarios", "Encuesta de seguimiento", "Informe trimestral"]


def _split(total, shares):
    """Whole parts of ``total`` in these shares that add up exactly to it."""
    parts = [int(total * Decimal(str(share))) for share in shares[:-1]]
    parts.append(int(total) - sum(parts))
    return [Decimal(part) for part in parts]


def _measurements(indicator, spec, rng, *, recorder, reviewer, returned):
    _name, _unit, _direction, baseline, target, reached, breakdown = spec
    if reached is None:
        return
    baseline, target = Decimal(baseline), Decimal(target)
    points = len(QUARTERS)
    for position, date in enumerate(QUARTERS, start=1):
        share = reached * position / points + rng.uniform(-0.04, 0.04)
        value = (baseline + (target - baseline) * Decimal(str(round(share, 3)))).quantize(Decimal("1"))
        fields = {"date": date, "value": value, "source": SOURCES[position % len(SOURCES)], "note": ""}
        if breakdown == "sex":
            women, men = _split(value, [0.56, 0.44])
            fields.update(value_women=women, value_men=men)
        elif breakdown == "size" and value > 0:
            micro, small, medium, large = _split(value, [0.5, 0.3, 0.15, 0.05])
            fields.update(value_micro=micro, value_small=small, value_medium=medium, value_large=large)
        if position == points and breakdown == "sex":
            # The last, still pending, value has a breakdown that does not add up: the page warns about it.
            fields["value_women"] = fields["value_women"] - 2
        measurement = services.measurement_create(indicator=indicator, recorded_by=recorder, **fields)
        if position >= points - 1:
            if returned and position == points - 1:
                services.measurement_return(measurement=measurement, reviewer=reviewer, reason=RETURN_REASON)
            continue  # the last quarters wait for review
        services.measurement_approve(measurement=measurement, reviewer=reviewer)


def _activities(intervention, specs, rng, *, user):
    for number, (kind, title, place) in enumerate(specs):
        women, men = rng.randint(6, 30), rng.randint(4, 25)
        services.activity_create(
            intervention=intervention,
            created_by=user,
            date=datetime.date(2024, 3 + 3 * number, rng.randint(5, 25)),
            kind=kind,
            title=title,
            place=place,
            women=women,
            men=men,
            firms_micro=rng.randint(2, 12),
            firms_small=rng.randint(0, 6),
            firms_medium=rng.randint(0, 3),
            firms_large=rng.randint(0, 1),
            notes="",
        )


def build(stdout=None):
    """Create the demo interventions of every demo cluster (or leave the existing ones as they are)."""
    coordinator = User.objects.get(username="coordinador")
    # Four eyes: the programme's administrator records the values, the coordinator reviews them (and may
    # approve the pending ones in the demo).
    recorder = User.objects.filter(username="admin").first() or coordinator
    instruments = {it.code: it for it in InstrumentType.objects.filter(is_local=False)}
    created = 0
    for slug, specs in INTERVENTIONS.items():
        cluster = Cluster.objects.filter(slug=slug).first()
        if cluster is None:
            continue
        members = {actor.name: actor for actor in Actor.objects.filter(memberships__cluster=cluster)}
        rng = random.Random(f"instruments-{slug}")
        for spec in specs:
            if Intervention.objects.filter(cluster=cluster, title=spec["title"]).exists():
                continue
            planned, executed = spec["budget"]
            intervention = services.intervention_create(
                cluster=cluster,
                created_by=coordinator,
                instrument_type=instruments[spec["instrument"]],
                title=spec["title"],
                objective=spec["objective"],
                government_level=spec["level"],
                focus=spec["focus"],
                start_date=START,
                end_date=END if spec["status"] != "finished" else datetime.date(2025, 9, 30),
                budget_planned=Decimal(planned),
                budget_executed=Decimal(executed),
                overspend_justification=spec.get("justification", ""),
                status=spec["status"],
                implementing_institutions=[members[name] for name in spec["implementing"]],
                funding_institutions=[members[name] for name in spec["funding"]],
                beneficiaries=[members[name] for name in spec["beneficiaries"]],
            )
            for number, indicator_spec in enumerate(spec["indicators"]):
                name, unit, direction, baseline, target, _reached, _breakdown = indicator_spec
                indicator = services.indicator_create(
                    intervention=intervention,
                    created_by=coordinator,
                    name=name,
                    unit=unit,
                    direction=direction,
                    baseline_value=Decimal(baseline),
                    baseline_date=START,
                    target_value=Decimal(target),
                    target_date=END,
                )
                _measurements(
                    indicator,
                    indicator_spec,
                    rng,
                    recorder=recorder,
                    reviewer=coordinator,
                    returned=spec.get("returned", False) and number == 1,
                )
            _activities(intervention, spec["activities"], rng, user=coordinator)
            created += 1
    if stdout:
        stdout.write(f"Demo instruments: {created} interventions added, {Intervention.objects.count()} in all.")
