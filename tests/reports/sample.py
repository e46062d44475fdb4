"""A believable, fully filled case study for the PDF builder's tests: every section, no database.

It lived in reports/casestudy.py beside the data contract; the site never uses it, so it sits with the tests.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from clusters.models import FIRM_KINDS
from reports.casestudy import (
    Activities,
    ActivityLine,
    ActorSummary,
    CaseStudyData,
    ClusterProfile,
    Count,
    Edition,
    EvaluationSummary,
    Figure,
    FigureSeries,
    Findings,
    GoalGroup,
    IndicatorSummary,
    InterventionSummary,
    InterviewLine,
    Member,
    Methodology,
    NetworkEdge,
    NetworkNode,
    NumberStats,
    OptionShare,
    Programme,
    QuestionFinding,
    Quote,
    RiskLine,
    Sources,
    summarise_network,
)


def sample_case_study(language: str = "es") -> CaseStudyData:
    """A believable, fully filled case study (the camelid-fibre cluster of Puno and Arequipa).

    Used by the tests of the PDF builder, which need every section filled without a database; names of
    people and firms are invented.
    """
    from django.utils import translation

    with translation.override(language):
        return _sample(language)


def _progress(baseline: Decimal, target: Decimal, latest: Decimal | None) -> float | None:
    if latest is None or target == baseline:
        return None
    return float((latest - baseline) / (target - baseline))


def _sample(language: str) -> CaseStudyData:
    from clusters.models import Actor, Cluster, HeadlineFigure, Membership, Relationship, Risk, RiskRating
    from instruments.models import Activity, Goal, Indicator, Intervention
    from surveys.models import Interview, Question

    def pick(spanish: str, english: str) -> str:
        return english if language == "en" else spanish

    kind = Actor.Kind
    actors = [
        (1, "Textil Altiplano S.A.C.", kind.FIRM, Actor.Size.LARGE, Membership.Role.CORE_FIRM),
        (2, "Hilandería Misti S.A.", kind.FIRM, Actor.Size.LARGE, Membership.Role.CORE_FIRM),
        (3, "Confecciones Warmi E.I.R.L.", kind.FIRM, Actor.Size.SMALL, Membership.Role.CORE_FIRM),
        (4, "Cooperativa Alpaqueros de Ñuñoa", kind.SUPPLIER, Actor.Size.MICRO, Membership.Role.SUPPLIER),
        (5, "Asociación de Criadores de Macusani", kind.BUSINESS_ASSOCIATION, "", Membership.Role.ASSOCIATION),
        (6, "Esquiladores Unidos de Caylloma", kind.SUPPLIER, Actor.Size.MICRO, Membership.Role.SUPPLIER),
        (7, "Tintes Naturales del Colca S.R.L.", kind.SUPPLIER, Actor.Size.MICRO, Membership.Role.SUPPLIER),
        (8, "Andes Knitwear Export S.A.C.", kind.BUYER, Actor.Size.MEDIUM, Membership.Role.BUYER),
        (9, "Universidad Regional del Altiplano", kind.UNIVERSITY, "", Membership.Role.KNOWLEDGE_INSTITUTION),
        (
            10,
            "Centro de Investigación en Camélidos Andinos",
            kind.RESEARCH_CENTRE,
            "",
            Membership.Role.KNOWLEDGE_INSTITUTION,
        ),
        (11, "Dirección Regional de Agricultura Puno", kind.PUBLIC_AGENCY, "", Membership.Role.PUBLIC_AGENCY),
        (12, "Oficina de Promoción de Exportaciones Arequipa", kind.PUBLIC_AGENCY, "", Membership.Role.PUBLIC_AGENCY),
        (13, "Caja Municipal Ayni", kind.FINANCIAL_INSTITUTION, "", Membership.Role.FINANCIER),
        (14, "ONG Allpa Sumaq", kind.NGO, "", Membership.Role.SUPPORT_INSTITUTION),
        (15, "Tejidos Artesanales de Lampa", kind.FIRM, Actor.Size.MICRO, Membership.Role.CORE_FIRM),
    ]
    rel = Relationship.Kind
    ties = [
        (4, 2, rel.SUPPLIES), (4, 1, rel.SUPPLIES), (6, 4, rel.SUPPLIES), (6, 5, rel.SUPPLIES),
        (5, 1, rel.SUPPLIES), (5, 2, rel.SUPPLIES), (7, 3, rel.SUPPLIES), (7, 15, rel.SUPPLIES),
        (2, 3, rel.SUPPLIES), (2, 8, rel.SUPPLIES), (1, 8, rel.SUPPLIES), (3, 8, rel.SUPPLIES),
        (15, 3, rel.SUPPLIES), (8, 15, rel.BUYS_FROM), (1, 2, rel.COMPETES), (9, 4, rel.TRAINS),
        (9, 5, rel.TRAINS), (10, 4, rel.COLLABORATES), (10, 9, rel.COLLABORATES), (10, 1, rel.COLLABORATES),
        (11, 4, rel.TRAINS), (11, 5, rel.FINANCES), (11, 10, rel.FINANCES), (12, 8, rel.TRAINS),
        (12, 3, rel.TRAINS), (13, 4, rel.FINANCES), (13, 15, rel.FINANCES), (13, 3, rel.FINANCES),
        (14, 15, rel.TRAINS), (14, 5, rel.COLLABORATES), (3, 15, rel.COLLABORATES),
    ]  # fmt: skip
    network = summarise_network(
        [NetworkNode(id, name, str(k.value), str(k.label)) for id, name, k, _size, _role in actors],
        [NetworkEdge(source, target, str(k.value), str(k.label)) for source, target, k in ties],
    )

    def counted(values, choices, missing_label="", by_count=True):
        counts = [Count(str(choice.label), values.count(choice), str(choice.value)) for choice in choices]
        counts = [count for count in counts if count.count]
        if by_count:
            counts.sort(key=lambda count: -count.count)
        if missing_label and values.count(""):
            counts.append(Count(missing_label, values.count(""), ""))
        return counts

    figure = HeadlineFigure.Metric
    cluster = ClusterProfile(
        name="Clúster de Fibra de Camélidos de Puno y Arequipa",
        slug="fibra-camelidos-puno-arequipa",
        description=(
            "Criadores de alpaca y vicuña del altiplano de Puno, sus cooperativas y acopiadores, y las "
            "hilanderías y confeccionistas de Arequipa que transforman la fibra en hilados y prendas para la "
            "exportación. Reúne a más de mil unidades productivas, en su mayoría familiares, junto con "
            "universidades, centros de investigación, cajas municipales y agencias públicas de promoción."
        ),
        regions=["Puno", "Arequipa"],
        main_sector=pick("13 · Fabricación de productos textiles", "13 · Manufacture of textiles"),
        related_sectors=[
            pick(
                "01 · Agricultura, ganadería, caza y actividades de servicios conexas",
                "01 · Crop and animal production, hunting and related service activities",
            ),
            pick("14 · Fabricación de prendas de vestir", "14 · Manufacture of wearing apparel"),
        ],
        stage=str(Cluster.Stage.GROWING.label),
        status=str(Cluster.Status.IN_INTERVENTION.label),
        coordinator="Rosa Condori Huamán",
        team=["Luis Mamani Quispe", "Carmen Núñez Ccama", "Jorge Peña Apaza"],
        figures=[
            Figure(str(figure.FIRMS.label), Decimal(1240), "", 2023, "Dirección Regional de la Producción Puno"),
            Figure(str(figure.EMPLOYMENT.label), Decimal(18500), "", 2023, "INEI, Encuesta Nacional de Hogares"),
            Figure(
                str(figure.ANNUAL_SALES.label),
                Decimal("612400000.00"),
                "",
                2023,
                "SUNAT, declaraciones juradas anuales (estimación)",
            ),
            Figure(str(figure.EXPORTS.label), Decimal("182350000.00"), "", 2024, "SUNAT, partidas 5102 y 6110"),
            Figure(str(figure.REGIONAL_GDP_SHARE.label), Decimal("4.80"), "", 2022, "INEI, PBI por departamentos"),
        ],
        figure_history=[
            FigureSeries(
                str(figure.FIRMS.label), [(2019, Decimal(1105)), (2021, Decimal(1180)), (2023, Decimal(1240))]
            ),
            FigureSeries(
                str(figure.EXPORTS.label),
                [(2020, Decimal("121800000.00")), (2022, Decimal("163900000.00")), (2024, Decimal("182350000.00"))],
            ),
        ],
    )
    sizes = [size for _id, _name, kind_, size, _role in actors if kind_ in FIRM_KINDS]
    actor_summary = ActorSummary(
        total=len(actors),
        by_kind=counted([k for _id, _name, k, _size, _role in actors], Actor.Kind),
        by_size=counted(sizes, Actor.Size, pick("Sin tamaño registrado", "Size not recorded"), by_count=False),
        by_role=counted([role for *_rest, role in actors], Membership.Role),
        firms=len(sizes),
        not_firms=len(actors) - len(sizes),
    )
    districts = ["Puno", "Arequipa", "Ñuñoa", "Macusani", "Caylloma", "Juliaca", "Lampa"]
    size_labels = dict(Actor.Size.choices)
    members = [
        Member(
            name=name,
            kind=str(kind_.label),
            size=str(size_labels[size])
            if size
            else (
                pick("No aplica", "Not applicable")
                if kind_ not in FIRM_KINDS
                else pick("Sin registrar", "Not recorded")
            ),
            role=str(role.label),
            district=districts[id_ % len(districts)],
        )
        for id_, name, kind_, size, role in sorted(actors, key=lambda actor: actor[1])
    ]

    def options(*pairs, total=18):
        return [OptionShare(pick(es, en), count, count / total) for es, en, count in pairs]

    market, ties_section, programme, firm = (
        pick("Mercado", "Market"),
        pick("Relaciones", "Relationships"),
        pick("Programa", "Programme"),
        pick("Empresa", "Business"),
    )
    questions = [
        QuestionFinding(
            "destino",
            pick(
                "¿Cuál es el principal destino de su fibra o de sus productos?",
                "Where do most of your fibre or products go?",
            ),
            str(Question.Type.SINGLE_CHOICE.value),
            market,
            18,
            options=options(
                ("Industria textil de Arequipa", "Arequipa textile industry", 8),
                ("Acopiador intermediario", "Intermediary collector", 6),
                ("Mercado local o feria", "Local market or fair", 3),
                ("Exportación directa", "Direct export", 1),
            ),
        ),
        QuestionFinding(
            "barreras",
            pick("¿Cuáles son las principales barreras para crecer?", "What are the main barriers to growth?"),
            str(Question.Type.MULTIPLE_CHOICE.value),
            market,
            18,
            options=options(
                ("Acceso a financiamiento", "Access to finance", 12),
                ("Calidad y clasificación de la fibra", "Fibre quality and grading", 10),
                ("Clima: heladas y sequías", "Weather: frost and drought", 9),
                ("Baja escala de producción", "Small scale of production", 7),
                ("Falta de mano de obra calificada", "Lack of skilled labour", 5),
            ),
        ),
        QuestionFinding(
            "confianza",
            pick(
                "¿Cómo califica la confianza entre los actores del clúster? (1 = muy baja, 5 = muy alta)",
                "How do you rate trust among the cluster's actors? (1 = very low, 5 = very high)",
            ),
            str(Question.Type.SCALE.value),
            ties_section,
            17,
            options=[
                OptionShare(str(value), count, count / 17) for value, count in ((1, 2), (2, 5), (3, 6), (4, 3), (5, 1))
            ],
            stats=NumberStats(Decimal("2.76"), Decimal(3), Decimal(1), Decimal(5)),
        ),
        QuestionFinding(
            "capacitacion",
            pick(
                "¿Participó en alguna capacitación del programa en el último año?",
                "Did you take part in any of the programme's training in the last year?",
            ),
            str(Question.Type.YES_NO.value),
            programme,
            18,
            options=options(("Sí", "Yes", 11), ("No", "No", 7)),
        ),
        QuestionFinding(
            "trabajadores",
            pick("¿Cuántos trabajadores permanentes tiene?", "How many permanent workers do you employ?"),
            str(Question.Type.INTEGER.value),
            firm,
            16,
            stats=NumberStats(Decimal("23.4"), Decimal(6), Decimal(1), Decimal(180)),
        ),
        QuestionFinding(
            "precio_libra",
            pick(
                "Precio promedio de venta de la libra de fibra en la última campaña (S/)",
                "Average selling price of a pound of fibre in the last season (PEN)",
            ),
            str(Question.Type.DECIMAL.value),
            market,
            9,
            stats=NumberStats(Decimal("12.85"), Decimal("12.50"), Decimal("9.80"), Decimal("17.00")),
        ),
        QuestionFinding(
            "gobierno_regional",
            pick(
                "¿Qué debería hacer el gobierno regional para fortalecer el clúster?",
                "What should the regional government do to strengthen the cluster?",
            ),
            str(Question.Type.LONG_TEXT.value),
            programme,
            14,
            quotes=[
                Quote(
                    "Que financie centros de acopio con clasificación por finura; hoy el acopiador paga igual la "
                    "fibra buena y la mala.",
                    5,
                ),
                Quote(
                    "Necesitamos asistencia técnica en sanidad animal durante las heladas, sobre todo en Ñuñoa y "
                    "Macusani.",
                    3,
                ),
                Quote(
                    "Que no cambien el programa con cada gestión: la campaña de esquila no espera a los funcionarios.",
                    2,
                ),
            ],
        ),
        QuestionFinding(
            "colaborar",
            pick(
                "¿Con qué institución le gustaría colaborar más, y por qué?",
                "Which institution would you like to work with more, and why?",
            ),
            str(Question.Type.TEXT.value),
            ties_section,
            12,
            quotes=[
                Quote("Con la universidad, para mejorar la genética de nuestras alpacas huacaya y suri.", 4),
                Quote(
                    "Con las hilanderías de Arequipa: queremos contratos de compra por adelantado, no sólo el "
                    "precio del día.",
                    2,
                ),
            ],
        ),
    ]
    # In questionnaire order: section by section.
    sections = [market, ties_section, programme, firm]
    questions.sort(key=lambda question: sections.index(question.section))
    findings = Findings(
        questionnaire=pick("Diagnóstico de actores del clúster", "Cluster actor diagnosis"),
        version=2,
        sample_size=18,
        first_date=datetime.date(2025, 3, 10),
        last_date=datetime.date(2025, 6, 28),
        questions=questions,
    )

    def indicator(name, unit, direction, baseline, target, series, target_date, by_sex=()):
        latest = series[-1][1] if series else None
        return IndicatorSummary(
            baseline_date=date(2023, 12, 31),
            latest_date=series[-1][0] if series else None,
            by_sex=[(pick(*labels), Decimal(value)) for labels, value in by_sex],
            name=name,
            unit=unit,
            direction=str(direction.value),
            baseline=Decimal(baseline),
            target=Decimal(target),
            latest=latest,
            progress=_progress(Decimal(baseline), Decimal(target), latest),
            series=series,
            target_date=target_date,
        )

    date = datetime.date
    increase, decrease = Indicator.Direction.INCREASE, Indicator.Direction.DECREASE
    level, state = Intervention.GovernmentLevel, Intervention.Status
    grading = InterventionSummary(
        title=pick("Acopio organizado y clasificación de fibra por finura", "Organised collection and fibre grading"),
        instrument=pick("Estándares de calidad", "Quality standards"),
        level=str(level.REGIONAL.label),
        status=str(state.RUNNING.label),
        start=date(2024, 4, 1),
        end=date(2026, 3, 31),
        budget_planned=Decimal("850000.00"),
        budget_executed=Decimal("512340.50"),
        beneficiaries=9,
        objective=pick(
            "Que los criadores vendan fibra clasificada y limpia a mejor precio mediante centros de acopio.",
            "Breeders sell graded, clean fibre at better prices through collection centres.",
        ),
        status_code=str(state.RUNNING.value),
        implementing=["Dirección Regional de Agricultura Puno", "Centro de Investigación en Camélidos Andinos"],
        funding=["Gobierno Regional de Puno"],
        activities=Activities(
            count=6,
            women=118,
            men=97,
            firms_by_size=[(str(Actor.Size.MICRO.label), 41), (str(Actor.Size.SMALL.label), 6)],
            latest=[
                ActivityLine(
                    date(2025, 5, 20),
                    str(Activity.Kind.TRAINING.label),
                    pick("Taller de clasificación por finura en Ñuñoa", "Fineness grading workshop in Ñuñoa"),
                    31,
                    22,
                ),
                ActivityLine(
                    date(2025, 3, 14),
                    str(Activity.Kind.TRAINING.label),
                    pick("Taller de esquila y sanidad en Macusani", "Shearing and animal health workshop"),
                    27,
                    25,
                ),
            ],
        ),
        indicators=[
            indicator(
                pick(
                    "Fibra clasificada vendida en acopio organizado", "Graded fibre sold through organised collection"
                ),
                pick("toneladas", "tonnes"),
                increase,
                "42",
                "120",
                [(date(2024, 12, 31), Decimal("61.0")), (date(2025, 6, 30), Decimal("87.0"))],
                date(2026, 3, 31),
                by_sex=((("Mujeres", "Women"), "39.5"), (("Hombres", "Men"), "47.5")),
            ),
            indicator(
                pick("Fibra con contaminación o mezcla de colores", "Fibre contaminated or with mixed colours"),
                "%",
                decrease,
                "18",
                "8",
                [(date(2024, 12, 31), Decimal("14.2")), (date(2025, 6, 30), Decimal("11.5"))],
                date(2026, 3, 31),
            ),
        ],
    )
    shearing = InterventionSummary(
        title=pick("Red de esquila tecnificada y mejora genética", "Modern shearing and breeding network"),
        instrument=pick("Políticas de apoyo a pequeñas empresas", "Support policies for small firms"),
        level=str(level.LOCAL.label),
        status=str(state.PLANNED.label),
        start=date(2025, 8, 1),
        end=None,
        budget_planned=Decimal("300000.00"),
        budget_executed=Decimal("0.00"),
        beneficiaries=0,
        status_code=str(state.PLANNED.value),
        implementing=["Asociación de Criadores de Macusani"],
        indicators=[
            indicator(
                pick("Criadores que esquilan con tijera mecánica", "Breeders who shear with mechanical shears"),
                pick("criadores", "breeders"),
                increase,
                "0",
                "400",
                [],
                date(2027, 7, 31),
            )
        ],
    )
    brand = InterventionSummary(
        title=pick(
            "Marca colectiva «Alpaca del Altiplano» y ferias internacionales", "Collective brand and trade fairs"
        ),
        instrument=pick("Marcas y marketing de clúster y regionales", "Cluster and regional brands and marketing"),
        level=str(level.NATIONAL.label),
        status=str(state.FINISHED.label),
        start=date(2023, 9, 1),
        end=date(2025, 2, 28),
        budget_planned=Decimal("420000.00"),
        budget_executed=Decimal("436800.00"),
        beneficiaries=6,
        status_code=str(state.FINISHED.value),
        implementing=["Oficina de Promoción de Exportaciones Arequipa"],
        funding=["PROMPERÚ", "Gobierno Regional de Arequipa"],
        overspend_justification=pick(
            "El alquiler del stand en la feria de Florencia subió después de aprobado el presupuesto.",
            "The stand at the Florence fair cost more than budgeted.",
        ),
        indicators=[
            indicator(
                pick(
                    "Exportaciones de prendas de las empresas beneficiarias", "Garment exports of the beneficiary firms"
                ),
                pick("miles de USD", "thousand USD"),
                increase,
                "1250",
                "1800",
                [(date(2024, 6, 30), Decimal("1610")), (date(2025, 2, 28), Decimal("2010"))],
                date(2025, 2, 28),
            )
        ],
    )
    cancelled = InterventionSummary(
        title=pick("Centro de innovación textil de Juliaca", "Juliaca textile innovation centre"),
        instrument=pick("Proyectos conjuntos de I+D", "Joint R&D projects"),
        level=str(level.REGIONAL.label),
        status=str(state.CANCELLED.label),
        start=date(2024, 1, 15),
        end=date(2024, 9, 30),
        budget_planned=Decimal("250000.00"),
        budget_executed=Decimal("18000.00"),
        beneficiaries=0,
        status_code=str(state.CANCELLED.value),
    )
    interventions = [
        GoalGroup(
            heading=str(Goal.Heading.BUSINESS_NETWORKS.label),
            goal=pick(
                "Mejorar la capacidad, escala y habilidades de los proveedores",
                "Improve suppliers' capacity, scale and skills",
            ),
            interventions=[grading, shearing],
        ),
        GoalGroup(
            heading=str(Goal.Heading.BUSINESS_NETWORKS.label),
            goal=pick("Incrementar los vínculos externos", "Increase external links"),
            interventions=[brand],
        ),
        GoalGroup(
            heading=str(Goal.Heading.RESEARCH_COLLABORATION.label),
            goal=pick(
                "Vincular la investigación con las necesidades de las empresas",
                "Link research with firms' needs",
            ),
            interventions=[cancelled],
        ),
    ]

    rating = RiskRating.Level
    notes = {
        Risk.UNREALISTIC_EXPECTATIONS: (
            rating.WATCH,
            "Los gremios esperan duplicar el precio de la fibra en dos años.",
        ),
        Risk.NO_STRATEGY: (rating.NO_RISK, "La mesa técnica aprobó un plan de competitividad 2024-2027."),
        Risk.NOT_ADAPTED: (rating.WATCH, "El crédito exige garantías que los criadores altoandinos no tienen."),
        Risk.GLOBAL_TRENDS: (rating.SERIOUS, "El precio de la fibra depende de la demanda de China e Italia."),
        Risk.GOVERNMENT_LED: (rating.WATCH, "La Dirección Regional convoca la mesa; las empresas aún no la lideran."),
        Risk.INFRASTRUCTURE_WITHOUT_ACTORS: (
            rating.NO_RISK,
            "Los centros de acopio tienen cooperativas que los operan.",
        ),
        Risk.OVER_SPECIALISATION: (rating.SERIOUS, "Dos hilanderías compran casi toda la fibra clasificada."),
        Risk.NO_MONITORING: (rating.NO_RISK, "Entrevistas e indicadores se registran en Cluster Casebook desde 2025."),
        Risk.WEAK_PUBLIC_COORDINATION: (rating.WATCH, "Puno y Arequipa financian ferias por separado."),
        Risk.LOW_PRIVATE_PARTICIPATION: (rating.NO_RISK, "Doce de los quince actores asisten a la mesa técnica."),
        Risk.DISCONTINUITY: (rating.SERIOUS, "Elecciones regionales en 2026 y ningún presupuesto multianual."),
    }
    evaluation = EvaluationSummary(
        date=date(2025, 7, 15),
        evaluator="María Quispe Mamani",
        summary=(
            "El clúster crece y ya coordina acopio y clasificación, pero depende de dos compradores y del precio "
            "internacional de la fibra. La continuidad del programa tras las elecciones de 2026 es el riesgo "
            "principal."
        ),
        ratings=[
            RiskLine(str(risk.label), str(level_.value), str(level_.label), note)
            for risk, (level_, note) in notes.items()
        ],
    )
    status = Interview.Status
    mode = Interview.Mode
    methodology = Methodology(
        questionnaire=findings.questionnaire,
        version=findings.version,
        interviews_by_status=[
            Count(str(status.APPROVED.label), 18, str(status.APPROVED.value)),
            Count(str(status.SUBMITTED.label), 3, str(status.SUBMITTED.value)),
            Count(str(status.RETURNED.label), 1, str(status.RETURNED.value)),
            Count(str(status.DRAFT.label), 2, str(status.DRAFT.value)),
        ],
        interviews_by_mode=[
            Count(str(mode.IN_PERSON.label), 14, str(mode.IN_PERSON.value)),
            Count(str(mode.PHONE.label), 3, str(mode.PHONE.value)),
            Count(str(mode.VIDEO.label), 1, str(mode.VIDEO.value)),
        ],
        notes=[
            pick(
                "Las entrevistas se hicieron en Puno, Juliaca, Macusani, Ñuñoa y Arequipa, con consentimiento "
                "informado de cada persona entrevistada.",
                "Interviews took place in Puno, Juliaca, Macusani, Ñuñoa and Arequipa, with the informed consent of "
                "every respondent.",
            ),
            pick(
                "Los lazos de la red provienen de las entrevistas y de registros de la coordinación.",
                "The network's ties come from the interviews and from the coordination's records.",
            ),
        ],
        members=len(actors),
        interviewed_actors=12,
    )
    interviewed = [actor for actor in actors if actor[0] <= 12]
    modes = [mode.IN_PERSON] * 14 + [mode.PHONE] * 3 + [mode.VIDEO]
    sources = Sources(
        interviews=[
            InterviewLine(
                date(2025, 3, 10) + datetime.timedelta(days=6 * index), interviewed[index % 12][1], str(m.label)
            )
            for index, m in enumerate(modes)
        ],
        interview_total=18,
        documents=sorted(
            {figure.source for figure in cluster.figures}
            | {"Registro de acopio de la Dirección Regional de Agricultura Puno", "SUNAT, declaraciones de exportación"}
        ),
    )
    edition = Edition(
        title=pick("Informe anual 2025", "Annual report 2025"),
        status="final",
        status_label=pick("Final", "Final"),
        author="Rosa Condori Huamán",
        updated=date(2025, 7, 20),
        strengths=pick(
            "- Cooperativas que ya acopian y clasifican fibra.\n- Dos hilanderías con mercados de exportación.",
            "- Cooperatives that already collect and grade fibre.\n- Two spinning mills with export markets.",
        ),
        weaknesses=pick(
            "- Dependencia de dos compradores.\n- Pocos criadores con acceso a crédito.",
            "- Dependence on two buyers.\n- Few breeders with access to credit.",
        ),
        lessons=pick(
            "La clasificación por finura sube el precio sólo si el comprador la reconoce en el contrato.",
            "Grading by fineness raises the price only when the buyer recognises it in the contract.",
        ),
        recommendations=pick(
            "- Firmar contratos de compra por adelantado con las hilanderías.\n"
            "- Asegurar presupuesto multianual antes de las elecciones de 2026.",
            "- Sign forward purchase contracts with the mills.\n"
            "- Secure a multi-year budget before the 2026 elections.",
        ),
        sampling=pick(
            "Se entrevistó a todos los miembros con actividad en 2025; las instituciones públicas respondieron "
            "por medio de su representante en la mesa técnica.",
            "Every member active in 2025 was interviewed; public institutions answered through their "
            "representative at the round table.",
        ),
        limitations=pick(
            "Las cifras de ventas son declaradas por las empresas y no fueron verificadas.",
            "Sales figures are declared by the firms and were not verified.",
        ),
    )
    return CaseStudyData(
        language=language,
        generated_at=datetime.datetime(2025, 7, 30, 10, 0, tzinfo=datetime.UTC),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        include_submitted=False,
        author="Ana Ñahui Torres",
        cluster=cluster,
        actors=actor_summary,
        network=network,
        findings=findings,
        interventions=interventions,
        evaluation=evaluation,
        methodology=methodology,
        programme=Programme(
            name=pick("Programa de Desarrollo de Clústeres", "Cluster Development Programme"),
            institution=pick("Ministerio de la Producción", "Ministry of Production"),
        ),
        edition=edition,
        members=members,
        sources=sources,
    )
