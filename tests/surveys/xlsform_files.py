"""XLSForm files for tests, written with openpyxl: a helper and a form as KoBoToolbox users write them."""

import io

import openpyxl
import pytest

from surveys.xlsform import XLSFormError, read_xlsform


def xlsx(**sheets: list[list]) -> bytes:
    """An .xlsx with one sheet per keyword, rows as given (the first is the header)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_of(data: bytes) -> list[tuple[str, int | None, str]]:
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(data)
    return [(problem.sheet, problem.row, problem.message) for problem in caught.value.problems]


SURVEY_HEADER = [
    "type", "name", "label::Español (es)", "label::English (en)", "hint::Español (es)", "hint::English (en)",
    "required", "relevant", "constraint", "constraint_message::Español (es)", "appearance",
    "instance::casebook:type", "instance::casebook:relationship",
]  # fmt: skip
KOBO_SHEETS = {
    "survey": [
        SURVEY_HEADER,
        ["start", "start"],
        ["end", "end"],
        [
            "begin_group",
            "perfil",
            "Perfil de la empresa",
            "Firm profile",
            None,
            None,
            None,
            None,
            None,
            None,
            "field-list",
        ],
        [
            "text",
            "razon_social",
            "Razón social",
            "Company name",
            "Como figura en SUNAT",
            "As registered with SUNAT",
            "yes",
        ],
        [
            "integer",
            "anio_fundacion",
            "Año de fundación",
            "Year founded",
            None,
            None,
            None,
            None,
            ". >= 1900 and . <= 2026",
            "Año inválido",
        ],
        ["decimal", "ventas", "Ventas anuales (S/)", "Annual sales (PEN)", None, None, None, None, ".>=0"],
        ["select one tamano", "tamano", "Tamaño (Ley 30056)", "Size", None, None, True],
        ["end_group"],
        [],
        ["begin group", "comercio", "Comercio exterior", "Foreign trade"],
        [
            "select_one sino",
            "exporta",
            "¿Exporta?",
            "Does it export?",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "yes_no",
        ],
        [
            "select_multiple mercados",
            "mercados",
            "Mercados de destino",
            "Destination markets",
            None,
            None,
            None,
            "${exporta} = 'yes'",
        ],
        [
            "integer",
            "participacion_usa",
            "% de ventas a EE.UU.",
            "% of sales to the USA",
            None,
            None,
            None,
            "selected(${mercados}, 'usa')",
            ". >= 0 and . <= 100",
        ],
        [
            "integer",
            "satisfaccion",
            "Satisfacción con el clúster",
            "Satisfaction with the cluster",
            "1 = nada, 5 = mucho",
            "1 = not at all, 5 = very",
            None,
            None,
            ". >= 1 and . <= 5",
            None,
            "likert",
            "scale",
        ],
        ["end group"],
        [
            "select_multiple_from_file actors.csv",
            "proveedores",
            "Principales proveedores",
            "Main suppliers",
            None,
            None,
            None,
            "${exporta} = 'yes' or ${ventas} > 1000000",
            None,
            None,
            None,
            "actor_relationship",
            "supplies",
        ],
        ["text", "comentarios", "Comentarios", None, None, None, "no", None, None, None, "multiline"],
        ["date", "fecha_visita", "Fecha de la visita", "Date of visit", None, None, 1],
    ],
    "choices": [
        ["list_name", "name", "label::Español (es)", "label::English (en)"],
        ["tamano", "micro", "Micro", "Micro"],
        ["tamano", "pequena", "Pequeña", "Small"],
        ["tamano", "mediana", "Mediana", "Medium"],
        ["tamano", "grande", "Grande", "Large"],
        ["sino", "yes", "Sí", "Yes"],
        ["sino", "no", "No", "No"],
        ["mercados", "usa", "Estados Unidos", "United States"],
        ["mercados", "ue", "Unión Europea", "European Union"],
        ["mercados", "china", "China", None],
        ["sin_uso", "x", "Lista que nadie usa", None],
    ],
    "settings": [
        ["form_title", "form_id", "version", "default_language", "style"],
        ["Entrevista a actores del clúster", "entrevista_cluster", 2024061801, "Español (es)", "pages"],
    ],
}  # fmt: skip
KOBO_FORM = xlsx(**KOBO_SHEETS)
