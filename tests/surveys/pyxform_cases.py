# ruff: noqa: E501 (markdown tables stay aligned, one spreadsheet row a line)
"""XLSForms after the cases of pyxform's own test suite (github.com/XLSForm/pyxform, tests/), rewritten here as
the few rows that exercise each feature: outside reviewers import forms nobody here wrote, and pyxform's tests
are the widest set of real-world shapes there is. Each case names the pyxform test it follows.

A case is a markdown table as pyxform's tests write them (``| survey | … |``, one sheet after another), turned
into .xlsx bytes with pyxform's own reader of such tables. ``outcome`` is what the site does with it:
``IMPORTED``, or a ``Refusal`` naming the sheet, the row and a word of the reason in English and in Spanish.
``pyxform`` says whether pyxform itself converts the form (tests/surveys/test_pyxform_cases.py checks it too).
"""

import io
from dataclasses import dataclass

IMPORTED = "imported"


@dataclass(frozen=True)
class Refusal:
    sheet: str
    row: int | None
    english: str
    spanish: str


@dataclass(frozen=True)
class Case:
    name: str
    source: str  # the pyxform test (file::test) the rows follow
    md: str
    pyxform: bool  # pyxform converts it
    outcome: object = IMPORTED  # IMPORTED or a Refusal

    def xlsx(self) -> bytes:
        from pyxform.xls2json_backends import md_table_to_workbook

        buffer = io.BytesIO()
        md_table_to_workbook(self.md).save(buffer)
        return buffer.getvalue()


# fmt: off
CASES = [
    # --- Selects and choices ------------------------------------------------------------------------
    Case("numeric_choice_names", "test_choices_sheet.py::test_numeric_choice_names__for_static_selects__allowed", """
        | survey  | type             | name  | label   |
        |         | select_one nivel | nivel | Nivel   |
        | choices | list_name        | name  | label   |
        |         | nivel            | 1     | Uno     |
        |         | nivel            | 2     | Dos     |
        """, True),
    Case("numeric_choice_names_filtered", "test_choices_sheet.py::test_numeric_choice_names__for_dynamic_selects__allowed", """
        | survey  | type             | name  | label | choice_filter |
        |         | select_one nivel | nivel | Nivel | true()        |
        | choices | list_name        | name  | label |
        |         | nivel            | 1     | Uno   |
        |         | nivel            | 2     | Dos   |
        """, True),
    Case("choices_without_labels", "test_choices_sheet.py::test_choices_without_labels__for_static_selects__forbidden", """
        | survey  | type             | name  | label |
        |         | select_one nivel | nivel | Nivel |
        | choices | list_name        | name  | label |
        |         | nivel            | 1     |       |
        |         | nivel            | 2     |       |
        """, True, Refusal("choices", 2, "needs a label", "necesita una etiqueta")),
    Case("choice_extra_column", "test_choices_sheet.py::test_choices_extra_columns_output_order_matches_xlsform", """
        | survey  | type             | name  | label |
        |         | select_one lugar | lugar | Lugar |
        | choices | list_name        | name  | label | geometry                 |
        |         | lugar            | 1     | Uno   | -12.0464 -77.0428 0 0    |
        |         | lugar            | 2     | Dos   | -13.5319 -71.9675 0 0    |
        """, True),
    Case("unreferenced_list", "test_choices_sheet.py::test_unreferenced_lists_included_in_output", """
        | survey  | type           | name | label |
        |         | select_one sn  | a    | A     |
        | choices | list_name      | name | label |
        |         | sn             | 1    | Sí    |
        |         | sn             | 2    | No    |
        |         | sobra          | 1    | Sí    |
        """, True),
    Case("duplicate_choices", "test_choices_sheet.py::test_duplicate_choices_without_setting", """
        | survey  | type            | name | label |
        |         | select_one list | s1   | S1    |
        | choices | list name       | name | label |
        |         | list            | a    | A     |
        |         | list            | b    | B     |
        |         | list            | b    | C     |
        """, False, Refusal("choices", 4, "unique", "unique")),
    Case("duplicate_choices_allowed", "test_choices_sheet.py::test_duplicate_choices_with_allow_choice_duplicates_setting", """
        | survey   | type            | name | label |
        |          | select_one list | s1   | S1    |
        | choices  | list name       | name | label |
        |          | list            | a    | A     |
        |          | list            | b    | B     |
        |          | list            | b    | C     |
        | settings | form_id         | allow_choice_duplicates |
        |          | duplicados      | yes                     |
        """, True, Refusal("choices", 4, "appears twice", "aparece dos veces")),
    Case("choice_label_from_reference", "test_choices_sheet.py::test_label_from_reference", """
        | survey  | type          | name | label |
        |         | text          | otro | Otro  |
        |         | select_one c1 | q1   | Q1    |
        | choices | list_name     | name | label   |
        |         | c1            | n1   | ${otro} |
        """, True),
    Case("choice_value_alias", "test_sheet_columns.py::test_value_and_name", """
        | survey  | type          | name | label      |
        |         | select_one yn | q1   | ¿Exporta?  |
        | choices | list name     | value | label     |
        |         | yn            | si    | Sí        |
        |         | yn            | no    | No        |
        """, True),
    Case("choices_missing_name_header", "test_sheet_columns.py::test_missing_choice_headers", """
        | survey  | type            | label    | name |
        |         | select_one list | S1       | s1   |
        | choices | list            | option a | a    |
        |         | list            | option b | b    |
        """, False, Refusal("choices", 1, "name", "name")),
    Case("or_other", "or_other_test.py (select_one … or_other)", """
        | survey  | type                     | name   | label   |
        |         | select_one rubro or_other | rubro | Rubro   |
        | choices | list_name | name      | label     |
        |         | rubro     | textil    | Textil    |
        |         | rubro     | calzado   | Calzado   |
        """, True),
    Case("or_other_multiple", "or_other_test.py (select_multiple … or_other)", """
        | survey  | type                             | name     | label    |
        |         | select_multiple mercado or_other | mercados | Mercados |
        | choices | list_name | name  | label  |
        |         | mercado   | local | Local  |
        |         | mercado   | usa   | EE. UU. |
        """, True),
    Case("cascading_selects", "test_external_instances_for_selects.py (choice_filter on a choices column)", """
        | survey  | type             | name   | label  | choice_filter  |
        |         | select_one dep   | dep    | Región |                |
        |         | select_one prov  | prov   | Provincia | dep=${dep}  |
        | choices | list_name | name     | label    | dep |
        |         | dep       | lima     | Lima     |     |
        |         | dep       | cusco    | Cusco    |     |
        |         | prov      | huaral   | Huaral   | lima  |
        |         | prov      | urubamba | Urubamba | cusco |
        """, True),
    Case("choice_filter_in_repeat", "test_repeat.py::test_choice_filter_relative_path", """
        | survey  | type                 | name  | label  | choice_filter  |
        |         | begin repeat         | rep   | Cultivos |              |
        |         | select_one cultivo   | crop  | Cultivo |               |
        |         | select_one cultivo   | a     | Otro    | name != ${crop} |
        |         | begin group          | grupo | Grupo   |               |
        |         | select_one cultivo   | b     | Otro más | name != ${crop} |
        |         | end group            |       |         |               |
        |         | end repeat           |       |         |               |
        | choices | list name | name  | label |
        |         | cultivo   | maiz  | Maíz  |
        |         | cultivo   | papa  | Papa  |
        |         | cultivo   | quinua | Quinua |
        """, True),
    Case("randomize", "test_randomize_itemsets.py::test_randomized_select_one", """
        | survey  | type           | name | label | parameters     |
        |         | select_one op  | op   | Op    | randomize=true |
        | choices | list_name | name | label |
        |         | op        | a    | A     |
        |         | op        | b    | B     |
        """, True),
    Case("randomize_seed_reference", "test_randomize_itemsets.py::test_randomized_seeded_select_one_nameset_seed", """
        | survey  | type            | name   | label | parameters                  | calculation                    |
        |         | calculate       | semilla |      |                             | once(decimal-date-time(now())) |
        |         | select_one op   | op     | Op    | randomize=true,seed=${semilla} |                             |
        | choices | list_name | name | label |
        |         | op        | a    | A     |
        |         | op        | b    | B     |
        """, True),
    Case("randomize_bad_parameter", "test_randomize_itemsets.py::test_randomized_select_one_bad_param", """
        | survey  | type           | name | label | parameters |
        |         | select_one op  | op   | Op    | step=10    |
        | choices | list_name | name | label |
        |         | op        | a    | A     |
        """, False, Refusal("survey", 2, "step", "step")),
    Case("seed_without_randomize", "test_randomize_itemsets.py::test_randomized_select_one_seed_without_randomize", """
        | survey  | type           | name   | label  | parameters |
        |         | text           | nombre | Nombre |            |
        |         | select_one op  | op     | Op     | seed=42    |
        | choices | list_name | name | label |
        |         | op        | a    | A     |
        """, False, Refusal("survey", 3, "randomize", "randomize")),
    Case("select_from_csv_files", "test_external_instances_for_selects.py::test_no_params_with_filters", """
        | survey | type                                | name    | label   | choice_filter   |
        |        | select_one_from_file ciudades.csv   | ciudad  | Ciudad  |                 |
        |        | select_multiple_from_file barrios.csv | barrios | Barrios | ciudad=${ciudad} |
        """, True),
    Case("select_from_file_parameters", "test_external_instances_for_selects.py::test_with_params_no_filters", """
        | survey | type                              | name   | label  | parameters           |
        |        | select_one_from_file ciudades.csv | ciudad | Ciudad | value=val, label=lbl |
        """, True),
    Case("select_from_xml_file", "test_external_instances_for_selects.py::test_no_params_no_filters (.xml)", """
        | survey | type                              | name   | label  |
        |        | select_one_from_file ciudades.xml | ciudad | Ciudad |
        """, True),
    Case("select_from_geojson_file", "test_external_instances_for_selects.py::test_no_params_no_filters (.geojson)", """
        | survey | type                                  | name   | label  |
        |        | select_one_from_file ciudades.geojson | ciudad | Ciudad |
        """, True),
    Case("select_from_file_bad_parameter", "test_external_instances_for_selects.py::test_param_value_and_label_validation", """
        | survey | type                              | name   | label  | parameters |
        |        | select_one_from_file ciudades.csv | ciudad | Ciudad | value=7val |
        """, False, Refusal("survey", 2, "value", "value")),
    Case("select_one_external", "test_external_instances_for_selects.py::TestSelectOneExternal::test_no_params_with_filters", """
        | survey  | type                     | name   | label  | choice_filter |
        |         | select_one dep           | dep    | Región |               |
        |         | select_one_external prov | prov   | Provincia | dep=${dep} |
        | choices | list_name | name | label |
        |         | dep       | lima | Lima  |
        | external_choices | list_name | name   | dep  |
        |                  | prov      | huaral | lima |
        """, True, Refusal("survey", 3, "select_one_external", "select_one_external")),
    Case("search_appearance", "test_search_function.py::test_search_and_select_xlsx", """
        | survey  | type              | name  | label          | appearance       |
        |         | select_one frutas | fruta | Elija una fruta | search('frutas') |
        |         | note              | nota  | La fruta ${fruta} |               |
        | choices | list_name | name     | label |
        |         | frutas    | name_key | name  |
        """, True),
    Case("search_and_pulldata", "test_search_function.py::test_pulldata_same_file", """
        | survey  | type          | name | label | appearance         | calculation |
        |         | select_one s1 | q1   | Q1    | search('precios')  |             |
        |         | calculate     | p1   |       |                    | pulldata('precios', 'precio', 'name', ${q1}) |
        | choices | list_name | name | label |
        |         | s1        | na   | la    |
        """, True),
    # --- Trigger ------------------------------------------------------------------------------------
    Case("trigger", "test_trigger.py::test_handling_trigger_column_no_label_and_no_hint", """
        | survey | type     | name | label        | calculation | trigger |
        |        | text     | a    | Escriba algo |             |         |
        |        | dateTime | b    |              | now()       | ${a}    |
        """, True),
    Case("trigger_missing_reference", "test_trigger.py::test_trigger_reference_to_nonexistent_node_gives_error", """
        | survey | type     | name | label | calculation | trigger |
        |        | dateTime | b    | B     | now()       | ${a}    |
        """, False, Refusal("survey", 2, "Could not find the name", "Could not find the name")),
    Case("trigger_not_a_reference", "test_trigger.py::test_trigger_with_something_other_than_node_ref_gives_error", """
        | survey | type     | name | label | calculation | trigger |
        |        | dateTime | b    | B     | now()       | 6       |
        """, False, Refusal("survey", 2, "trigger", "trigger")),
    Case("trigger_on_group", "test_trigger.py::test_handling_trigger_column_in_group", """
        | survey | type        | name  | label        | calculation | trigger |
        |        | text        | a     | Escriba algo |             |         |
        |        | begin_group | grupo | Grupo        |             | ${a}    |
        |        | dateTime    | c     | Fecha        | now()       | ${a}    |
        |        | end_group   |       |              |             |         |
        """, True),
    Case("trigger_in_repeat", "test_trigger.py::test_trigger_column_in_repeat_should_have_expanded_xpath_in_value", """
        | survey | type         | name  | label   | calculation           | trigger |
        |        | begin repeat | rep   | Visitas |                       |         |
        |        | text         | one   | Texto   |                       |         |
        |        | integer      | three | Largo   | string-length(${one}) | ${one}  |
        |        | end repeat   |       |         |                       |         |
        """, True),
    Case("trigger_on_select", "test_trigger.py::test_trigger_with_trigger_of_type_select_nests_setvalue_in_select", """
        | survey  | type          | name | label   | calculation         | trigger |
        |         | select_one op | a    | Opción  |                     |         |
        |         | integer       | b    | Largo   | string-length(${a}) | ${a}    |
        | choices | list_name | name | label |
        |         | op        | a    | A     |
        |         | op        | aa   | AA    |
        """, True),
    Case("trigger_on_calculate", "test_trigger.py::test_trigger_refer_to_hidden_node_ref_gives_error", """
        | survey | type      | name   | label | trigger | calculation |
        |        | calculate | uno    |       |         | 5 + 4       |
        |        | calculate | uno-ts |       | ${uno}  | now()       |
        """, False, Refusal("survey", 3, "not user-visible", "not user-visible")),
    # --- Range --------------------------------------------------------------------------------------
    Case("range", "test_range.py::test_range_type", """
        | survey | type  | name  | label  | parameters            |
        |        | range | nivel | Nivel  | start=1 end=10 step=1 |
        """, True),
    Case("range_defaults", "test_range.py::test_range_type_defaults", """
        | survey | type  | name  | label |
        |        | range | nivel | Nivel |
        """, True),
    Case("range_decimal", "test_range.py::test_range_type_float", """
        | survey | type  | name  | label | parameters                 |
        |        | range | nivel | Nivel | start=0.5 end=5.0 step=0.5 |
        """, True),
    Case("range_semicolons", "test_range.py::test_range_semicolon_separator", """
        | survey | type  | name  | label | parameters            |
        |        | range | nivel | Nivel | start=1;end=10;step=1 |
        """, True),
    Case("range_mixed_case", "test_range.py::test_range_type (mixed case parameters)", """
        | survey | type  | name  | label | parameters            |
        |        | range | nivel | Nivel | Start=3 End=14 STEP=2 |
        """, True),
    Case("range_bad_parameter", "test_range.py::test_range_type_invalid_parameters (increment)", """
        | survey | type  | name  | label | parameters             |
        |        | range | nivel | Nivel | increment=0.5 end=21.5 |
        """, False, Refusal("survey", 2, "increment", "increment")),
    Case("range_not_a_number", "test_range.py::test_range_type_invalid_parameters (end=X)", """
        | survey | type  | name  | label | parameters               |
        |        | range | nivel | Nivel | start=0.5 end=X step=0.5 |
        """, False, Refusal("survey", 2, "end", "end")),
    # --- Settings -----------------------------------------------------------------------------------
    Case("settings_title_and_id", "test_settings.py::test_form_title, test_form_id", """
        | settings | form_title     | form_id   |
        |          | Mi formulario  | mi_form   |
        | survey   | type | name | label |
        |          | text | q1   | Hola  |
        """, True),
    Case("form_id_too_long", "test_settings.py::test_form_id (an id longer than the site keeps)", """
        | settings | form_id |
        |          | encuesta_de_linea_de_base_del_cluster_de_textiles_de_gamarra_segunda_ronda_con_modulo_de_exportaciones_2026 |
        | survey   | type | name | label |
        |          | text | q1   | Hola  |
        """, True, Refusal("settings", 2, "form_id", "form_id")),
    Case("settings_case_insensitive", "test_sheet_columns.py::test_case_insensitive_form_id_form_title", """
        | settings | Form_ID | Form_Title  |
        |          | MiForm  | ¡Bienvenida! |
        | survey   | type | name | label |
        |          | text | q1   | Hola  |
        """, True),
    Case("settings_id_string_and_version", "test_sheet_columns.py::test_form_id_variant", """
        | survey   | type | name   | label  |
        |          | text | nombre | Nombre |
        | settings | id_string      | version                | form_id     |
        |          | dos_respuestas | vWvvk3GYzjXcJQyvTWELej | AUTO-v2-jef |
        """, True),
    Case("settings_clean_text_values", "test_settings.py::test_clean_text_values__no", """
        | survey   | type          | name | label | calculation               |
        |          | integer       | q1   | Q1    | string-length('abc  def') |
        |          | select_one c1 | q2   | Q2    |                           |
        | choices  | list_name | name | label |
        |          | c1        | ab   | c  1  |
        | settings | clean_text_values |
        |          | no                |
        """, True),
    Case("settings_namespaces", "test_settings.py::test_custom_namespaced_instance_attribute", """
        | settings | namespaces                      |
        |          | ex="http://example.com/xforms"  |
        | survey   | type    | name      | label | instance::ex:duration |
        |          | trigger | confirmar | T1    | 10                    |
        """, True),
    Case("namespace_not_declared", "test_settings.py::test_custom_namespaced_instance_attribute (without its namespaces setting)", """
        | survey | type    | name      | label | instance::ex:duration |
        |        | trigger | confirmar | T1    | 10                    |
        """, True, Refusal("survey", 2, "namespace", "espacio de nombres")),
    Case("choices_column_with_colon", "test_choices_sheet.py::test_choices_extra_columns_output_order_matches_xlsform (a prefixed column)", """
        | survey  | type             | name  | label |
        |         | select_one lugar | lugar | Lugar |
        | choices | list_name        | name  | label | geo:punto   |
        |         | lugar            | 1     | Uno   |             |
        |         | lugar            | 2     | Dos   | -12.04 -77.04 |
        """, False, Refusal("choices", 3, "write its name without", "escriba su nombre sin")),
    Case("omit_instance_id_with_public_key", "test_settings.py (omit_instanceID beside a public_key)", """
        | settings | public_key                                   | omit_instanceID |
        |          | MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA | yes             |
        | survey   | type | name | label |
        |          | text | q1   | Hola  |
        """, False, Refusal("settings", 2, "Cannot omit instanceID", "Cannot omit instanceID")),
    Case("settings_instance_xmlns", "test_settings.py::test_instance_xmlns__is_set__custom_namespace", """
        | settings | instance_xmlns            |
        |          | http://example.com/xforms |
        | survey   | type | name | label |
        |          | text | q1   | Hola  |
        """, True),
    Case("settings_style_and_instance_name", "test_settings.py (style), instance_name", """
        | settings | style | instance_name              | default_language |
        |          | pages | concat('Visita ', ${q1})   | Español (es)     |
        | survey   | type | name | label::Español (es) | label::English (en) |
        |          | text | q1   | Nombre              | Name                |
        """, True),
    Case("settings_auto_send_delete", "test_settings_auto_send_delete.py", """
        | settings | auto_send | auto_delete |
        |          | true      | true        |
        | survey   | type | name | label |
        |          | text | q1   | Hola  |
        """, True),
    Case("settings_submission_url_public_key", "test_settings.py (submission_url, public_key)", """
        | settings | submission_url                   | public_key |
        |          | https://example.org/submission   | MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA |
        | survey   | type | name | label |
        |          | text | q1   | Hola  |
        """, True),
    # --- Repeats ------------------------------------------------------------------------------------
    Case("repeat_relative_references", "test_repeat.py::test_repeat_relative_reference", """
        | survey | type         | name     | relevant    | label              |
        |        | text         | z        |             | Fruta              |
        |        | begin repeat | seccion  |             | Sección            |
        |        | text         | a        |             | A                  |
        |        | text         | b        | ${a}='oca'  | B con ${a}         |
        |        | note         | nota1    |             | Anotado ${a} y ${z} |
        |        | end repeat   |          |             |                    |
        """, True),
    Case("repeat_calculate_relative", "test_repeat.py::test_calculate_relative_path", """
        | survey  | type               | name  | label   | calculation    |
        |         | begin repeat       | rep   | Cultivos |               |
        |         | select_one cultivo | crop  | Cultivo |                |
        |         | text               | a     | Revisar | concat('x', ${crop}) |
        |         | end repeat         |       |         |                |
        | choices | list name | name  | label |
        |         | cultivo   | maiz  | Maíz  |
        |         | cultivo   | papa  | Papa  |
        """, True),
    Case("indexed_repeat_nested", "test_repeat.py::test_indexed_repeat_relative_path", """
        | survey  | type         | name | label | calculation                      |
        |         | begin repeat | rep  | Rep   |                                  |
        |         | begin repeat | rep2 | Rep2  |                                  |
        |         | text         | a    | A     |                                  |
        |         | end repeat   |      |       |                                  |
        |         | calculate    | c1   |       | indexed-repeat(${a}, ${rep2}, 1) |
        |         | end repeat   |      |       |                                  |
        """, True),
    Case("repeat_position_in_translated_texts", "test_repeat.py::test_output_with_translation_relative_path", """
        | survey | type         | name        | label::English (en) | calculation  | hint::English (en) | constraint_message::English (en) | required_message::English (en) |
        |        | begin repeat | member      | Members             |              |                    |                                  |                                |
        |        | calculate    | pos         |                     | position(..) |                    |                                  |                                |
        |        | text         | member_name | Name of ${pos}      |              | hint ${pos}        | constraint ${pos}                | required ${pos}                |
        |        | end repeat   |             |                     |              |                    |                                  |                                |
        """, True),
    Case("roster_and_child_modules", "test_repeat.py::test_indexed_repeat_relative_path, as household surveys use it (index '.', a count as repeat_count)", """
        | survey | type         | name           | label            | constraint                                      | calculation                                              | repeat_count      | required |
        |        | begin repeat | roster         | Hogar            |                                                 |                                                          |                   |          |
        |        | text         | r_name         | Nombre           |                                                 |                                                          |                   |          |
        |        | integer      | r_age_months   | Edad (meses)     |                                                 |                                                          |                   |          |
        |        | calculate    | r_eligible     |                  |                                                 | if(${r_age_months} >= 9 and ${r_age_months} <= 59, 1, 0) |                   |          |
        |        | end repeat   |                |                  |                                                 |                                                          |                   |          |
        |        | calculate    | eligible_count |                  |                                                 | sum(${r_eligible})                                       |                   |          |
        |        | begin repeat | child_module   | Niño             |                                                 |                                                          | ${eligible_count} |          |
        |        | integer      | c_line         | Línea            | indexed-repeat(${r_eligible}, ${roster}, .) = 1 |                                                          |                   | yes      |
        |        | calculate    | c_name         |                  |                                                 | indexed-repeat(${r_name}, ${roster}, ${c_line})          |                   |          |
        |        | note         | c_note         | Niño: ${c_name}  |                                                 |                                                          |                   |          |
        |        | end repeat   |                |                  |                                                 |                                                          |                   |          |
        """, True),
    Case("details_by_position", "test_repeat.py::test_indexed_repeat_relative_path (position(..) as the index)", """
        | survey | type         | name          | label                  | calculation                                             | repeat_count        |
        |        | begin repeat | l1_repeat     | L1                     |                                                         |                     |
        |        | text         | l1_label      | Etiqueta               |                                                         |                     |
        |        | end repeat   |               |                        |                                                         |                     |
        |        | begin repeat | l1_details    | Detalle                |                                                         | count(${l1_repeat}) |
        |        | calculate    | current_label |                        | indexed-repeat(${l1_label}, ${l1_repeat}, position(..)) |                     |
        |        | note         | n             | Sobre ${current_label} |                                                         |                     |
        |        | end repeat   |               |                        |                                                         |                     |
        """, True),
    Case("repeat_count_number_jr_alias", "test_sheet_columns.py::test_repeat_count__jr_alias", """
        | survey | type         | name | label | jr:count |
        |        | begin repeat | a    | 1     | 3        |
        |        | text         | b    | 2     |          |
        |        | end repeat   | a    |       |          |
        """, True),
    Case("repeat_count_reference", "test_repeat_count.py", """
        | survey | type         | name     | label    | repeat_count |
        |        | integer      | personas | Personas |              |
        |        | begin repeat | persona  | Persona  | ${personas}  |
        |        | text         | nombre   | Nombre   |              |
        |        | end repeat   |          |          |              |
        """, True),
    Case("repeat_without_end", "test_repeat.py (unmatched begin repeat)", """
        | survey | type         | name | label |
        |        | begin repeat | rep  | Rep   |
        |        | text         | a    | A     |
        """, False, Refusal("survey", 2, "rep", "rep")),
    Case("end_group_without_begin", "test_group.py (unmatched end group)", """
        | survey | type      | name | label |
        |        | text      | a    | A     |
        |        | end group |      |       |
        """, False, Refusal("survey", 3, "end_group", "end_group")),
    # --- Groups -------------------------------------------------------------------------------------
    Case("field_list_group", "test_fieldlist_labels.py", """
        | survey | type        | name  | label   | appearance |
        |        | begin group | datos | Datos   | field-list |
        |        | text        | a     | A       |            |
        |        | integer     | b     | B       |            |
        |        | end group   |       |         |            |
        """, True),
    Case("group_relevant_nested", "test_groups.py", """
        | survey | type        | name   | label  | relevant    |
        |        | integer     | edad   | Edad   |             |
        |        | begin group | adulto | Adulto | ${edad} >= 18 |
        |        | begin group | trabajo | Trabajo |           |
        |        | text        | oficio | Oficio |             |
        |        | end group   |        |        |             |
        |        | end group   |        |        |             |
        """, True),
    Case("table_list", "test_table_list.py", """
        | survey  | type          | name  | label   | appearance |
        |         | begin group   | tabla | Tabla   | table-list |
        |         | select_one sn | q1    | Q1      |            |
        |         | select_one sn | q2    | Q2      |            |
        |         | end group     |       |         |            |
        | choices | list_name | name | label |
        |         | sn        | si   | Sí    |
        |         | sn        | no   | No    |
        """, True),
    Case("group_named_as_form", "test_fields.py::test_duplicate_form_name_in_section_name", """
        | survey | type        | name | label   |
        |        | begin group | data | Grupo   |
        |        | text        | a    | A       |
        |        | end group   |      |         |
        """, True),
    Case("field_named_as_form", "test_fields.py::test_field_name_may_match_form_name", """
        | survey | type | name | label        |
        |        | date | date | Fecha        |
        |        | text | data | Actividad    |
        """, True),
    # --- Calculations, defaults, constraints, required ----------------------------------------------
    Case("dynamic_default_in_group", "test_dynamic_default.py::test_dynamic_default_in_group", """
        | survey | type        | name | label | default |
        |        | integer     | q0   | Foo   |         |
        |        | begin group | g1   | G1    |         |
        |        | integer     | q1   | Bar   | ${q0}   |
        |        | end group   | g1   |       |         |
        """, True),
    Case("static_default_in_repeat", "test_dynamic_default.py::test_static_default_in_repeat", """
        | survey | type         | name | label | default |
        |        | begin repeat | r1   | R1    |         |
        |        | integer      | q1   | Bar   | 12      |
        |        | end repeat   | r1   |       |         |
        """, True),
    Case("dynamic_default_random", "test_dynamic_default.py::test_dynamic_default_in_repeat", """
        | survey | type         | name | label      | default   |
        |        | begin repeat | r1   | Hogares    |           |
        |        | integer      | q0   | Edad       | random()  |
        |        | text         | q1   | Sentir     | not_func$ |
        |        | end repeat   | r1   |            |           |
        """, True, Refusal("survey", 3, "random", "random")),
    Case("calculate_column_alias", "test_sheet_columns.py::test_calculate_alias", """
        | survey | type      | name   | label   | calculate     |
        |        | decimal   | monto  | Monto   |               |
        |        | calculate | doble  | Doble   | ${monto} * 2  |
        """, True),
    Case("round_calculation", "test_bug_round_calculation.py", """
        | survey | type      | name | label | calculation     |
        |        | decimal   | a    | A     |                 |
        |        | calculate | b    |       | round(${a}, 2)  |
        """, True),
    Case("constraint_and_required_messages", "test_bind_conversions.py, constraint/required messages", """
        | survey | type    | name | label::Español (es) | label::English (en) | constraint | constraint_message::Español (es) | constraint_message::English (en) | required | required_message::Español (es) | required_message::English (en) |
        |        | integer | edad | Edad                | Age                 | . >= 0 and . <= 120 | Edad inválida    | Invalid age                      | yes      | Falta la edad                  | Age missing                    |
        """, True),
    Case("required_expression_and_readonly", "test_bind_conversions.py (required / readonly expressions)", """
        | survey | type          | name   | label  | required             | read_only       |
        |        | select_one sn | tiene  | ¿Tiene? |                     |                 |
        |        | text          | cual   | ¿Cuál? | ${tiene} = 'si'      | ${tiene} = 'no' |
        | choices | list_name | name | label |
        |         | sn        | si   | Sí    |
        |         | sn        | no   | No    |
        """, True),
    Case("date_constraint_today", "test_bind_conversions.py (constraint on a date)", """
        | survey | type | name  | label | constraint    | default |
        |        | date | fecha | Fecha | . <= today()  | today() |
        """, True),
    # --- Languages ----------------------------------------------------------------------------------
    Case("two_languages_with_guidance", "test_repeat.py::test_output_with_guidance_hint_translation_relative_path", """
        | survey | type | name   | label::English (en) | label::Indonesia (id) | guidance_hint::English (en) |
        |        | text | nombre | Name                | Nama                  | More                        |
        """, True),
    Case("missing_translation", "test_translations.py (a language missing on one row)", """
        | survey  | type          | name | label::English (en) | label::French (fr) | hint::English (en) |
        |         | select_one c1 | q1   | Question 1          | Question A         | A hint             |
        |         | text          | q2   | Question 2          |                    |                    |
        | choices | list_name | name | label::English (en) | label::French (fr) |
        |         | c1        | na   | la                  |                    |
        |         | c1        | nb   | lb                  | lb-f               |
        """, True),
    Case("default_language_not_a_column", "test_language_warnings.py", """
        | settings | default_language |
        |          | French (fr)      |
        | survey   | type | name | label::English (en) |
        |          | text | q1   | Q1                  |
        """, True),
    Case("language_name_too_long", "test_translations.py (a language name longer than the site keeps)", """
        | survey | type | name | label::Español del valle alto, como lo hablan en las comunidades de la cuenca, escrito para esta encuesta (es) |
        |        | text | q1   | Uno |
        """, True, Refusal("survey", 1, "characters in its name", "como máximo 100")),
    Case("default_language_beside_plain_columns", "test_translations.py::test_missing_translation__one_lang_simple__no_warn__default", """
        | settings | default_language |
        |          | eng              |
        | survey | type | name | label | label::eng | hint       |
        |        | note | n1   | hello | hi there   | salutation |
        """, True),
    Case("one_language_every_column", "test_translations.py::test_no_default__one_translation__label_and_hint_all_cols", """
        | survey | type | name | label::eng | hint::eng  | guidance_hint::eng | media::image::eng | media::video::eng | media::audio::eng | constraint_message::eng | required_message::eng |
        |        | note | n1   | hello      | salutation | greeting           | greeting.jpg      | greeting.mkv      | greeting.mp3      | check me                | mandatory             |
        """, True),
    Case("no_language_every_column", "test_translations.py::test_no_default__no_translation__label_and_hint_all_cols", """
        | survey | type | name | label | hint       | guidance_hint | media::image | media::video | media::audio | constraint_message | required_message |
        |        | note | n1   | hello | salutation | greeting      | greeting.jpg | greeting.mkv | greeting.mp3 | check me           | mandatory        |
        """, True),
    Case("choices_media_with_default_language", "test_translations.py (choices with media in the default language only)", """
        | settings | default_language |
        |          | eng              |
        | survey  | type          | name | label | label::eng | hint       | hint::eng |
        |         | select_one c1 | q1   | hello | hi there   | salutation | salut     |
        | choices | list_name | name | label | label::eng | media::audio | media::image | media::video |
        |         | c1        | na   | la-d  | la-e       | la-d.mp3     | la-d.jpg     | la-d.mkv     |
        |         | c1        | nb   | lb-d  | lb-e       | lb-d.mp3     | lb-d.jpg     | lb-d.mkv     |
        """, True),
    Case("language_only_on_choices", "test_translations.py (a language that only the choices have)", """
        | survey  | type          | name | label |
        |         | select_one c1 | q1   | Q1    |
        | choices | list_name | name | label | label::fr |
        |         | c1        | a    | A     | Af        |
        """, True),
    Case("translated_choices_in_secondary_instance", "test_secondary_instance_translations.py", """
        | survey  | type          | name | label::en | label::fr | choice_filter |
        |         | select_one c1 | q1   | Q1        | Q1f       | true()        |
        | choices | list_name | name | label::en | label::fr |
        |         | c1        | a    | A         | Af        |
        """, True),
    Case("label_and_plain_label_mixed", "test_translations.py (default and named languages together)", """
        | survey | type | name | label | label::English (en) |
        |        | text | q1   | Uno   | One                 |
        |        | text | q2   | Dos   |                     |
        """, True),
    # --- Media --------------------------------------------------------------------------------------
    Case("media_columns", "test_translations.py (media::image, media::audio, media::video)", """
        | survey | type | name | label | media::image | media::audio | media::video |
        |        | note | n1   | Mire  | foto.png     | voz.mp3      | clip.mp4     |
        """, True),
    Case("media_translated_and_big_image", "test_image_app_parameter.py / media big-image", """
        | survey | type | name | label::English (en) | media::image::English (en) | media::big-image::English (en) |
        |        | note | n1   | Look                | small.png                  | big.png                        |
        """, True),
    Case("media_on_choices", "test_translations.py (choice media)", """
        | survey  | type          | name | label |
        |         | select_one c1 | q1   | Q1    |
        | choices | list_name | name | label | media::image |
        |         | c1        | a    | A     | a.png        |
        |         | c1        | b    | B     | b.png        |
        """, True),
    Case("hint_without_label", "test_sheet_columns.py::test_label_node_added_when_hint_given_but_no_label_value", """
        | survey | type | name | label | media::image | hint |
        |        | text | a    |       |              | h    |
        |        | text | b    | l     |              |      |
        |        | text | c    |       | m.png        |      |
        """, True),
    Case("big_image_without_image", "test_sheet_columns.py::test_big_image_invalid_if_no_image", """
        | survey | type | name | label | media::big-image |
        |        | text | b    | B     |                  |
        |        | text | c    |       | m.png            |
        """, False, Refusal("survey", 3, "big-image", "big-image")),
    Case("plain_media_column", "test_sheet_columns.py::test_media_column__is_ignored", """
        | survey | type | name | label | media |
        |        | text | c    | C     | m.png |
        """, True),
    Case("no_label_no_hint", "test_sheet_columns.py::test_label_or_hint__must_be_provided", """
        | survey | type | name | label |
        |        | text | q0   | Q0    |
        |        | text | q1   |       |
        """, False, Refusal("survey", 3, "no label or hint", "no label or hint")),
    Case("image_max_pixels", "test_max_pixels.py / test_image_app_parameter.py", """
        | survey | type  | name | label | parameters      |
        |        | image | foto | Foto  | max-pixels=640  |
        """, True),
    Case("audio_quality", "test_audio_quality.py", """
        | survey | type  | name | label | parameters     |
        |        | audio | voz  | Voz   | quality=normal |
        """, True),
    Case("audio_bad_quality", "test_audio_quality.py (invalid value)", """
        | survey | type        | name   | label  | parameters  |
        |        | text        | nombre | Nombre |             |
        |        | begin group | grupo  | Grupo  |             |
        |        | text        | lugar  | Lugar  |             |
        |        | audio       | voz    | Voz    | quality=foo |
        |        | end group   |        |        |             |
        """, False, Refusal("survey", 5, "quality", "quality")),
    # --- Geo ----------------------------------------------------------------------------------------
    Case("gps_alias", "test_geo.py::test_gps_type", """
        | survey | type | name  | label |
        |        | gps  | lugar | GPS   |
        """, True),
    Case("geo_types_in_repeat", "test_geo.py::test_geo_widgets_types", """
        | survey | type         | name       | label            |
        |        | begin_repeat | rep        | Parcelas         |
        |        | geopoint     | punto      | Punto            |
        |        | note         | nota_punto | Punto ${punto}   |
        |        | geotrace     | linea      | Línea            |
        |        | geoshape     | area       | Área             |
        |        | note         | nota_area  | Área: ${area}    |
        |        | end_repeat   |            |                  |
        """, True),
    Case("geoshape_incremental", "test_geo.py::test_with_incremental__geoshape_geotrace__ok", """
        | survey | type     | name | label | parameters       |
        |        | geoshape | q1   | Q1    | incremental=true |
        """, True),
    Case("geopoint_incremental", "test_geo.py::test_with_incremental__geopoint__error", """
        | survey | type     | name | label | parameters       |
        |        | geopoint | q1   | Q1    | incremental=true |
        """, False, Refusal("survey", 2, "incremental", "incremental")),
    Case("geopoint_accuracy", "test_allow_mock_accuracy.py / capture-accuracy", """
        | survey | type     | name | label | parameters                                             |
        |        | geopoint | q1   | Q1    | capture-accuracy=5 warning-accuracy=10 allow-mock-accuracy=true |
        """, True),
    Case("start_geopoint", "test_set_geopoint.py", """
        | survey | type           | name   | label |
        |        | start-geopoint | inicio |       |
        |        | text           | q1     | Q1    |
        """, True),
    # --- Metadata and audit -------------------------------------------------------------------------
    Case("metadata_types", "test_metadata.py", """
        | survey | type          | name   | label |
        |        | start         | start  |       |
        |        | end           | end    |       |
        |        | today         | today  |       |
        |        | deviceid      | device |       |
        |        | username      | user   |       |
        |        | phonenumber   | phone  |       |
        |        | email         | email  |       |
        |        | subscriberid  | sub    |       |
        |        | simserial     | sim    |       |
        |        | text          | q1     | Q1    |
        """, True),
    Case("audit", "test_audit.py::test_audit", """
        | survey | type  | name  | label |
        |        | audit | audit |       |
        |        | text  | q1    | Q1    |
        """, True),
    Case("audit_location", "test_audit.py::test_audit_location_track_changes", """
        | survey | type  | name  | label | parameters |
        |        | audit | audit |       | location-priority=balanced, track-changes=true, location-min-interval=60, location-max-age=300 |
        |        | text  | q1    | Q1    |            |
        """, True),
    Case("audit_other_name", "test_audit.py::test_audit_random_name", """
        | survey | type  | name  | label |
        |        | audit | bobby |       |
        """, False, Refusal("survey", 2, "audit", "audit")),
    Case("audit_bad_track_changes", "test_audit.py::test_audit_track_changes_foo", """
        | survey | type  | name  | label  | parameters        |
        |        | text  | q1    | Q1     |                   |
        |        | audit | audit |        | track-changes=foo |
        """, False, Refusal("survey", 3, "track-changes", "track-changes")),
    Case("background_audio", "test_background_audio.py", """
        | survey | type             | name | label |
        |        | background-audio | ba   |       |
        |        | text             | q1   | Q1    |
        """, True, Refusal("survey", 2, "background", "segundo plano")),
    Case("background_geopoint", "test_background_geopoint.py", """
        | survey | type                | name | label | trigger |
        |        | integer             | q1   | Q1    |         |
        |        | background-geopoint | bg   |       | ${q1}   |
        """, True, Refusal("survey", 3, "background", "segundo plano")),
    # --- Types the site refuses, and other shapes ---------------------------------------------------
    Case("rank", "test_rank.py", """
        | survey  | type     | name | label |
        |         | rank ops | r1   | Orden |
        | choices | list_name | name | label |
        |         | ops       | a    | A     |
        |         | ops       | b    | B     |
        """, True, Refusal("survey", 2, "rank", "rank")),
    Case("entities", "entities/test_create_survey.py::test_basic_entity_creation_building_blocks", """
        | survey   | type    | name  | label |
        |          | text    | a     | A     |
        | entities | dataset | label |       |
        |          | arboles | ${a}  |       |
        """, True, Refusal("entities", 2, "Entities", "entidades")),
    Case("save_to_without_entities", "entities/test_create_survey.py::test_saveto_without_entities_sheet__errors", """
        | survey | type | name | label | save_to |
        |        | text | a    | A     | foo     |
        """, False, Refusal("survey", 2, "save_to", "save_to")),
    Case("last_saved", "test_last_saved.py::test_last_saved_in_calculate", """
        | survey | type      | name     | label | calculation                         |
        |        | text      | foo      | Foo   |                                     |
        |        | calculate | last-foo |       | concat('Foo: ', ${last-saved#foo})  |
        """, True, Refusal("survey", 3, "last-saved", "last-saved")),
    Case("pulldata", "test_external_instances.py (pulldata)", """
        | survey | type      | name   | label  | calculation                                  |
        |        | text      | codigo | Código |                                              |
        |        | calculate | precio |        | pulldata('precios', 'precio', 'name', ${codigo}) |
        """, True),
    Case("pulldata_with_extension", "test_external_instances.py (pulldata with .csv)", """
        | survey | type      | name   | label  | calculation                                      |
        |        | text      | codigo | Código |                                                  |
        |        | calculate | precio |        | pulldata('precios.csv', 'precio', 'name', ${codigo}) |
        """, True, Refusal("survey", 3, "precios", "precios")),
    Case("loop", "test_loop.py", """
        | survey  | type                  | name   | label          |
        |         | begin loop over casas | bucle  | Casa           |
        |         | integer               | cuartos | Cuartos       |
        |         | end loop              |        |                |
        | choices | list_name | name | label |
        |         | casas     | a    | A     |
        |         | casas     | b    | B     |
        """, True, Refusal("survey", 2, "loop", "bucle")),
    Case("xml_external", "test_external_instances.py (xml-external)", """
        | survey | type         | name   | label |
        |        | xml-external | mydata |       |
        |        | text         | q1     | Q1    |
        """, True, Refusal("survey", 2, "xml-external", "xml-external")),
    Case("osm", "test_osm.py", """
        | survey  | type         | name  | label |
        |         | osm edificio | osm1  | OSM   |
        | osm     | list_name | name     | label    |
        |         | edificio  | name     | Nombre   |
        """, True, Refusal("survey", 2, "osm", "osm")),
    Case("select_from_repeat_answers", "test_repeat.py (select_one ${repeat question})", """
        | survey | type                 | name    | label    |
        |        | begin repeat         | gente   | Personas |
        |        | text                 | nombre  | Nombre   |
        |        | end repeat           |         |          |
        |        | select_one ${nombre} | elegido | ¿Quién?  |
        """, True, Refusal("survey", 5, "nombre", "nombre")),
    Case("note_acknowledge_hidden_barcode", "test_notes.py and question types", """
        | survey | type        | name   | label           |
        |        | acknowledge | ok     | Confirme        |
        |        | hidden      | oculto |                 |
        |        | barcode     | codigo | Código          |
        |        | note        | nota   | Leído: ${codigo} |
        """, True),
    Case("decimal_bounds", "test_bind_conversions.py (decimal constraint)", """
        | survey | type    | name  | label | constraint           |
        |        | decimal | peso  | Peso  | . >= 0.5 and . <= 99.5 |
        """, True),
    # --- Invalid forms --------------------------------------------------------------------------------
    Case("missing_type_header", "test_sheet_columns.py::test_missing_survey_headers", """
        | survey | select_one list | S1 |
        |        | text            | s2 |
        """, False, Refusal("survey", 1, "type", "type")),
    Case("duplicate_names_case", "test_fields.py::test_duplicate_fields_diff_cases", """
        | survey | Type    | Name | Label   |
        |        | integer | age  | la edad |
        |        | integer | Age  | la edad |
        """, True),
    Case("choices_sheet_missing", "test_sheet_columns.py (a select without a choices sheet)", """
        | survey | type             | name   | label  |
        |        | text             | nombre | Nombre |
        |        | select_one rubro | rubro  | Rubro  |
        """, False, Refusal("survey", 3, "choices sheet", "choices sheet")),
    Case("duplicate_column_header", "test_sheet_columns.py::test_duplicate_header_raises_error", """
        | survey  | type | name | label | label |
        |         | text | q1   | Uno   | One   |
        """, False, Refusal("survey", 1, "Duplicate column header", "Duplicate column header")),
    Case("name_and_value_columns", "test_sheet_columns.py::test_conflicting_aliased_values_raises_error", """
        | survey | type | name   | value   | label      |
        |        | text | q_name | q_value | Pregunta 1 |
        """, False, Refusal("survey", 1, "value", "value")),
    Case("unknown_type", "test_builder.py (unknown question type)", """
        | survey | type     | name | label |
        |        | textoo   | q1   | Q1    |
        """, False, Refusal("survey", 2, "textoo", "textoo")),
    Case("name_with_space", "test_survey.py (invalid names)", """
        | survey | type | name     | label |
        |        | text | mi campo | Q1    |
        """, False, Refusal("survey", 2, "Names must begin", "Names must begin")),
    Case("column_case", "test_sheet_columns.py::test_column_case", """
        | Survey | Type    | name   | Label      |
        |        | text    | Name   | El nombre  |
        |        | integer | age    | La edad    |
        """, True),
    # --- A second harvest: shapes from the same tests, one step further --------------------------------
    Case("or_other_translated", "or_other_test.py (or_other with translated labels)", """
        | survey  | type                      | name  | label::English (en) | label::Español (es) |
        |         | select_one rubro or_other | rubro | Trade               | Rubro               |
        | choices | list_name | name   | label::English (en) | label::Español (es) |
        |         | rubro     | textil | Textile             | Textil              |
        """, True),
    Case("or_other_with_choice_filter", "or_other_test.py (or_other with a choice_filter)", """
        | survey  | type                      | name  | label | choice_filter |
        |         | text                      | t     | T     |               |
        |         | select_one rubro or_other | rubro | Rubro | ${t} = 'x'    |
        | choices | list_name | name   | label  |
        |         | rubro     | textil | Textil |
        """, False, Refusal("survey", 3, "or_other", "or_other")),
    Case("select_multiple_choice_with_space", "test_choices_sheet.py (choice names with spaces in a select_multiple)", """
        | survey  | type               | name | label |
        |         | select_multiple c1 | q1   | Q1    |
        | choices | list_name | name | label |
        |         | c1        | a b  | AB    |
        """, False, Refusal("survey", 2, "spaces", "spaces")),
    Case("select_one_choice_with_space", "test_choices_sheet.py (choice names with spaces in a select_one)", """
        | survey  | type          | name | label |
        |         | select_one c1 | q1   | Q1    |
        | choices | list_name | name | label |
        |         | c1        | a b  | AB    |
        """, True),
    Case("repeat_count_expression", "test_repeat_count.py (an expression)", """
        | survey | type         | name | label | repeat_count |
        |        | integer      | n    | N     |              |
        |        | begin repeat | rep  | Rep   | ${n} + 1     |
        |        | text         | t    | T     |              |
        |        | end repeat   |      |       |              |
        """, True),
    Case("repeat_count_own_calculate", "test_repeat_count.py (a calculate named like pyxform's own)", """
        | survey | type         | name      | label | repeat_count | calculation |
        |        | calculate    | rep_count |       |              | 2           |
        |        | begin repeat | rep       | Rep   | ${rep_count} |             |
        |        | text         | t         | T     |              |             |
        |        | end repeat   |           |       |              |             |
        """, True),
    Case("repeat_in_group_in_repeat", "test_repeat.py (nested repeats through a group)", """
        | survey | type         | name | label |
        |        | begin repeat | r1   | R1    |
        |        | begin group  | g    | G     |
        |        | begin repeat | r2   | R2    |
        |        | text         | t    | T     |
        |        | end repeat   |      |       |
        |        | end group    |      |       |
        |        | end repeat   |      |       |
        """, True),
    Case("sum_and_count_of_repeat", "test_repeat.py (aggregates outside the repeat)", """
        | survey | type         | name  | label                  | calculation  |
        |        | begin repeat | r1    | R1                     |              |
        |        | integer      | x     | X                      |              |
        |        | end repeat   |       |                        |              |
        |        | calculate    | total |                        | sum(${x})    |
        |        | calculate    | n     |                        | count(${r1}) |
        |        | note         | nota  | Total ${total} de ${n} |              |
        """, True),
    Case("end_group_with_other_name", "test_group.py (end group naming another group)", """
        | survey | type        | name | label |
        |        | begin group | g1   | G1    |
        |        | text        | a    | A     |
        |        | end group   | g2   |       |
        """, True),
    Case("group_without_name", "test_group.py (begin group without name)", """
        | survey | type        | name | label |
        |        | begin group |      | G     |
        |        | text        | a    | A     |
        |        | end group   |      |       |
        """, False, Refusal("survey", 2, "no name", "no name")),
    Case("group_named_meta", "test_metadata.py (a group of the form named meta)", """
        | survey | type        | name | label |
        |        | begin group | meta | Meta  |
        |        | text        | a    | A     |
        |        | end group   |      |       |
        """, False, Refusal("survey", 2, "reserved", "reserved")),
    Case("theme_grid", "test_settings.py (style theme-grid with w appearances)", """
        | settings | style      |
        |          | theme-grid |
        | survey | type        | name | label | appearance |
        |        | begin group | g    | G     | w4         |
        |        | text        | a    | A     | w2         |
        |        | text        | b    | B     | w2         |
        |        | end group   |      |       |            |
        """, True),
    Case("static_defaults_by_type", "test_static_defaults.py", """
        | survey  | type               | name | label | default    |
        |         | date               | d    | D     | 2020-01-01 |
        |         | decimal            | x    | X     | 1.5        |
        |         | select_one c1      | s    | S     | a          |
        |         | select_multiple c1 | m    | M     | a b        |
        |         | time               | h    | H     | 10:30      |
        |         | integer            | i    | I     | foo        |
        | choices | list_name | name | label |
        |         | c1        | a    | A     |
        |         | c1        | b    | B     |
        """, True),
    Case("text_rows_parameter", "test_parameters_rows.py", """
        | survey | type | name | label | parameters |
        |        | text | q1   | Q1    | rows=5     |
        """, True),
    Case("image_appearances_and_file", "test_image_app_parameter.py (signature, draw) and file", """
        | survey | type  | name  | label | appearance |
        |        | image | firma | Firma | signature  |
        |        | image | dib   | Dib   | draw       |
        |        | file  | doc   | Doc   |            |
        """, True),
    Case("note_with_calculation", "test_notes.py (a note with a calculation)", """
        | survey | type | name | label | calculation |
        |        | note | n1   | Total | 1 + 1       |
        """, True),
    Case("range_tick_parameters", "test_range.py (tick_interval and placeholder)", """
        | survey | type  | name | label | parameters                                          |
        |        | range | r    | R     | start=0 end=10 step=1 tick_interval=2 placeholder=5 |
        """, True),
    Case("range_tick_labels", "test_range.py (tick_labelset naming a choice list)", """
        | survey  | type  | name | label | parameters                                   |
        |         | range | r    | R     | start=0 end=10 step=1 tick_labelset=extremos |
        | choices | list_name | name | label |
        |         | extremos  | 0    | Nada  |
        |         | extremos  | 10   | Mucho |
        """, True),
    Case("range_rating_with_ticks", "test_range.py (tick parameters with the rating appearance)", """
        | survey | type  | name | label | parameters                                          | appearance |
        |        | range | r    | R     | start=0 end=10 step=1 tick_interval=2 placeholder=5 | rating     |
        """, False, Refusal("survey", 2, "range", "range")),
    Case("old_style_image_column", "test_translations.py (image::English without media::)", """
        | survey | type | name | label::English (en) | image::English (en) |
        |        | note | n1   | Look                | a.png               |
        """, True),
    Case("jr_constraint_msg_column", "test_bind_conversions.py (jr:constraintMsg header)", """
        | survey | type    | name | label | constraint | jr:constraintMsg |
        |        | integer | q1   | Q1    | . > 1      | Mayor a 1        |
        """, True),
    Case("body_accuracy_threshold", "test_geo.py (body::accuracyThreshold)", """
        | survey | type     | name | label | body::accuracyThreshold |
        |        | geopoint | q1   | Q1    | 5                       |
        """, True),
    Case("set_geopoint_on_trigger", "test_set_geopoint.py (geopoint with a trigger)", """
        | survey | type     | name | label | trigger |
        |        | text     | a    | A     |         |
        |        | geopoint | g    | G     | ${a}    |
        """, True),
    Case("choice_name_in_calculation", "test_bind_conversions.py (jr:choice-name)", """
        | survey  | type          | name | label | calculation                    |
        |         | select_one c1 | q1   | Q1    |                                |
        |         | calculate     | cn   |       | jr:choice-name(${q1}, '${q1}') |
        | choices | list_name | name | label |
        |         | c1        | a    | A     |
        """, True),
    Case("choice_filter_with_selected", "test_repeat.py::test_choice_filter_relative_path (selected())", """
        | survey  | type               | name | label | choice_filter         |
        |         | select_multiple c1 | q1   | Q1    |                       |
        |         | select_one c1      | q2   | Q2    | selected(${q1}, name) |
        | choices | list_name | name | label |
        |         | c1        | a    | A     |
        |         | c1        | b    | B     |
        """, True),
    Case("select_from_file_randomized", "test_randomize_itemsets.py::test_randomized_external_xml_instance", """
        | survey | type                              | name | label | parameters     |
        |        | select_one_from_file ciudades.csv | c    | C     | randomize=true |
        """, True),
    Case("required_words", "test_bind_conversions.py (required as no, false(), TRUE)", """
        | survey | type | name | label | required |
        |        | text | a    | A     | no       |
        |        | text | b    | B     | false()  |
        |        | text | c    | C     | TRUE     |
        """, True),
    Case("calculate_without_calculation", "test_sheet_columns.py (calculate without a calculation)", """
        | survey | type      | name | label |
        |        | calculate | c    |       |
        """, False, Refusal("survey", 2, "Missing calculation", "Missing calculation")),
    Case("instance_expression", "test_choices_sheet.py (instance('list') in a calculation)", """
        | survey  | type          | name | label | calculation                                 |
        |         | select_one c1 | q1   | Q1    |                                             |
        |         | calculate     | p    |       | instance('c1')/root/item[name=${q1}]/precio |
        | choices | list_name | name | label | precio |
        |         | c1        | a    | A     | 10     |
        """, True, Refusal("survey", 3, "[", "[")),
    Case("area_of_geoshape", "test_area.py", """
        | survey | type      | name | label | calculation |
        |        | geoshape  | s    | S     |             |
        |        | calculate | a    |       | area(${s})  |
        """, True, Refusal("survey", 3, "area", "area")),
    Case("name_outside_ascii", "test_survey.py (names with letters outside ASCII)", """
        | survey | type    | name | label |
        |        | integer | año  | Año   |
        """, True, Refusal("survey", 2, "a-z", "a-z")),
    Case("choice_with_image_only", "test_translations.py (a choice with an image and no label)", """
        | survey  | type          | name | label |
        |         | select_one c1 | q1   | Q1    |
        | choices | list_name | name | media::image |
        |         | c1        | a    | a.png        |
        """, True, Refusal("choices", 2, "needs a label", "necesita una etiqueta")),
    Case("csv_external", "test_external_instances.py (csv-external)", """
        | survey | type         | name  | label |
        |        | csv-external | datos |       |
        |        | text         | a     | A     |
        """, True, Refusal("survey", 2, "csv-external", "csv-external")),
    Case("labels_with_markup", "test_notes.py (markdown and HTML in a label)", """
        | survey | type | name | label                                              |
        |        | note | n    | <span style="color:red">**Atención**</span> _ya_   |
        """, True),
    Case("extra_sheet_and_blank_rows", "test_sheet_columns.py (a sheet pyxform ignores, a blank row)", """
        | survey | type | name | label |
        |        | text | a    | A     |
        |        |      |      |       |
        |        | text | b    | B     |
        | notas  | algo |
        |        | x    |
        """, True),
    Case("type_with_extra_spaces", "test_choices_sheet.py (select_one   list with extra spaces)", """
        | survey  | type            | name | label |
        |         | select_one   c1 | q1   | Q1    |
        | choices | list_name | name | label |
        |         | c1        | a    | A     |
        """, True),
]
# fmt: on
