"""Demo programme: accounts, clusters from Peru's 2013 cluster mapping, their actors, networks and evaluations.

Cluster names come from the 2013 national cluster mapping (see
../shared/data/peru_clusters_2013.csv and docs/demo.md). Regions the source
did not give, all headline figures and every organisation below are
illustrative: the figures' source says so, so that nobody mistakes them for
official statistics. Running it again changes nothing (get-or-create by
natural keys).
"""

import datetime
import hashlib
import random
from decimal import Decimal

from django.contrib.auth.models import Group, User
from stdnum.pe import ruc as stdnum_ruc

from clusters.access import Role
from clusters.models import Actor, Cluster, Evaluation, HeadlineFigure, Membership, Region, Relationship, Risk, Sector

DEMO_PASSWORD = "casebook-demo"  # noqa: S105 - documented demo password, refused outside DEBUG
DEMO_SOURCE = "Cifra ilustrativa de demostración (no es una estadística oficial)"

ACCOUNTS = [
    # username, first name, last name, role
    ("investigadora", "Rosa", "Quispe Mamani", Role.RESEARCHER),
    ("investigador2", "Jorge", "Huamán Torres", Role.RESEARCHER),
    ("coordinador", "Lucía", "Fernández Salas", Role.COORDINATOR),
    ("gerente", "Miguel", "Paredes Rojas", Role.MANAGER),
    ("admin", "Ana", "Administradora", Role.ADMIN),
]

# name, slug, main CIIU division, related divisions, ubigeo department codes, stage, status, team, lat, lon,
# description, source note
CLUSTERS = [
    (
        "Pelos Finos de Camélidos",
        "pelos-finos-camelidos",
        "13",
        ["01", "14"],
        ["21", "04"],
        Cluster.Stage.GROWING,
        Cluster.Status.IN_INTERVENTION,
        "investigadora",
        "-15.840221",
        "-70.021880",
        "Crianza de alpacas y vicuñas, acopio y clasificación de fibra, hilandería y confección de prendas finas "
        "en el altiplano de Puno y en Arequipa. Prioridad n.º 4 del mapeo de clústeres de 2013.",
    ),
    (
        "Café del Perú",
        "cafe-del-peru",
        "01",
        ["10", "46"],
        ["12", "06", "22"],
        Cluster.Stage.GROWING,
        Cluster.Status.EVALUATED,
        "investigadora",
        "-11.158333",
        "-75.993333",
        "Productores cafetaleros, cooperativas, beneficio húmedo y seco, tostadores y exportadores de café "
        "especial de Junín, Cajamarca y San Martín.",
    ),
    (
        "Turismo Cultural",
        "turismo-cultural-cusco",
        "79",
        ["55", "56", "91"],
        ["08"],
        Cluster.Stage.MATURE,
        Cluster.Status.IN_INTERVENTION,
        "investigadora",
        "-13.531950",
        "-71.967463",
        "Agencias y operadores turísticos, hoteles, restaurantes, guías y artesanos alrededor del patrimonio "
        "cultural del Cusco. Prioridad n.º 3 del mapeo de 2013.",
    ),
    (
        "Moda Vestir",
        "moda-vestir-lima",
        "14",
        ["13", "47"],
        ["15"],
        Cluster.Stage.MATURE,
        Cluster.Status.PRIORITISED,
        "investigadora",
        "-12.065000",
        "-77.015000",
        "Confeccionistas, talleres de costura, proveedores de tela y avíos, diseñadores y tiendas mayoristas "
        "de Gamarra y Lima Metropolitana. Prioridad n.º 2 del mapeo de 2013.",
    ),
    (
        "Minero Centro",
        "minero-centro",
        "07",
        ["09", "28"],
        ["12", "15", "19"],
        Cluster.Stage.MATURE,
        Cluster.Status.IN_INTERVENTION,
        "investigador2",
        "-11.421944",
        "-76.012222",
        "Unidades mineras polimetálicas, proveedores de servicios de perforación y mantenimiento, transporte y "
        "formación técnica en Junín, Pasco y Lima. Prioridad n.º 1 del mapeo de 2013.",
    ),
    (
        "Auxiliar minero (Lima y Arequipa)",
        "auxiliar-minero",
        "28",
        ["25", "33", "71"],
        ["15", "04"],
        Cluster.Stage.GROWING,
        Cluster.Status.PRIORITISED,
        "investigador2",
        "-16.398889",
        "-71.535000",
        "Fabricantes de equipos, repuestos y servicios de ingeniería para la minería, impulsados por el clúster "
        "Minero Centro.",
    ),
    (
        "Logística en el Callao",
        "logistica-callao",
        "52",
        ["49", "50", "51"],
        ["07"],
        Cluster.Stage.MATURE,
        Cluster.Status.PRIORITISED,
        "investigador2",
        "-12.052222",
        "-77.141667",
        "Terminales portuarios y aeroportuarios, almacenes, agentes de carga y aduana y transporte de carga "
        "alrededor del puerto y aeropuerto del Callao.",
    ),
    (
        "Hortofrutícola de la Costa",
        "hortofruticola-costa",
        "01",
        ["10", "52"],
        ["13", "11", "20"],
        Cluster.Stage.GROWING,
        Cluster.Status.IDENTIFIED,
        "investigador2",
        "-8.111944",
        "-79.028889",
        "Agroexportación de espárrago, palta, arándano y uva en los valles de la costa: productores, "
        "empacadoras, proveedores de insumos y certificadoras.",
    ),
    (
        "Harina y Aceite de Pescado",
        "harina-aceite-pescado",
        "10",
        ["03", "52"],
        ["02", "20"],
        Cluster.Stage.DECLINING,
        Cluster.Status.IDENTIFIED,
        "",
        "-9.074722",
        "-78.593611",
        "Plantas de harina y aceite de pescado, flota anchovetera y servicios conexos de Chimbote y Paita.",
    ),
    (
        "Salud en Lima",
        "salud-lima",
        "86",
        ["21", "72"],
        ["15"],
        Cluster.Stage.EMBRYONIC,
        Cluster.Status.IDENTIFIED,
        "",
        "-12.046374",
        "-77.042793",
        "Clínicas, laboratorios, proveedores de equipos médicos y centros de formación en salud de Lima.",
    ),
]

# Headline figures per cluster slug: metric -> (value, year). All illustrative.
FIGURES = {
    "pelos-finos-camelidos": {"firms": 420, "employment": 12500, "annual_sales": 610_000_000, "exports": 155_000_000},
    "cafe-del-peru": {"firms": 1900, "employment": 85000, "annual_sales": 2_100_000_000, "exports": 760_000_000},
    "turismo-cultural-cusco": {"firms": 3100, "employment": 54000, "annual_sales": 3_400_000_000},
    "moda-vestir-lima": {"firms": 24000, "employment": 120000, "annual_sales": 4_800_000_000, "exports": 410_000_000},
    "minero-centro": {"firms": 260, "employment": 48000, "exports": 5_900_000_000, "regional_gdp_share": 38},
    "auxiliar-minero": {"firms": 650, "employment": 21000, "annual_sales": 3_900_000_000},
    "logistica-callao": {"firms": 830, "employment": 33000, "annual_sales": 5_200_000_000, "regional_gdp_share": 26},
    "hortofruticola-costa": {"firms": 1400, "employment": 160000, "exports": 4_100_000_000},
    "harina-aceite-pescado": {"firms": 95, "employment": 26000, "exports": 1_600_000_000},
    "salud-lima": {"firms": 2100, "employment": 64000},
}

# Actors per cluster: (name, kind, size, membership role, ubigeo department). RUCs are generated with a valid
# check digit. Organisations are invented for the demo.
ACTORS = {
    "pelos-finos-camelidos": [
        ("Textiles Altiplano S.A.C.", "firm", "medium", "core_firm", "04"),
        ("Hilandería Sur Andina S.A.", "firm", "large", "core_firm", "04"),
        ("Confecciones Vicuña Real E.I.R.L.", "firm", "small", "core_firm", "21"),
        ("Tejidos Lampa S.R.L.", "firm", "micro", "core_firm", "21"),
        ("Asociación de Criadores Alpaqueros de Macusani", "business_association", "", "association", "21"),
        ("Cooperativa Agraria Fibra Fina Nuñoa", "supplier", "small", "supplier", "21"),
        ("Acopiadora de Fibra Santa Rosa E.I.R.L.", "supplier", "micro", "supplier", "21"),
        ("Tintes y Avíos del Sur S.A.C.", "supplier", "small", "supplier", "04"),
        ("Exportadora Andean Knits S.A.C.", "buyer", "medium", "buyer", "04"),
        ("Universidad Regional del Altiplano", "university", "", "knowledge_institution", "21"),
        ("CITE Fibras Altoandinas", "research_centre", "", "support_institution", "21"),
        ("Dirección Regional de Producción de Puno", "public_agency", "", "public_agency", "21"),
        ("Caja Rural Altiplano S.A.", "financial_institution", "", "financier", "21"),
        ("Cámara de Comercio de Juliaca", "business_association", "", "association", "21"),
        ("ONG Manos Andinas", "ngo", "", "support_institution", "21"),
    ],
    "cafe-del-peru": [
        ("Cooperativa Agraria Cafetalera Valle Alto", "firm", "medium", "core_firm", "12"),
        ("Cooperativa Cafetalera Selva Central", "firm", "small", "core_firm", "12"),
        ("Café Cumbre de Jaén S.A.C.", "firm", "small", "core_firm", "06"),
        ("Finca Los Alisos E.I.R.L.", "firm", "micro", "core_firm", "22"),
        ("Tostaduría Moyobamba S.R.L.", "firm", "micro", "core_firm", "22"),
        ("Agroinsumos Chanchamayo S.A.C.", "supplier", "small", "supplier", "12"),
        ("Beneficio Seco Pichanaki S.A.C.", "supplier", "medium", "service_provider", "12"),
        ("Exportadora Café Andino S.A.", "buyer", "large", "buyer", "15"),
        ("Universidad Agraria de la Selva Central", "university", "", "knowledge_institution", "12"),
        ("Instituto de Investigación del Café y Cacao", "research_centre", "", "knowledge_institution", "22"),
        ("Agencia Agraria de Satipo", "public_agency", "", "public_agency", "12"),
        ("Financiera Rural Amazónica S.A.", "financial_institution", "", "financier", "22"),
        ("Junta de Productores de Café de Cajamarca", "business_association", "", "association", "06"),
        ("ONG Café Justo Perú", "ngo", "", "support_institution", "06"),
        ("Mesa Técnica Regional del Café de Junín", "other", "", "other", "12"),
    ],
    "turismo-cultural-cusco": [
        ("Operador Inca Trails S.A.C.", "firm", "medium", "core_firm", "08"),
        ("Agencia de Viajes Qosqo Tours E.I.R.L.", "firm", "small", "core_firm", "08"),
        ("Hotel Casa Imperial S.A.", "firm", "large", "core_firm", "08"),
        ("Restaurante Sabores del Valle S.R.L.", "firm", "micro", "core_firm", "08"),
        ("Transportes Turísticos Urubamba S.A.C.", "supplier", "small", "supplier", "08"),
        ("Asociación de Artesanos de Pisac", "business_association", "", "association", "08"),
        ("Instituto Superior de Turismo del Cusco", "university", "", "knowledge_institution", "08"),
        ("Dirección Regional de Comercio Exterior y Turismo Cusco", "public_agency", "", "public_agency", "08"),
        ("Caja Municipal Imperial S.A.", "financial_institution", "", "financier", "08"),
        ("Asociación de Guías Oficiales de Turismo", "business_association", "", "association", "08"),
        ("Mayorista Andes Travel Group S.A.", "buyer", "large", "buyer", "15"),
    ],
    "moda-vestir-lima": [
        ("Confecciones Gamarra Moda S.A.C.", "firm", "small", "core_firm", "15"),
        ("Textil La Victoria S.A.", "firm", "medium", "core_firm", "15"),
        ("Taller de Costura Estrella E.I.R.L.", "firm", "micro", "core_firm", "15"),
        ("Diseños Limeños S.R.L.", "firm", "micro", "core_firm", "15"),
        ("Telas y Avíos Lima Norte S.A.C.", "supplier", "small", "supplier", "15"),
        ("Bordados Industriales Perú S.A.C.", "supplier", "micro", "service_provider", "15"),
        ("Tiendas Mayoristas Centro Lima S.A.", "buyer", "large", "buyer", "15"),
        ("Escuela de Diseño y Moda de Lima", "university", "", "knowledge_institution", "15"),
        ("Centro de Innovación Textil y Confecciones", "research_centre", "", "support_institution", "15"),
        ("Gremio de Confeccionistas de Gamarra", "business_association", "", "association", "15"),
        ("Municipalidad de La Victoria", "public_agency", "", "public_agency", "15"),
    ],
    "minero-centro": [
        ("Compañía Minera Cerro Verde Alto S.A.", "firm", "large", "core_firm", "19"),
        ("Minera Polimetálica del Mantaro S.A.", "firm", "large", "core_firm", "12"),
        ("Sociedad Minera Yauli S.A.C.", "firm", "medium", "core_firm", "12"),
        ("Perforaciones Andinas S.A.C.", "supplier", "medium", "supplier", "12"),
        ("Mantenimiento Industrial Huancayo S.R.L.", "supplier", "small", "service_provider", "12"),
        ("Transportes de Concentrado Pasco S.A.C.", "supplier", "small", "supplier", "19"),
        ("Fundición del Centro S.A.", "buyer", "large", "buyer", "12"),
        ("Universidad Nacional Minera del Centro", "university", "", "knowledge_institution", "12"),
        ("Instituto Tecnológico Minero de Pasco", "research_centre", "", "knowledge_institution", "19"),
        ("Dirección Regional de Energía y Minas de Junín", "public_agency", "", "public_agency", "12"),
        ("Banco de Inversión Andina S.A.", "financial_institution", "", "financier", "15"),
        ("Asociación de Proveedores Mineros del Centro", "business_association", "", "association", "12"),
        ("ONG Desarrollo Sostenible Pasco", "ngo", "", "support_institution", "19"),
    ],
    "auxiliar-minero": [
        ("Metalmecánica Arequipa S.A.C.", "firm", "medium", "core_firm", "04"),
        ("Equipos Mineros del Sur S.A.", "firm", "large", "core_firm", "04"),
        ("Repuestos Industriales Lima S.A.C.", "firm", "small", "core_firm", "15"),
        ("Ingeniería y Montajes Chilina S.R.L.", "firm", "small", "service_provider", "04"),
        ("Aceros y Fundiciones del Perú S.A.", "supplier", "large", "supplier", "15"),
        ("Hidráulica Andina E.I.R.L.", "supplier", "micro", "supplier", "04"),
        ("Universidad Técnica de Arequipa", "university", "", "knowledge_institution", "04"),
        ("Laboratorio de Ensayos de Materiales del Sur", "research_centre", "", "knowledge_institution", "04"),
        ("Cámara de Comercio e Industria de Arequipa (demo)", "business_association", "", "association", "04"),
    ],
    "logistica-callao": [
        ("Terminal Portuario del Pacífico S.A.", "firm", "large", "core_firm", "07"),
        ("Almacenes Callao Logística S.A.C.", "firm", "medium", "core_firm", "07"),
        ("Agencia de Aduanas Puerto Seguro S.A.C.", "firm", "small", "service_provider", "07"),
        ("Transportes de Carga Chalaca E.I.R.L.", "supplier", "micro", "supplier", "07"),
        ("Agente de Carga Internacional Ruta Sur S.A.C.", "firm", "small", "service_provider", "07"),
        ("Importadora Lima Trade S.A.", "buyer", "large", "buyer", "15"),
        ("Escuela de Logística y Comercio Exterior", "university", "", "knowledge_institution", "07"),
        ("Autoridad Portuaria Regional (demo)", "public_agency", "", "public_agency", "07"),
        ("Asociación de Operadores Logísticos del Callao", "business_association", "", "association", "07"),
    ],
    "hortofruticola-costa": [
        ("Agroexportadora Valle de Virú S.A.", "firm", "large", "core_firm", "13"),
        ("Fundo Las Palmeras S.A.C.", "firm", "medium", "core_firm", "11"),
        ("Empacadora Arándanos del Norte S.A.C.", "firm", "medium", "service_provider", "13"),
        ("Productores Asociados de Palta de Ica", "business_association", "", "association", "11"),
        ("Viveros y Plantones Chao E.I.R.L.", "supplier", "micro", "supplier", "13"),
        ("Fertilizantes del Pacífico S.A.C.", "supplier", "small", "supplier", "20"),
        ("Certificadora Agrícola Global S.A.C.", "supplier", "small", "service_provider", "15"),
        ("Universidad Agraria de la Costa Norte", "university", "", "knowledge_institution", "13"),
        ("Proyecto Especial de Irrigación Costa Norte (demo)", "public_agency", "", "public_agency", "13"),
    ],
    "harina-aceite-pescado": [
        ("Pesquera Chimbote Norte S.A.", "firm", "large", "core_firm", "02"),
        ("Harinera del Pacífico S.A.C.", "firm", "medium", "core_firm", "20"),
        ("Armadores Artesanales de Paita", "business_association", "", "association", "20"),
        ("Servicios Navales Ferrol S.R.L.", "supplier", "small", "service_provider", "02"),
        ("Instituto de Investigación Pesquera del Norte", "research_centre", "", "knowledge_institution", "02"),
    ],
    "salud-lima": [
        ("Clínica San Martín de Porres S.A.", "firm", "large", "core_firm", "15"),
        ("Laboratorio Clínico Lima Sur S.A.C.", "firm", "small", "core_firm", "15"),
        ("Equipos Médicos del Perú S.A.C.", "supplier", "medium", "supplier", "15"),
        ("Facultad de Medicina de Lima (demo)", "university", "", "knowledge_institution", "15"),
    ],
}


def demo_ruc(name):
    """A stable RUC with a valid check digit for a demo organisation (prefix 20: legal persons)."""
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**8
    body = f"20{digits:08d}"
    return body + stdnum_ruc.calc_check_digit(body)


def _ensure_accounts():
    users = {}
    for username, first, last, role in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        if role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        else:
            user.groups.add(Group.objects.get(name=str(role)))
        user.save()
        users[username] = user
    return users


def build(stdout=None):
    """Create (or leave as they are) the demo accounts, clusters, figures, actors and memberships."""
    users = _ensure_accounts()
    regions = {r.code: r for r in Region.objects.filter(level=Region.Level.DEPARTMENT)}
    sectors = {s.code: s for s in Sector.objects.all()}
    for name, slug, main, related, region_codes, stage, status, member, lat, lon, description in CLUSTERS:
        cluster, created = Cluster.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "main_sector": sectors[main],
                "stage": stage,
                "status": status,
                "coordinator": users["coordinador"],
                "description": description,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
            },
        )
        if created:
            cluster.related_sectors.set([sectors[code] for code in related])
            cluster.regions.set([regions[code] for code in region_codes])
            if member:
                cluster.team.add(users[member])
            for metric, value in FIGURES.get(slug, {}).items():
                for year, factor in ((2022, Decimal("0.92")), (2024, Decimal("1"))):
                    HeadlineFigure.objects.create(
                        cluster=cluster,
                        metric=metric,
                        value=(Decimal(value) * factor).quantize(Decimal("0.01")),
                        year=year,
                        source=DEMO_SOURCE,
                    )
        for actor_name, kind, size, role, region_code in ACTORS.get(slug, []):
            actor, _ = Actor.objects.get_or_create(
                name=actor_name,
                defaults={
                    "kind": kind,
                    "size": size,
                    "ruc": demo_ruc(actor_name),
                    "region": regions[region_code],
                    "contact_name": "",
                    "created_by": users["coordinador"],
                },
            )
            Membership.objects.get_or_create(
                cluster=cluster, actor=actor, defaults={"role": role, "since": datetime.date(2019, 1, 1)}
            )
    for cluster in Cluster.objects.filter(slug__in=[row[1] for row in CLUSTERS]).order_by("pk"):
        build_network(cluster)
        build_evaluations(cluster, users["coordinador"])
    if stdout:
        stdout.write(
            f"Demo registry: {Cluster.objects.count()} clusters, {Actor.objects.count()} actors, "
            f"{Membership.objects.count()} memberships, {Relationship.objects.count()} ties, "
            f"{Evaluation.objects.count()} evaluations."
        )
    return users


def _pick(rng, actors, count):
    return rng.sample(actors, min(count, len(actors)))


def build_network(cluster):
    """A believable, deterministic network: suppliers supply the core firms, buyers buy from them,
    universities and research centres train and collaborate, financial institutions finance, public
    agencies and associations support, and some firms compete. Seeded by the cluster's slug."""
    from clusters.services import relationship_create

    rng = random.Random(cluster.slug)
    members = list(Actor.objects.filter(memberships__cluster=cluster).order_by("name"))
    by_kind = {}
    for actor in members:
        by_kind.setdefault(actor.kind, []).append(actor)
    firms = by_kind.get(Actor.Kind.FIRM, [])
    suppliers = by_kind.get(Actor.Kind.SUPPLIER, [])
    knowledge = by_kind.get(Actor.Kind.UNIVERSITY, []) + by_kind.get(Actor.Kind.RESEARCH_CENTRE, [])
    kind = Relationship.Kind
    ties = []
    for supplier in suppliers:
        ties += [(supplier, firm, kind.SUPPLIES) for firm in _pick(rng, firms, rng.randint(2, 3))]
    for buyer in by_kind.get(Actor.Kind.BUYER, []):
        ties += [(buyer, firm, kind.BUYS_FROM) for firm in _pick(rng, firms, rng.randint(2, 3))]
    for institution in knowledge:
        ties += [(institution, firm, kind.TRAINS) for firm in _pick(rng, firms + suppliers, 2)]
        ties += [(institution, firm, kind.COLLABORATES) for firm in _pick(rng, firms, rng.randint(1, 2))]
    if len(knowledge) > 1:
        ties.append((knowledge[0], knowledge[1], kind.COLLABORATES))
    for financier in by_kind.get(Actor.Kind.FINANCIAL_INSTITUTION, []):
        ties += [(financier, firm, kind.FINANCES) for firm in _pick(rng, firms + suppliers, rng.randint(2, 3))]
    for agency in by_kind.get(Actor.Kind.PUBLIC_AGENCY, []):
        ties += [(agency, other, kind.TRAINS) for other in _pick(rng, suppliers + firms, 1)]
        ties += [(agency, other, kind.FINANCES) for other in _pick(rng, firms, 1)]
        ties += [(agency, other, kind.COLLABORATES) for other in _pick(rng, knowledge, 1)]
    for association in by_kind.get(Actor.Kind.BUSINESS_ASSOCIATION, []):
        ties += [(association, firm, kind.COLLABORATES) for firm in _pick(rng, firms, 2)]
    for ngo in by_kind.get(Actor.Kind.NGO, []):
        ties += [(ngo, other, kind.TRAINS) for other in _pick(rng, suppliers + firms, 2)]
    for other in by_kind.get(Actor.Kind.OTHER, []):
        ties += [(other, actor, kind.COLLABORATES) for actor in _pick(rng, firms + knowledge, 2)]
    pairs = [(a, b) for i, a in enumerate(firms) for b in firms[i + 1 :]]
    ties += [(a, b, kind.COMPETES) for a, b in _pick(rng, pairs, max(1, len(pairs) // 3))]
    ties += [(a, b, kind.COLLABORATES) for a, b in _pick(rng, pairs, max(1, len(pairs) // 4))]
    for source, target, tie_kind in ties:
        if source != target:
            relationship_create(cluster=cluster, source=source, target=target, kind=tie_kind)


# What an evaluator writes when a risk is to watch or serious (illustrative).
RISK_NOTES = {
    Risk.UNREALISTIC_EXPECTATIONS: "Las metas de ventas del plan superan lo que el clúster logró en los últimos años.",
    Risk.NO_STRATEGY: "Las acciones no responden a una hoja de ruta acordada con las empresas.",
    Risk.NOT_ADAPTED: "Los instrumentos se copiaron de otra región sin adaptarlos al territorio.",
    Risk.GLOBAL_TRENDS: "Los precios internacionales del producto bajaron y afectan a las empresas núcleo.",
    Risk.GOVERNMENT_LED: "La iniciativa depende del gobierno regional; las empresas asisten pero no lideran.",
    Risk.INFRASTRUCTURE_WITHOUT_ACTORS: "El centro tecnológico tiene equipos pero pocas empresas lo usan.",
    Risk.OVER_SPECIALISATION: "Una sola empresa concentra la mayor parte de las compras a proveedores.",
    Risk.NO_MONITORING: "No hay línea de base de los indicadores ni registro de las actividades.",
    Risk.WEAK_PUBLIC_COORDINATION: "Ministerio, gobierno regional y municipio apoyan por separado.",
    Risk.LOW_PRIVATE_PARTICIPATION: "Pocas empresas aportan recursos propios a los proyectos conjuntos.",
    Risk.DISCONTINUITY: "El cambio de autoridades regionales detuvo el programa durante meses.",
}
# Clusters followed for longer show a trend: evaluations in these years.
EVALUATION_YEARS = {
    "pelos-finos-camelidos": (2023, 2024, 2025),
    "cafe-del-peru": (2024, 2025),
    "minero-centro": (2023, 2025),
}


def build_evaluations(cluster, evaluator):
    """One evaluation per cluster (two or three for some, improving over time). Seeded by the slug."""
    from clusters.services import evaluation_create

    rng = random.Random(f"evaluation:{cluster.slug}")
    start = [rng.choices((0, 1, 2), weights=(3, 5, 3))[0] for _risk in Risk]
    years = EVALUATION_YEARS.get(cluster.slug, (2025,))
    levels = ("no_risk", "watch", "serious")
    for round_number, year in enumerate(years):
        date = datetime.date(year, 6, 30)
        if Evaluation.objects.filter(cluster=cluster, date=date).exists():
            continue
        ratings = {}
        for risk, level in zip(Risk, start, strict=True):
            # Each later round brings some risks one level down: the programme learns.
            improved = max(0, level - sum(1 for _ in range(round_number) if rng.random() < 0.35))
            ratings[risk.value] = (levels[improved], RISK_NOTES[risk] if improved else "")
        serious = sum(1 for level, _note in ratings.values() if level == "serious")
        evaluation_create(
            cluster=cluster,
            evaluator=evaluator,
            date=date,
            ratings=ratings,
            summary=f"Evaluación anual {year} (ilustrativa): {serious} riesgos graves.",
        )
