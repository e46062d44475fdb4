"""The OECD catalogue of the article's Cuadro 1: three headings, eight goals and their instruments.

Spanish is the article's wording (accents restored from the OCR); English is DESIGN.md's. Codes are
stable: interventions point at them, so a code is never renamed or reused. ``load_catalogue`` is run by
the data migration and again after every migrate or test flush; it creates or updates by code, so running
it twice changes nothing.
"""

# (goal code, heading, Spanish name, English name, [(instrument code, Spanish name, English name), ...])
CATALOGUE = [
    (
        "identify-clusters",
        "engage_actors",
        "Identificar clústeres",
        "Identify clusters",
        [
            (
                "cluster-maps",
                "Desarrollar mapas de clústeres —cualitativos y cuantitativos—",
                "Qualitative and quantitative cluster maps",
            ),
            (
                "cluster-brokers",
                "Buscar facilitadores o intermediadores para identificar firmas que podrían trabajar juntas",
                "Facilitators or brokers who find firms that could work together",
            ),
            (
                "cluster-meetings-training",
                "Llevar a cabo reuniones, conferencias, capacitaciones con respecto a clústeres",
                "Meetings, conferences and training about clusters",
            ),
        ],
    ),
    (
        "support-network-creation",
        "engage_actors",
        "Apoyar la creación de redes",
        "Support network creation",
        [
            (
                "network-financial-incentives",
                "Incentivos financieros para el desarrollo de redes organizacionales",
                "Financial incentives for organisational networks",
            ),
            (
                "relationship-map",
                "Mapa de relaciones entre empresas de clústeres",
                "Map of relationships between cluster firms",
            ),
        ],
    ),
    (
        "supplier-capacity",
        "business_networks",
        "Mejorar capacidad, escala y habilidades de los proveedores",
        "Improve suppliers' capacity, scale and skills",
        [
            ("small-firm-support", "Políticas de apoyo a pequeñas empresas", "Support policies for small firms"),
            ("coordinated-purchasing", "Compras coordinadas", "Coordinated purchasing"),
            ("quality-standards", "Establecimientos de estándares de calidad", "Quality standards"),
        ],
    ),
    (
        "external-links",
        "business_networks",
        "Aumentar lazos externos",
        "Increase external links",
        [
            ("marketing-policy", "Desarrollar una política general de marketing", "A general marketing policy"),
            (
                "cluster-brands",
                "Desarrollo de marcas y marketing para clústeres y regiones",
                "Cluster and regional brands and marketing",
            ),
            (
                "investor-assistance",
                "Asistencia a potenciales inversionistas del clúster",
                "Assistance to potential investors",
            ),
            ("export-networks", "Redes de exportación", "Export networks"),
            (
                "distribution-chains",
                "Apoyo en el desarrollo de cadena de distribución",
                "Support for distribution chains",
            ),
        ],
    ),
    (
        "strategic-workforce",
        "business_networks",
        "Desarrollo de fuerza de trabajo para industrias estratégicas",
        "Workforce for strategic industries",
        [
            (
                "labour-market-information",
                "Recopilar y difundir información del mercado del trabajo",
                "Collect and spread labour-market information",
            ),
            (
                "university-training",
                "Capacitación especializada en universidades",
                "Specialised training in universities",
            ),
            (
                "firm-education-networks",
                "Apoyar redes entre grupos de firmas e instituciones educativas",
                "Networks between firms and education institutions",
            ),
            (
                "attract-students",
                "Oportunidades educativas para atraer estudiantes a la región",
                "Educational opportunities that attract students to the region",
            ),
        ],
    ),
    (
        "research-firm-links",
        "research_collaboration",
        "Aumentar los lazos entre investigación y las necesidades de las firmas",
        "Link research with firms' needs",
        [
            (
                "joint-research-projects",
                "Apoyar proyectos conjuntos entre firmas, universidades y centros de investigación",
                "Joint projects of firms, universities and research centres",
            ),
            ("bring-actors-together", "Reunir actores para facilitar la interacción", "Bring actors together"),
            ("university-programmes", "Desarrollar programas universitarios", "University programmes"),
            ("technology-observatories", "Observatorios técnicos", "Technology observatories"),
        ],
    ),
    (
        "commercialise-research",
        "research_collaboration",
        "Comercialización de la investigación",
        "Commercialise research",
        [
            (
                "intellectual-property",
                "Asegurar apropiados derechos de propiedad intelectual y cumplimiento de normas",
                "Intellectual property and standards compliance",
            ),
            (
                "technology-transfer",
                "Apoyar servicios de transferencia tecnológica",
                "Technology transfer services",
            ),
        ],
    ),
    (
        "spin-off-finance",
        "research_collaboration",
        "Acceso al financiamiento por derivados",
        "Access to finance for spin-offs",
        [
            (
                "non-conventional-finance-advice",
                "Servicios de asesoría para operaciones financieras no convencionales",
                "Advisory services for non-conventional financial operations",
            ),
            (
                "venture-capital-guarantees",
                "Garantía pública para programas y desarrollo de capital de riesgo",
                "Public guarantees for venture-capital programmes",
            ),
            (
                "venture-capital-framework",
                "Marco de condiciones que apoyen el desarrollo de capital de riesgo privado",
                "Framework conditions for private venture capital",
            ),
        ],
    ),
]


def load_catalogue(goal_model, instrument_type_model):
    """Create or update the eight goals and their instruments by code (historical models welcome)."""
    for goal_order, (goal_code, heading, goal_es, goal_en, instruments) in enumerate(CATALOGUE, start=1):
        goal, _ = goal_model.objects.update_or_create(
            code=goal_code,
            defaults={"heading": heading, "order": goal_order, "name_es": goal_es, "name_en": goal_en},
        )
        for order, (code, name_es, name_en) in enumerate(instruments, start=1):
            instrument_type_model.objects.update_or_create(
                code=code,
                defaults={"goal": goal, "order": order, "name_es": name_es, "name_en": name_en, "is_local": False},
            )
