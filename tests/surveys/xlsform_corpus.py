"""A corpus of XLSForms written for this project: every feature of XLSForm's core that the site models, in
the spellings pyxform accepts, as Python data (sheets of rows, the first row the header) turned into .xlsx
bytes with openpyxl and, for some, into genuine BIFF .xls bytes with xlwt.

``FORMS`` are forms the site must accept; ``REFUSED`` are forms it must refuse, each with the sheet and
row of every problem and a word of the reason in English and in Spanish. tests/surveys/test_xlsform_corpus.py
checks every accepted form against pyxform's own reading and through a round trip.

Texts in Runasimi (qu) and Aymar aru (ay) are only numbers, codes and proper names: nobody here writes
those languages, and a test corpus must not put invented sentences in them.
"""

import io
from dataclasses import dataclass, field

from tests.surveys.xlsform_files import KOBO_SHEETS, xlsx

ES, EN, QU, AY, SW = "Español (es)", "English (en)", "Runasimi (qu)", "Aymar aru (ay)", "Kiswahili (sw)"


def xls(**sheets: list[list]) -> bytes:
    """A genuine Excel 97-2003 (.xls, BIFF8) workbook with one sheet per keyword, as xlsx() lays it out."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        worksheet = workbook.add_sheet(name)
        for row_number, row in enumerate(rows):
            for column, value in enumerate(row):
                if value is not None:
                    worksheet.write(row_number, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class CorpusForm:
    name: str
    # The features of issue 14 it exercises (tests/surveys/test_xlsform_corpus.py checks each claim).
    features: tuple[str, ...]
    sheets: dict = field(hash=False)
    # Also written as .xls (the same sheets, read back to the same questionnaire).
    as_xls: bool = False
    # Files the form's questions read (select_one_from_file), {name: CSV text}; the import lists them.
    attachments: dict = field(default_factory=dict, hash=False)

    def xlsx(self) -> bytes:
        return xlsx(**self.sheets)

    def xls(self) -> bytes:
        return xls(**self.sheets)


@dataclass(frozen=True)
class RefusedForm:
    name: str
    sheets: dict = field(hash=False)
    # (sheet, row, a fragment of the English message, a fragment of the Spanish one) for every problem.
    problems: tuple = ()
    # Whether pyxform converts it: the site's own refusals are of forms ODK would take.
    pyxform_accepts: bool = True

    def xlsx(self) -> bytes:
        return xlsx(**self.sheets)


def _form(name, features, survey, *, choices=None, settings=None, as_xls=False, attachments=None, **other):
    sheets = {"survey": survey}
    if choices:
        sheets["choices"] = choices
    if settings:
        sheets["settings"] = settings
    sheets.update(other)
    return CorpusForm(name, tuple(features.split()), sheets, as_xls, attachments or {})


CHOICES = ["list_name", "name", "label"]
SIZE_CHOICES = [
    ["tamano", "micro", "Micro"],
    ["tamano", "pequena", "Pequeña"],
    ["tamano", "mediana", "Mediana"],
    ["tamano", "grande", "Grande"],
]
YES_NO = [["sino", "yes", "Sí"], ["sino", "no", "No"]]
PRODUCTS = [
    ["productos", "cafe", "Café"],
    ["productos", "cacao", "Cacao"],
    ["productos", "quinua", "Quinua"],
    ["productos", "fibra_alpaca", "Fibra de alpaca"],
]

# fmt: off
FORMS = [
    _form(
        "kobo_bilingual",
        "languages_two_colons select_one_spaces begin_group_underscore begin_group_spaces field_list metadata_start"
        " metadata_end casebook_scale casebook_yes_no casebook_actors multiline numeric_cells bounds",
        KOBO_SHEETS["survey"], choices=KOBO_SHEETS["choices"], settings=KOBO_SHEETS["settings"], as_xls=True,
    ),
    _form(
        "basic_types_plain_label",
        "plain_label hint select_one_underscore select_multiple_underscore text integer decimal date note",
        [
            ["type", "name", "label", "hint"],
            ["note", "bienvenida", "Gracias por recibirnos."],
            ["text", "nombre", "Nombre de la empresa", "Como figura en SUNAT"],
            ["integer", "trabajadores", "¿Cuántas personas trabajan en la empresa?"],
            ["decimal", "ventas", "Ventas del último año (S/)"],
            ["date", "inicio", "¿Cuándo empezó a operar?"],
            ["select_one tamano", "tamano", "Tamaño de la empresa"],
            ["select_multiple productos", "productos", "¿Qué productos vende?"],
        ],
        choices=[CHOICES, *SIZE_CHOICES, *PRODUCTS],
        as_xls=True,
    ),
    _form(
        "spellings_with_spaces",
        "select_one_spaces select_all_that_apply begin_group_spaces begin_repeat_spaces",
        [
            ["type", "name", "label"],
            ["begin group", "empresa", "Empresa"],
            ["select one tamano", "tamano", "Tamaño"],
            ["select all that apply productos", "productos", "Productos"],
            ["end group", None, None],
            ["begin repeat", "socios", "Socios"],
            ["text", "socio", "Nombre del socio"],
            ["end repeat", None, None],
        ],
        choices=[CHOICES, *SIZE_CHOICES, *PRODUCTS],
        as_xls=True,
    ),
    _form(
        "legacy_aliases",
        "string int select_one_from select_all_that_apply_from datetime_camel location_aliases select1",
        [
            ["type", "name", "label"],
            ["string", "nombre", "Nombre"],
            ["int", "edad", "Edad"],
            ["select one from tamano", "tamano", "Tamaño"],
            ["select all that apply from productos", "productos", "Productos"],
            ["select1 sino", "formal", "¿Tiene RUC?"],
            ["dateTime", "llegada", "Hora de llegada"],
            ["location", "ubicacion", "Ubicación"],
            ["gps", "ubicacion_taller", "Ubicación del taller"],
        ],
        choices=[CHOICES, *SIZE_CHOICES, *PRODUCTS, *YES_NO],
    ),
    _form(
        "labels_one_colon",
        "languages_one_colon hint constraint_message",
        [
            ["type", "name", "label:Español (es)", "label:English (en)", "hint:Español (es)", "hint:English (en)",
             "constraint", "constraint_message:Español (es)", "constraint_message:English (en)"],
            ["text", "nombre", "Nombre", "Name", "Nombre y apellido", "Full name"],
            ["integer", "hijos", "Número de hijos", "Number of children", None, None, ". < 30",
             "Revise el número", "Check the number"],
            ["select_one sino", "asociado", "¿Es parte de una asociación?", "Is it part of an association?"],
        ],
        choices=[["list_name", "name", "label:Español (es)", "label:English (en)"],
                 ["sino", "yes", "Sí", "Yes"], ["sino", "no", "No", "No"]],
        settings=[["default_language"], [ES]],
    ),
    _form(
        "four_languages_quechua_aymara",
        "languages_two_colons quechua aymara default_language choice_labels_languages",
        [
            ["type", "name", f"label::{ES}", f"label::{EN}", f"label::{QU}", f"label::{AY}"],
            ["text", "productor", "Nombre del productor", "Producer's name", "1", "1"],
            ["integer", "parcelas", "Número de parcelas", "Number of plots", "2", "2"],
            ["select_one lugar", "lugar", "Lugar", "Place", "3", "3"],
        ],
        choices=[
            ["list_name", "name", f"label::{ES}", f"label::{EN}", f"label::{QU}", f"label::{AY}"],
            ["lugar", "puno", "Puno", "Puno", "Puno", "Puno"],
            ["lugar", "juli", "Juli", "Juli", "Juli", "Juli"],
            ["lugar", "ilave", "Ilave", "Ilave", "Ilave", "Ilave"],
        ],
        settings=[["form_title", "default_language"], ["Productores del altiplano", ES]],
    ),
    _form(
        "quechua_default",
        "quechua default_language languages_two_colons",
        [
            ["type", "name", f"label::{QU}", f"label::{ES}"],
            ["text", "sutin", "1", "Nombre"],
            ["integer", "wata", "2", "Edad"],
            ["select_one ayllu", "ayllu", "3", "Comunidad"],
        ],
        choices=[
            ["list_name", "name", f"label::{QU}", f"label::{ES}"],
            ["ayllu", "ccatca", "Ccatca", "Ccatca"],
            ["ayllu", "ocongate", "Ocongate", "Ocongate"],
        ],
        settings=[["default_language"], [QU]],
    ),
    _form(
        "aymara_one_colon",
        "aymara languages_one_colon default_language",
        [
            ["type", "name", f"label:{AY}", f"label:{ES}"],
            ["text", "suti", "1", "Nombre"],
            ["integer", "qullqi", "2", "Monto (S/)"],
        ],
        settings=[["default_language"], [AY]],
    ),
    _form(
        "mixed_colons",
        "languages_one_colon languages_two_colons hint",
        [
            ["type", "name", f"label::{ES}", f"label:{EN}", f"hint::{ES}", f"hint:{EN}"],
            ["text", "gremio", "Gremio", "Trade association", "Nombre completo", "Full name"],
            ["integer", "afiliados", "Afiliados", "Members", None, None],
        ],
        settings=[["default_language"], [ES]],
    ),
    _form(
        "english_only",
        "english_only default_language",
        [
            ["type", "name", f"label::{EN}", f"hint::{EN}", "required"],
            ["text", "firm", "Firm name", "As registered", "yes"],
            ["integer", "employees", "Employees", None, None],
            ["select_one yn", "exports", "Does the firm export?", None, "yes"],
        ],
        choices=[["list_name", "name", f"label::{EN}"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
        settings=[["form_title", "form_id", "default_language"], ["Firm survey", "firm_survey", EN]],
    ),
    _form(
        "english_only_without_settings",
        "english_only",
        [
            ["type", "name", f"label::{EN}"],
            ["text", "firm", "Firm name"],
            ["decimal", "turnover", "Turnover"],
        ],
    ),
    _form(
        "swahili_default",
        "swahili default_language languages_two_colons",
        [
            ["type", "name", f"label::{SW}", f"label::{EN}"],
            ["text", "jina", "Jina", "Name"],
            ["integer", "umri", "Umri", "Age"],
        ],
        settings=[["default_language"], [SW]],
    ),
    _form(
        "plain_label_only",
        "plain_label required_yes",
        [
            ["type", "name", "label", "required"],
            ["text", "asociacion", "Nombre de la asociación", "yes"],
            ["integer", "socios", "Número de socios", "no"],
            ["date", "fundacion", "Fecha de fundación", None],
        ],
        as_xls=True,
    ),
    _form(
        "relevance_column",
        "relevance",
        [
            ["type", "name", "label", "relevance"],
            ["select_one sino", "exporta", "¿Exporta?", None],
            ["integer", "paises", "¿A cuántos países?", "${exporta} = 'yes'"],
        ],
        choices=[CHOICES, *YES_NO],
    ),
    _form(
        "bind_columns_two_colons",
        "bind_two_colons relevant constraint required_expression",
        [
            ["type", "name", "label", "bind::relevant", "bind::constraint", "bind::required"],
            ["integer", "trabajadores", "Trabajadores", None, ". >= 0", "yes"],
            ["integer", "mujeres", "Trabajadoras", "${trabajadores} > 0", ". <= ${trabajadores}",
             "${trabajadores} > 10"],
        ],
    ),
    _form(
        "bind_columns_one_colon",
        "bind_one_colon relevant constraint",
        [
            ["type", "name", "label", "bind:relevant", "bind:constraint"],
            ["integer", "hectareas", "Hectáreas", None, ". > 0"],
            ["text", "cultivo", "Cultivo principal", "${hectareas} > 0", "string-length(.) <= 40"],
        ],
    ),
    _form(
        "messages_spaced_headers",
        "constraint_message_spaced required_message_spaced required_message",
        [
            ["type", "name", "label", "constraint", "constraint message", "required", "required message"],
            ["integer", "edad", "Edad", ". >= 18", "Debe ser mayor de edad", "yes", "Falta la edad"],
        ],
    ),
    _form(
        "messages_translated",
        "constraint_message required_message languages_two_colons",
        [
            ["type", "name", f"label::{ES}", f"label::{EN}", "constraint", f"constraint_message::{ES}",
             f"constraint_message::{EN}", "required", f"required_message::{ES}", f"required_message::{EN}"],
            ["integer", "anio", "Año", "Year", ". >= 1950 and . <= 2030", "Año fuera de rango", "Year out of range",
             "yes", "Indique el año", "Give the year"],
            ["text", "ruc", "RUC", "Tax number", "regex(., '^[0-9]{11}$')", "11 dígitos", "11 digits"],
        ],
    ),
    _form(
        "jr_constraint_msg_header",
        "jr_constraint_msg constraint",
        [
            ["type", "name", "label", "constraint", "bind::jr:constraintMsg"],
            ["decimal", "precio", "Precio por kilo (S/)", ". > 0 and . < 500", "Precio no válido"],
        ],
    ),
    _form(
        "or_other",
        "or_other select_one_underscore select_multiple_underscore",
        [
            ["type", "name", "label"],
            ["select_one canal or_other", "canal", "Canal de venta principal"],
            ["select_multiple apoyo or_other", "apoyo", "Apoyos recibidos"],
        ],
        choices=[
            CHOICES,
            ["canal", "feria", "Feria"],
            ["canal", "acopiador", "Acopiador"],
            ["apoyo", "credito", "Crédito"],
            ["apoyo", "capacitacion", "Capacitación"],
        ],
    ),
    _form(
        "choice_filter_cascade",
        "choice_filter choice_extra_columns",
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one departamento", "departamento", "Departamento", None],
            ["select_one provincia", "provincia", "Provincia", "dep = ${departamento}"],
            ["select_one distrito", "distrito", "Distrito", "prov = ${provincia} and dep = ${departamento}"],
        ],
        choices=[
            ["list_name", "name", "label", "dep", "prov"],
            ["departamento", "cusco", "Cusco"],
            ["departamento", "puno", "Puno"],
            ["provincia", "urubamba", "Urubamba", "cusco"],
            ["provincia", "calca", "Calca", "cusco"],
            ["provincia", "chucuito", "Chucuito", "puno"],
            ["distrito", "ollantaytambo", "Ollantaytambo", "cusco", "urubamba"],
            ["distrito", "pisac", "Pisac", "cusco", "calca"],
            ["distrito", "juli", "Juli", "puno", "chucuito"],
        ],
    ),
    _form(
        "defaults",
        "default dynamic_default",
        [
            ["type", "name", "label", "default"],
            ["text", "pais", "País", "Perú"],
            ["integer", "campanas", "Campañas al año", "2"],
            ["select_one sino", "formal", "¿Tiene RUC?", "yes"],
            ["date", "visita", "Fecha de visita", "2026-01-15"],
            ["integer", "siguiente", "Campañas el próximo año", "${campanas} + 1"],
        ],
        choices=[CHOICES, *YES_NO],
    ),
    _form(
        "read_only_and_trigger",
        "read_only trigger calculation",
        [
            ["type", "name", "label", "read_only", "calculation", "trigger"],
            ["text", "codigo", "Código asignado", "yes", None, None],
            ["integer", "cajas", "Cajas vendidas", None, None, None],
            ["decimal", "kilos", "Kilos (se recalcula al cambiar las cajas)", None, "${cajas} * 12.5", "${cajas}"],
            ["dateTime", "registro", "Hora del cambio", None, "now()", "${cajas}"],
        ],
    ),
    _form(
        "repeat_count_literal",
        "repeat_count_literal begin_repeat_underscore",
        [
            ["type", "name", "label", "repeat_count"],
            ["begin_repeat", "campanas", "Campañas", "3"],
            ["integer", "kilos", "Kilos cosechados", None],
            ["end_repeat", None, None, None],
        ],
    ),
    _form(
        "repeat_count_expression",
        "repeat_count_expression repeat_count_reference open_repeat",
        [
            ["type", "name", "label", "repeat_count"],
            ["integer", "hijos", "Número de hijos", None],
            ["begin_repeat", "hijo", "Hijo o hija", "${hijos}"],
            ["text", "nombre_hijo", "Nombre", None],
            ["end_repeat", None, None, None],
            ["integer", "parcelas", "Número de parcelas", None],
            ["begin_repeat", "parcela", "Parcela", "${parcelas} + 0"],
            ["decimal", "area", "Área (ha)", None],
            ["end_repeat", None, None, None],
            ["begin_repeat", "visita", "Visitas (las que haga falta)", None],
            ["date", "fecha_visita", "Fecha", None],
            ["end_repeat", None, None, None],
        ],
    ),
    _form(
        "nested_groups_three_levels",
        "nested_groups group_relevance",
        [
            ["type", "name", "label", "relevant"],
            ["select_one sino", "formal", "¿Tiene RUC?", None],
            ["begin_group", "empresa", "Empresa", None],
            ["begin_group", "registro", "Registro", "${formal} = 'yes'"],
            ["begin_group", "sunat", "SUNAT", None],
            ["text", "ruc", "RUC", None],
            ["select_one regimen", "regimen", "Régimen", None],
            ["end_group", None, None, None],
            ["date", "inscripcion", "Fecha de inscripción", None],
            ["end_group", None, None, None],
            ["text", "direccion", "Dirección", None],
            ["end_group", None, None, None],
        ],
        choices=[CHOICES, *YES_NO, ["regimen", "rus", "Nuevo RUS"], ["regimen", "mype", "Régimen MYPE"]],
    ),
    _form(
        "nested_repeats_three_levels",
        "nested_repeats repeat_in_group",
        [
            ["type", "name", "label"],
            ["begin_group", "finca", "Finca"],
            ["begin_repeat", "parcela", "Parcela"],
            ["text", "nombre_parcela", "Nombre de la parcela"],
            ["begin_repeat", "cultivo", "Cultivo"],
            ["select_one productos", "producto", "Producto"],
            ["begin_repeat", "cosecha", "Cosecha"],
            ["date", "fecha_cosecha", "Fecha"],
            ["decimal", "kilos", "Kilos"],
            ["end_repeat"],
            ["end_repeat"],
            ["end_repeat"],
            ["end_group"],
        ],
        choices=[CHOICES, *PRODUCTS],
    ),
    _form(
        "field_list_pages",
        "field_list group_relevance settings_style",
        [
            ["type", "name", "label", "appearance", "relevant"],
            ["begin_group", "contacto", "Contacto", "field-list", None],
            ["text", "telefono", "Teléfono", "numbers", None],
            ["text", "correo", "Correo", None, None],
            ["end_group"],
            ["select_one sino", "visita", "¿Aceptó la visita?", "minimal", None],
            ["begin_group", "taller", "Taller", "field-list", "${visita} = 'yes'"],
            ["integer", "maquinas", "Máquinas", None, None],
            ["select_one sino", "luz", "¿Tiene luz trifásica?", "horizontal-compact", None],
            ["end_group"],
        ],
        choices=[CHOICES, *YES_NO],
        settings=[["style"], ["pages"]],
    ),
    _form(
        "time_and_datetime",
        "time datetime datetime_camel",
        [
            ["type", "name", "label"],
            ["time", "apertura", "Hora de apertura"],
            ["datetime", "entrega", "Fecha y hora de entrega"],
            ["dateTime", "recojo", "Fecha y hora de recojo"],
        ],
    ),
    _form(
        "locations",
        "geopoint geotrace geoshape parameters",
        [
            ["type", "name", "label", "parameters"],
            ["geopoint", "taller", "Ubicación del taller", "capture-accuracy=10 warning-accuracy=20"],
            ["geotrace", "ruta", "Ruta de acopio", None],
            ["geoshape", "parcela", "Contorno de la parcela", None],
        ],
    ),
    _form(
        "media_questions",
        "image photo audio video file parameters",
        [
            ["type", "name", "label", "parameters"],
            ["image", "foto_taller", "Foto del taller", "max-pixels=1024"],
            ["photo", "foto_producto", "Foto del producto", None],
            ["audio", "testimonio", "Testimonio", "quality=normal"],
            ["video", "proceso", "Video del proceso", None],
            ["file", "acta", "Acta de constitución (PDF)", None],
        ],
    ),
    _form(
        "barcode_and_hidden",
        "barcode hidden",
        [
            ["type", "name", "label", "default"],
            ["barcode", "lote", "Código del lote", None],
            ["hidden", "campana", None, "A2026"],
        ],
    ),
    _form(
        "notes_and_calculations",
        "note calculate calculation",
        [
            ["type", "name", "label", "calculation"],
            ["integer", "hombres", "Trabajadores", None],
            ["integer", "mujeres", "Trabajadoras", None],
            ["calculate", "total", None, "${hombres} + ${mujeres}"],
            ["note", "resumen", "La empresa tiene ${total} personas.", None],
        ],
    ),
    _form(
        "acknowledge_and_trigger_type",
        "acknowledge trigger_type",
        [
            ["type", "name", "label"],
            ["acknowledge", "consentimiento", "La persona entrevistada da su consentimiento."],
            ["trigger", "lectura", "Se leyó la hoja informativa."],
        ],
    ),
    _form(
        "ranges",
        "range parameters",
        [
            ["type", "name", "label", "parameters", "appearance"],
            ["range", "confianza", "Confianza en la asociación (0 a 10)", "start=0 end=10 step=1", None],
            ["range", "humedad", "Humedad del grano (%)", "start=8 end=16 step=0.5", "vertical"],
            ["range", "estrellas", "Calificación", "start=1 end=5 step=1", "rating"],
        ],
    ),
    _form(
        "metadata",
        "metadata_start metadata_end metadata_today metadata_deviceid metadata_username metadata_phonenumber"
        " metadata_email metadata_audit metadata_other",
        [
            ["type", "name", "label", "parameters"],
            ["start", "inicio", None, None],
            ["end", "fin", None, None],
            ["today", "hoy", None, None],
            ["deviceid", "equipo", None, None],
            ["username", "usuario", None, None],
            ["phonenumber", "telefono", None, None],
            ["email", "correo", None, None],
            ["subscriberid", "suscriptor", None, None],
            ["simserial", "sim", None, None],
            ["audit", "audit", None, "location-priority=balanced location-min-interval=60 location-max-age=120"],
            ["text", "nombre", "Nombre", None],
        ],
    ),
    _form(
        "select_from_files",
        "select_one_from_file select_multiple_from_file select_one_from_file_spaces attachments",
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one_from_file distritos.csv", "distrito", "Distrito", None],
            ["select_multiple_from_file productos.csv", "productos", "Productos", None],
            ["select one from file ferias.csv", "feria", "Feria", "distrito = ${distrito}"],
        ],
        attachments={
            "distritos.csv": "name,label\n080101,Cusco\n080108,Wanchaq\n210101,Puno\n",
            "productos.csv": "name,label\ncafe,Café\ncacao,Cacao\n",
            "ferias.csv": "name,label,distrito\nhuancaro,Feria de Huancaro,080101\nbellavista,Bellavista,210101\n",
        },
    ),
    _form(
        "media_columns",
        "media_image media_audio media_translated choice_media",
        [
            ["type", "name", "label", "media::image", "media::audio", f"image::{ES}", f"label::{ES}"],
            ["note", "logo", "Programa", "logo.png", None, None, "Programa"],
            ["select_one calidad", "calidad", "Calidad", None, "calidad.mp3", "calidad_es.png", "Calidad"],
        ],
        choices=[
            ["list_name", "name", "label", f"label::{ES}", "media::image"],
            ["calidad", "primera", "Primera", "Primera", "primera.jpg"],
            ["calidad", "segunda", "Segunda", "Segunda", "segunda.jpg"],
        ],
    ),
    _form(
        "body_bind_instance_columns",
        "body_columns bind_extra_columns instance_columns settings_namespaces",
        [
            ["type", "name", "label", "body::accuracyThreshold", "bind::esri:fieldLength",
             "instance::esri:fieldType", "body::esri:style"],
            ["geopoint", "punto", "Punto", "5", None, None, None],
            ["text", "obs", "Observación", None, "255", "esriFieldTypeString", "multiline"],
        ],
        settings=[["namespaces"], ['esri="http://esri.com/xforms"']],
    ),
    _form(
        "team_columns",
        "unknown_columns choice_unknown_columns",
        [
            ["type", "name", "label", "responsable", "comentario interno", "fuente"],
            ["text", "nombre", "Nombre", "Ana", "revisar redacción", "ENAHO"],
            ["select_one tamano", "tamano", "Tamaño", "Luis", None, "Ley 30056"],
        ],
        choices=[[*CHOICES, "orden", "codigo_inei"], *[[*row, n, f"T{n}"] for n, row in enumerate(SIZE_CHOICES)]],
    ),
    _form(
        "settings_complete",
        "settings_style settings_instance_name settings_version settings_title default_language"
        " settings_namespaces settings_other",
        [
            ["type", "name", f"label::{ES}", f"label::{EN}"],
            ["text", "empresa", "Empresa", "Firm"],
            ["date", "fecha", "Fecha", "Date"],
        ],
        settings=[
            ["form_title", "form_id", "version", "default_language", "style", "instance_name", "namespaces",
             "submission_url"],
            ["Línea de base 2026", "linea_base_2026", "2026-03-01", ES, "theme-grid",
             "concat(${empresa}, ' ', ${fecha})", 'esri="http://esri.com/xforms"', "https://example.org/submit"],
        ],
    ),
    _form(
        "functions_on_choices",
        "fn_selected fn_count_selected fn_selected_at fn_choice_name",
        [
            ["type", "name", "label", "relevant", "constraint", "calculation"],
            ["select_multiple productos", "productos", "Productos", None, "count-selected(.) <= 3", None],
            ["integer", "kilos_cafe", "Kilos de café", "selected(${productos}, 'cafe')", None, None],
            ["calculate", "primero", None, None, None, "selected-at(${productos}, 0)"],
            ["calculate", "nombre_primero", None, None, None, "jr:choice-name(${primero}, '${productos}')"],
            ["note", "aviso", "Primer producto: ${nombre_primero}", "count-selected(${productos}) > 0", None, None],
        ],
        choices=[CHOICES, *PRODUCTS],
    ),
    _form(
        "functions_on_text",
        "fn_string_length fn_substr fn_concat fn_contains fn_starts_with fn_regex",
        [
            ["type", "name", "label", "constraint", "calculation", "relevant"],
            ["text", "ruc", "RUC", "string-length(.) = 11 and regex(., '^(10|20)[0-9]{9}$')", None, None],
            ["calculate", "prefijo", None, None, "substr(${ruc}, 0, 2)", None],
            ["text", "razon", "Razón social", None, None, "starts-with(${ruc}, '20')"],
            ["calculate", "etiqueta", None, None, "concat(${prefijo}, '-', ${razon})", None],
            ["text", "dni", "DNI del titular", None, None, "starts-with(${ruc}, '10') or contains(${razon}, 'EIRL')"],
        ],
    ),
    _form(
        "functions_on_numbers",
        "fn_if fn_coalesce fn_round fn_int fn_number",
        [
            ["type", "name", "label", "calculation", "relevant"],
            ["decimal", "ventas", "Ventas (S/)", None, None],
            ["text", "ventas_texto", "Ventas declaradas en texto", None, None],
            ["calculate", "ventas_usadas", None, "coalesce(${ventas}, number(${ventas_texto}))", None],
            ["calculate", "ventas_miles", None, "round(${ventas_usadas} div 1000, 1)", None],
            ["calculate", "uit", None, "int(${ventas_usadas} div 5350)", None],
            ["calculate", "tramo", None, "if(${uit} <= 150, 'micro', if(${uit} <= 1700, 'pequena', 'mediana'))", None],
            ["note", "nota_tramo", "Tramo: ${tramo}", None, "${ventas_usadas} != ''"],
        ],
    ),
    _form(
        "functions_on_dates",
        "fn_today fn_now fn_date_arithmetic fn_format_date",
        [
            ["type", "name", "label", "constraint", "calculation"],
            ["date", "fundacion", "Fecha de fundación", ". <= today()", None],
            ["calculate", "anios", None, None, "int((today() - ${fundacion}) div 365.25)"],
            ["calculate", "proxima", None, None, "format-date(date(${fundacion} + 365), '%Y-%m-%d')"],
            ["calculate", "hora", None, None, "now()"],
            ["note", "nota_fecha", "Fundada el ${proxima}", None, None],
        ],
    ),
    _form(
        "functions_on_repeats",
        "fn_position fn_count fn_sum fn_indexed_repeat",
        [
            ["type", "name", "label", "calculation", "constraint"],
            ["begin_repeat", "linea", "Línea de producto", None, None],
            ["calculate", "numero", None, "position(..)", None],
            ["text", "producto", "Producto", None, None],
            ["decimal", "monto", "Monto (S/)", None, ". >= 0"],
            ["end_repeat"],
            ["calculate", "lineas", None, "count(${linea})", None],
            ["calculate", "total", None, "sum(${monto})", None],
            ["calculate", "primera", None, "indexed-repeat(${producto}, ${linea}, 1)", None],
            ["note", "resumen", "${lineas} líneas, S/ ${total}; la primera: ${primera}", None, None],
        ],
    ),
    _form(
        "long_text_appearances",
        "multiline appearance",
        [
            ["type", "name", "label", "appearance"],
            ["text", "historia", "Historia de la empresa", "multiline"],
            ["text", "notas", "Notas", "multiline numbers"],
            ["text", "telefono", "Teléfono", "numbers"],
        ],
    ),
    _form(
        "casebook_types",
        "casebook_scale casebook_yes_no instance_columns",
        [
            ["type", "name", "label", "constraint", "instance::casebook:type"],
            ["integer", "confianza", "Confianza en el clúster (1 a 5)", ". >= 1 and . <= 5", "scale"],
            ["select_one sino", "exporta", "¿Exporta?", None, "yes_no"],
            ["select_one sino", "importa", "¿Importa insumos?", None, None],
        ],
        choices=[CHOICES, *YES_NO],
        settings=[["namespaces"], ['casebook="urn:cluster-casebook:xlsform"']],
    ),
    _form(
        "blank_rows",
        "blank_rows",
        [
            ["type", "name", "label"],
            [],
            ["text", "a", "Primera"],
            [None, None, None],
            [],
            ["begin_group", "g", "Grupo"],
            [],
            ["integer", "b", "Segunda"],
            ["end_group"],
            [],
            ["select_one sino", "c", "Tercera"],
        ],
        choices=[CHOICES, [], *YES_NO, [None, None, None]],
    ),
    _form(
        "numeric_and_boolean_cells",
        "numeric_cells boolean_cells numeric_choice_names",
        [
            ["type", "name", "label", "required", "constraint"],
            ["select_one nivel", "nivel", "Nivel educativo", True, None],
            ["integer", "anios", "Años de estudio", 1, ". <= 25"],
            ["decimal", "nota", "Nota", False, ". >= 0 and . <= 20"],
        ],
        choices=[CHOICES, ["nivel", 1, "Primaria"], ["nivel", 2, "Secundaria"], ["nivel", 3, "Superior"]],
        as_xls=True,
    ),
    _form(
        "required_expressions",
        "required_expression required_message",
        [
            ["type", "name", "label", "required", "required_message"],
            ["select_one sino", "credito", "¿Tuvo crédito?", "yes", "Responda sí o no"],
            ["text", "entidad", "Entidad", "${credito} = 'yes'", "Indique la entidad"],
            ["decimal", "monto", "Monto (S/)", "selected(${credito}, 'yes')", None],
        ],
        choices=[CHOICES, *YES_NO],
    ),
    _form(
        "guidance_hints",
        "guidance_hint hint languages_two_colons",
        [
            ["type", "name", f"label::{ES}", f"label::{EN}", f"hint::{ES}", f"guidance_hint::{ES}",
             f"guidance_hint::{EN}"],
            ["decimal", "area", "Área (ha)", "Area (ha)", "En hectáreas", "Pida el título de propiedad",
             "Ask for the title deed"],
        ],
    ),
    _form(
        "types_with_rules",
        "percentage phone_number",
        [
            ["type", "name", "label"],
            ["percentage", "avance", "Avance del plan (%)"],
            ["phone number", "celular", "Celular"],
        ],
    ),
    _form(
        "headers_in_capitals",
        "capital_headers",
        [
            ["Type", "Name", "Label", "Required", "Relevant", "Hint"],
            ["text", "nombre", "Nombre", "yes", None, "Completo"],
            ["integer", "edad", "Edad", None, "${nombre} != ''", None],
        ],
    ),
    _form(
        "settings_aliases",
        "settings_title settings_aliases",
        [["type", "name", "label"], ["text", "nombre", "Nombre"]],
        settings=[["set_form_title", "set_form_id", "version"], ["Registro de socios", "socios", "3"]],
    ),
    _form(
        "peru_cluster_interview",
        "languages_two_colons quechua begin_group_underscore begin_repeat_underscore geopoint image"
        " repeat_count_reference relevant bounds choice_filter default_language",
        [
            ["type", "name", f"label::{ES}", f"label::{EN}", f"label::{QU}", "hint", "required", "relevant",
             "constraint", "repeat_count", "choice_filter", "appearance"],
            ["start", "inicio"],
            ["today", "dia"],
            ["begin_group", "taller", "El taller", "The workshop", "1", None, None, None, None, None, None,
             "field-list"],
            ["text", "razon_social", "Razón social", "Company name", "2", "Como figura en SUNAT", "yes"],
            ["select_one provincia", "provincia", "Provincia", "Province", "3", None, "yes"],
            ["select_one distrito", "distrito", "Distrito", "District", "4", None, "yes", None, None, None,
             "prov = ${provincia}"],
            ["geopoint", "ubicacion", "Ubicación del taller", "Workshop location", "5"],
            ["image", "foto", "Foto de la fachada", "Photo of the front", "6"],
            ["end_group"],
            ["integer", "num_lineas", "¿Cuántas líneas de producto?", "How many product lines?", "7", None, "yes",
             None, ". >= 0 and . <= 20"],
            ["begin_repeat", "lineas", "Línea de producto", "Product line", "8", None, None, "${num_lineas} > 0",
             None, "${num_lineas}"],
            ["select_one productos", "producto", "Producto", "Product", "9", None, "yes"],
            ["decimal", "volumen", "Volumen anual (kg)", "Annual volume (kg)", "10", None, None, None, ". >= 0"],
            ["end_repeat"],
            ["end", "fin"],
        ],
        choices=[
            ["list_name", "name", f"label::{ES}", f"label::{EN}", f"label::{QU}", "prov"],
            ["provincia", "cusco", "Cusco", "Cusco", "Qusqu"],
            ["provincia", "quispicanchi", "Quispicanchi", "Quispicanchi", "Quispicanchi"],
            ["distrito", "wanchaq", "Wanchaq", "Wanchaq", "Wanchaq", "cusco"],
            ["distrito", "san_sebastian", "San Sebastián", "San Sebastián", "San Sebastián", "cusco"],
            ["distrito", "urcos", "Urcos", "Urcos", "Urcos", "quispicanchi"],
            ["productos", "cafe", "Café", "Coffee", "Café"],
            ["productos", "textil", "Textiles", "Textiles", "Textil"],
        ],
        settings=[["form_title", "form_id", "version", "default_language"],
                  ["Entrevista al taller", "taller_2026", "1", ES]],
        as_xls=True,
    ),
    _form(
        "count_alias_header",
        "repeat_count_reference count_header",
        [
            ["type", "name", "label", "jr:count"],
            ["integer", "n", "Número de socios", None],
            ["begin repeat", "socio", "Socio", "${n}"],
            ["text", "dni", "DNI", None],
            ["end repeat"],
        ],
    ),
    _form(
        "readonly_condition_and_calculated_default",
        "read_only_expression read_only",
        [
            ["type", "name", "label", "read_only", "default"],
            ["select_one sino", "cerrado", "¿Registro cerrado?", None, "no"],
            ["text", "observacion", "Observación", "${cerrado} = 'yes'", None],
            ["date", "hoy_registro", "Fecha de registro", "true()", "today()"],
        ],
        choices=[CHOICES, *YES_NO],
    ),
]

# --- Forms the site must refuse, with where and why ---------------------------------------------------

_SIMPLE = [CHOICES, *YES_NO]

REFUSED = [
    RefusedForm(
        "types_outside_the_core",
        {
            "survey": [
                ["type", "name", "label", "choice_filter", "trigger"],
                ["text", "nombre", "Nombre", None, None],
                ["rank sino", "prioridades", "Prioridades", None, None],
                ["select_one dep", "dep", "Departamento", None, None],
                ["select_one_external barrio", "barrio", "Barrio", "dep = ${dep}", None],
                ["background-audio", "fondo", None, None, None],
                ["xml-external", "precios", None, None, None],
                ["csv-external", "tarifas", None, None, None],
                ["begin_repeat", "r", "Visitas", None, None],
                ["osm", "mapa", "Mapa", None, None],
                ["end_repeat", None, None, None, None],
                ["background-geopoint", "recorrido", None, None, "${nombre}"],
            ],
            "choices": [*_SIMPLE, ["dep", "cusco", "Cusco"]],
            "external_choices": [["list_name", "name", "label", "dep"], ["barrio", "centro", "Centro", "cusco"]],
        },
        (
            ("survey", 3, "Ranking questions ('rank') are not supported", "ordenamiento ('rank')"),
            ("survey", 5, "'select_one_external' (the external_choices sheet) is not supported", "external_choices"),
            ("survey", 6, "Recording in the background ('background-audio')", "segundo plano ('background-audio')"),
            ("survey", 7, "External data files ('xml-external')", "externos ('xml-external')"),
            ("survey", 8, "External data files ('csv-external')", "externos ('csv-external')"),
            ("survey", 10, "The question type 'osm' is not supported", "'osm'"),
            ("survey", 12, "Recording in the background ('background-geopoint')", "segundo plano"),
        ),
    ),
    RefusedForm(
        "loop",
        {
            "survey": [
                ["type", "name", "label"],
                ["begin loop over sino", "bucle", "Bucle"],
                ["integer", "n", "N"],
                ["end loop"],
            ],
            "choices": _SIMPLE,
        },
        (("survey", 2, "Loops ('begin loop') are not supported", "bucles ('begin loop')"),),
    ),
    RefusedForm(
        "duplicate_names_across_groups",
        {
            "survey": [
                ["type", "name", "label"],
                ["begin_group", "hogar", "Hogar"],
                ["integer", "personas", "Personas"],
                ["end_group"],
                ["begin_group", "taller", "Taller"],
                ["integer", "personas", "Personas del taller"],
                ["end_group"],
            ]
        },
        (("survey", 6, "'personas' is used twice in the form (also in row 3)", "'personas' se usa dos veces"),),
    ),
    RefusedForm(
        "unsupported_function",
        {
            "survey": [
                ["type", "name", "label", "calculation"],
                ["text", "ruc", "RUC", None],
                ["calculate", "razon", None, "digest(${ruc}, 'SHA-256')"],
            ]
        },
        (("survey", 3, "The function 'digest' at character 1 is not supported", "La función 'digest'"),),
    ),
    RefusedForm(
        "broken_expressions",
        {
            "survey": [
                ["type", "name", "label", "relevant", "constraint"],
                ["integer", "a", "A", None, None],
                ["integer", "b", "B", "${a} > ", None],
                ["integer", "c", "C", "${a} = 'x", None],
                ["integer", "d", "D", None, ". < limite"],
            ]
        },
        (
            ("survey", 3, "at character 7", "en el carácter 7"),
            ("survey", 4, "The text starting at character 8 is not closed", "carácter 8"),
            ("survey", 5, "limite", "limite"),
        ),
    ),
    RefusedForm(
        "pyxform_rejects_an_unknown_reference",
        {"survey": [["type", "name", "label"], ["text", "a", "A"], ["text", "b", "Ventas de ${inexistente}"]]},
        (("survey", 3, "ODK's converter rejects the form", "El convertidor de ODK rechaza el formulario"),),
        pyxform_accepts=False,
    ),
    RefusedForm(
        "pyxform_rejects_an_unclosed_group",
        {"survey": [["type", "name", "label"], ["begin_group", "g", "G"], ["text", "a", "A"]]},
        (("survey", 2, "ODK's converter rejects the form", "El convertidor de ODK rechaza el formulario"),),
        pyxform_accepts=False,
    ),
    RefusedForm(
        "pyxform_rejects_a_form_without_choices",
        {"survey": [["type", "name", "label"], ["select_one colores", "color", "Color"]]},
        (("survey", 2, "ODK's converter rejects the form", "El convertidor de ODK rechaza el formulario"),),
        pyxform_accepts=False,
    ),
    RefusedForm(
        "pyxform_rejects_a_type_in_capitals",
        {"survey": [["type", "name", "label"], ["text", "a", "A"], ["Text", "b", "B"]]},
        (("survey", 3, "The question type 'Text' is unknown", "'Text'"),),
        pyxform_accepts=False,
    ),
]
# fmt: on

BY_NAME = {form.name: form for form in FORMS}
