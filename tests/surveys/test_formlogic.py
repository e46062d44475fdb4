"""Form logic: what ODK computes from a form and its answers, and the problems check_form reports."""

import datetime

import pytest
from django.utils import translation

from surveys import expressions, formlogic
from surveys.formcheck import check_form
from surveys.formlogic import MAX_REPEAT_COUNT, compile_form, evaluate_form, result_to_json

NOW = datetime.datetime(2024, 3, 10, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def q(name, type_="text", **attributes):
    return {"name": name, "kind": "question", "type": type_, **attributes}


# A firm with product lines (a repeat) and, per line, its buyers (a nested repeat).
FIRM = [
    q("exports", "select_one"),
    {"name": "markets", "kind": "group", "type": "group", "relevant": "${exports} = 'yes'"},
    q("share", "integer", parent="markets", constraint=". >= 0 and . <= 100", required="yes"),
    q("buyer", "text", parent="markets", relevant="${share} > 50"),
    q("lines", "integer", constraint=". <= 5"),
    {"name": "line", "kind": "repeat", "type": "repeat", "repeat_count": "${lines}"},
    q("product", "text", parent="line", required="yes"),
    q("tons", "decimal", parent="line"),
    q("label", "calculate", parent="line", calculation="concat(position(..), '. ', ${product})"),
    {"name": "buyers", "kind": "repeat", "type": "repeat", "parent": "line"},
    q("buyer_name", "text", parent="buyers", relevant="${tons} > 0"),
    q("total", "calculate", calculation="sum(${tons})"),
    q("heavy", "calculate", calculation="if(${total} > 100, 'yes', 'no')"),
]


def run(form, values, **kwargs):
    kwargs.setdefault("now", NOW)
    return evaluate_form(form, values, **kwargs)


def test_relevance_cascades_through_groups_and_hidden_answers_are_dropped_without_errors():
    values = {"exports": {(): "no"}, "share": {(): "250"}, "buyer": {(): "Walmart"}, "lines": {(): "0"}}
    result = run(FIRM, values)
    assert result["relevant"]["markets"] == {(): False}
    assert result["relevant"]["share"] == {(): False} and result["relevant"]["buyer"] == {(): False}
    assert "share" not in str(result["values"]["share"]) and result["values"]["share"] == {}
    assert result["errors"] == []  # 250 breaks the constraint, but the question is hidden

    values["exports"] = {(): "yes"}
    result = run(FIRM, values)
    assert result["relevant"]["buyer"] == {(): True}
    assert result["errors"] == [{"name": "share", "path": (), "kind": "constraint"}]
    assert result["constraint_ok"]["share"] == {(): False}


def test_repeat_count_calculations_and_sums_follow_the_answers():
    values = {
        "exports": {(): "no"},
        "lines": {(): "2"},
        "product": {(1,): "cacao", (2,): "café"},
        "tons": {(1,): "80", (2,): "45.5"},
        "buyer_name": {(1, 1): "Ana", (2, 1): "Luis"},
    }
    result = run(FIRM, values, counts={"buyers": {(1,): 1, (2,): 1}})
    assert result["counts"] == {"line": {(): 2}, "buyers": {(1,): 1, (2,): 1}}
    assert result["values"]["label"] == {(1,): "1. cacao", (2,): "2. café"}
    assert result["values"]["total"] == {(): "125.5"}
    assert result["values"]["heavy"] == {(): "yes"}  # computed after total although it reads it
    assert result["errors"] == []

    values["tons"][(2,)] = "0"
    result = run(FIRM, values, counts={"buyers": {(1,): 1, (2,): 1}})
    assert result["relevant"]["buyer_name"] == {(1, 1): True, (2, 1): False}
    assert result["values"]["buyer_name"] == {(1, 1): "Ana"}


def test_repeat_count_reads_nan_and_negatives_as_zero_and_is_capped():
    for lines, count in (("", 0), ("-3", 0), ("2.9", 2), ("1e9", MAX_REPEAT_COUNT)):
        assert run(FIRM, {"lines": {(): lines}})["counts"]["line"] == {(): count}


def test_required_empty_answers_are_errors_only_where_relevant():
    values = {"lines": {(): "2"}, "product": {(1,): "cacao"}}
    result = run(FIRM, values)
    assert result["required"]["product"] == {(1,): True, (2,): True}
    assert result["errors"] == [{"name": "product", "path": (2,), "kind": "required"}]
    form = [
        q("a"),
        q("b", required="${a} = 'x'"),
        q("n", "note", required="yes"),
        q("c", "calculate", calculation="''", required="yes"),
    ]
    assert run(form, {"a": {(): "x"}})["errors"] == [{"name": "b", "path": (), "kind": "required"}]
    assert run(form, {"a": {(): "y"}})["errors"] == []


def test_a_constraint_is_checked_only_on_a_value_with_dot_as_that_value():
    form = [q("ruc", constraint="regex(., '^[0-9]{11}$')")]
    assert run(form, {"ruc": {(): ""}})["constraint_ok"] == {"ruc": {(): True}}
    assert run(form, {"ruc": {(): "123"}})["errors"] == [{"name": "ruc", "path": (), "kind": "constraint"}]
    assert run(form, {"ruc": {(): "20123456789"}})["errors"] == []


def test_defaults_apply_only_where_a_node_was_never_given_a_value():
    form = [q("region", default="Cusco"), q("visits", "integer", default="${base} + 1"), q("base", "integer")]
    result = run(form, {"base": {(): "4"}})
    assert result["values"]["region"] == {(): "Cusco"} and result["values"]["visits"] == {(): "5"}
    result = run(form, {"region": {(): ""}, "visits": {(): "9"}, "base": {(): "4"}})
    assert result["values"]["region"] == {(): ""} and result["values"]["visits"] == {(): "9"}
    assert run([q("when", "date", default="today()")], {})["values"]["when"] == {(): "2024-03-10"}
    assert run([q("x", default="2024-01-31")], {})["values"]["x"] == {(): "2024-01-31"}  # literal text


def test_choice_filters_read_the_choice_columns_and_values_outside_them_are_errors():
    choices = {
        "city": [
            {"name": "cusco", "state": "cusco", "label": "Cusco"},
            {"name": "urubamba", "state": "cusco", "label": "Urubamba"},
            {"name": "lima", "state": "lima", "label": "Lima"},
        ],
        "crops": [{"name": "coffee"}, {"name": "cocoa"}, {"name": "quinoa"}],
    }
    form = [
        q("state", "select_one"),
        q("city", "select_one", choice_filter="state = ${state}"),
        q("crops", "select_multiple", choice_filter="name != 'quinoa' or ${state} = 'cusco'"),
    ]
    result = run(form, {"state": {(): "lima"}, "city": {(): "cusco"}, "crops": {(): "coffee quinoa"}}, choices=choices)
    assert result["choices"]["city"] == {(): ["lima"]}
    assert result["choices"]["crops"] == {(): ["coffee", "cocoa"]}
    assert result["errors"] == [
        {"name": "city", "path": (), "kind": "choice", "values": ["cusco"]},
        {"name": "crops", "path": (), "kind": "choice", "values": ["quinoa"]},
    ]
    assert run(form, {"state": {(): "cusco"}, "city": {(): "cusco"}}, choices=choices)["errors"] == []


def test_read_only_and_jr_choice_name_in_the_forms_language():
    form = [
        q("a", "select_one"),
        q("shown", "calculate", calculation="jr:choice-name(${a}, '${a}')"),
        q("b", read_only="${a} = 'x'"),
    ]
    result = run(form, {"a": {(): "x"}}, choice_labels={"a": {"x": "Equis"}})
    assert result["values"]["shown"] == {(): "Equis"}
    assert result["read_only"]["b"] == {(): True}


def test_once_keeps_a_calculated_identifier_across_evaluations():
    form = [q("key", "calculate", calculation="once(concat('K-', uuid()))")]
    first = run(form, {}, uuid="0001")["values"]["key"][()]
    assert first == "K-0001"
    assert run(form, {"key": {(): first}}, uuid="0002")["values"]["key"] == {(): "K-0001"}


def test_cycles_end_and_are_reported_by_check_form():
    form = [
        q("a", "calculate", calculation="${b} + 1"),
        q("b", "calculate", calculation="${a} + 1"),
        q("c", relevant="${c} != ''"),
    ]
    result = run(form, {})
    assert result["values"]["a"] == {(): ""} and result["values"]["b"] == {(): ""}
    problems = check_form(form)
    assert [(p.attribute, p.message) for p in problems["a"]] == [("calculation", "'a' depends on itself: a → b → a.")]
    assert [(p.attribute, p.message) for p in problems["b"]] == [("calculation", "'b' depends on itself: b → a → b.")]
    assert [(p.attribute, p.message) for p in problems["c"]] == [("relevant", "'c' depends on itself: c → c.")]


def test_check_form_reports_every_problem_by_node_and_attribute():
    form = [
        q("a", relevant="${zz} = 1"),
        q("a"),
        q("b", parent="nowhere", calculation="digest(${a}, 'SHA-256')"),
        q("c", constraint=". = yes", repeat_count="2"),
        {"name": "r", "kind": "repeat", "type": "repeat"},
        q("d", parent="r", calculation="indexed-repeat(${a}, ${r}, 1) + jr:choice-name(${a}, '${a}')"),
        q("e", "select_one", choice_filter="region = ${a}"),
        q("f", required="yes", read_only="false()", default="12"),
    ]
    problems = check_form(form, choices={"e": [{"name": "x", "state": "lima"}]})
    described = {name: [(p.attribute, p.message, p.position) for p in found] for name, found in problems.items()}
    assert described == {
        "a": [
            ("name", "The name 'a' is used by more than one question, group or repeat.", None),
            ("relevant", "Unknown question 'zz' at character 3.", 2),
        ],
        "b": [
            ("parent", "'b' is inside 'nowhere', which is not a group or repeat of the form.", None),
            ("calculation", "The function 'digest' at character 1 is not supported.", 0),
        ],
        "c": [
            ("constraint", "'yes' at character 5 is not a question: write ${yes} for a question or 'yes' for text.", 4),
            ("repeat_count", "Only a repeat can have a repeat_count.", None),
        ],
        "d": [
            ("calculation", "indexed-repeat() at character 1: 'r' is not a repeat around 'a'.", 0),
            ("calculation", "jr:choice-name() at character 33: 'a' is not a select question.", 32),
        ],
        "e": [("choice_filter", "The choices have no column 'region' (character 1).", 0)],
    }
    with translation.override("es"):
        assert problems["b"][1].message == "La función 'digest' en el carácter 1 no está soportada."
    assert check_form(FIRM) == {}


def test_a_choice_filter_without_a_choice_list_accepts_any_column():
    assert check_form([q("e", "select_one", choice_filter="whatever = 'x'")]) == {}


def test_results_convert_to_the_browsers_json_shape():
    values = {"lines": {(): "1"}, "product": {(1,): "cacao"}, "tons": {(1,): "3"}}
    result = run(FIRM, values, counts={"buyers": {(1,): 2}})
    converted = result_to_json(result)
    assert converted["values"]["product"] == {"1": "cacao"}
    assert converted["relevant"]["buyer_name"] == {"1.1": True, "1.2": True}
    assert converted["counts"]["buyers"] == {"1": 2}


def big_form():
    """250 questions: 200 top-level with logic, and a 10-row repeat of 50 questions."""
    form = [q("n0", "integer")]
    for i in range(1, 200):
        form.append(q(f"n{i}", "integer", relevant=f"${{n{i - 1}}} != 3", constraint=". < 1000", required="${n0} > 0"))
    form.append({"name": "rows", "kind": "repeat", "type": "repeat", "repeat_count": "10"})
    for i in range(50):
        form.append(
            q(
                f"r{i}",
                "decimal",
                parent="rows",
                relevant="position(..) < 9 or ${n0} = 1",
                calculation="" if i else "position(..) * 2",
            )
        )
    form.append(q("total", "calculate", calculation="sum(${r0})"))
    return form


def test_a_big_form_is_parsed_once_and_evaluated_in_linear_work(monkeypatch):
    form = big_form()
    values = {f"n{i}": {(): str(i)} for i in range(200)} | {"n0": {(): "1"}}
    values |= {f"r{i}": {(row,): "1.5" for row in range(1, 11)} for i in range(1, 50)}
    compiled = compile_form(form)
    assert compile_form(compiled) is compiled
    calls = {"evaluate": 0}
    real = expressions.evaluate

    def counting(tree, context):
        calls["evaluate"] += 1
        return real(tree, context)

    monkeypatch.setattr(formlogic.expressions, "evaluate", counting)
    parses = expressions.PARSES["count"]
    first = evaluate_form(compiled, values, now=NOW)
    second = evaluate_form(compiled, values, now=NOW)
    assert first == second
    assert expressions.PARSES["count"] == parses  # no tree is parsed again
    instances = 200 + 1 + 10 * 50 + 1
    assert calls["evaluate"] <= 2 * 3 * instances  # each instance: at most relevant, required, constraint...
    assert first["values"]["total"] == {(): "110"}
    assert first["relevant"]["n4"] == {(): False}  # n3 is 3
    evaluate_form(form, values, now=NOW)  # compiling again reuses the cached trees
    assert expressions.PARSES["count"] == parses


def test_a_triggered_question_is_set_only_when_a_trigger_question_changes():
    form = [
        q("price", "decimal"),
        q("units", "integer"),
        q("offer", "text", trigger="${price}, ${units}", calculation="${price} * ${units}", required="yes"),
        q("note_it", "text", trigger="${price}"),
    ]
    answers = {"price": {(): "2"}, "units": {(): "3"}, "offer": {(): "typed"}, "note_it": {(): "kept"}}
    quiet = run(form, answers)
    assert quiet["values"]["offer"] == {(): "typed"}
    assert quiet["values"]["note_it"] == {(): "kept"}
    fired = run(form, answers, changed={"units": [()]})
    assert fired["values"]["offer"] == {(): "6"}
    assert fired["values"]["note_it"] == {(): "kept"}
    emptied = run(form, answers, changed={"price": [()]})
    assert emptied["values"]["note_it"] == {(): ""}
    # Not computed continuously: with nothing changed, an empty triggered question stays empty (and is required).
    empty = run(form, {"price": {(): "2"}, "units": {(): "3"}})
    assert empty["values"]["offer"] == {}
    assert {"name": "offer", "path": (), "kind": "required"} in empty["errors"]


def test_a_trigger_in_a_repeat_sets_only_its_own_instance_and_those_it_encloses():
    form = [
        q("rate", "decimal"),
        {"name": "line", "kind": "repeat", "type": "repeat"},
        q("tons", "decimal", parent="line"),
        q("cost", "decimal", parent="line", trigger="${tons} ${rate}", calculation="${tons} * ${rate}"),
    ]
    answers = {"rate": {(): "10"}, "tons": {(1,): "1", (2,): "2"}, "cost": {(1,): "7", (2,): "8"}}
    counts = {"line": {(): 2}}
    one = run(form, answers, counts=counts, changed={"tons": [(2,)]})
    assert one["values"]["cost"] == {(1,): "7", (2,): "20"}
    every = run(form, answers, counts=counts, changed={"rate": [()]})
    assert every["values"]["cost"] == {(1,): "10", (2,): "20"}
    assert formlogic.trigger_names("${a}, ${b} c ${a}") == ("a", "b", "c")
