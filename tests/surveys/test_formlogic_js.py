"""formlogic.js computes what surveys/formlogic.py computes, on generated forms and answers, in Chromium."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from surveys.expressions import path_from_key
from surveys.formlogic import evaluate_form, result_to_json
from tests.surveys.expression_strategies import forms
from tests.surveys.test_expressions_js import hypothesis_corpus

STATIC = Path(django_settings.BASE_DIR) / "static" / "surveys" / "js"
SCRIPT = STATIC / "formlogic.js"


@pytest.fixture
def blank(page):
    page.set_content("<!doctype html><title>form logic</title>")
    page.add_script_tag(path=STATIC / "expressions.js")
    page.add_script_tag(path=SCRIPT)
    return page


def python_result(form, input_):
    values = {
        name: {path_from_key(key): value for key, value in by_path.items()}
        for name, by_path in input_["values"].items()
    }
    counts = {
        name: {path_from_key(key): count for key, count in by_path.items()}
        for name, by_path in input_["counts"].items()
    }
    result = evaluate_form(
        form,
        values,
        counts=counts,
        now=datetime.datetime.fromisoformat(input_["now"]),
        utc_offset=input_.get("utc_offset"),
        uuid=input_["uuid"],
        choices=input_["choices"],
        choice_labels=input_["choice_labels"],
        changed={name: [path_from_key(key) for key in keys] for name, keys in input_.get("changed", {}).items()},
    )
    return result_to_json(result)


def test_the_script_never_evaluates_code():
    source = SCRIPT.read_text()
    assert not re.search(r"\beval\(|new Function|\bFunction\(|innerHTML|setTimeout\(\s*['\"`]", source)


def test_javascript_computes_the_form_like_python(blank):
    cases = hypothesis_corpus(forms(), 400)
    expected = [python_result(form, input_) for form, input_ in cases]
    actual = blank.evaluate(
        "cases => cases.map(([form, input]) => CasebookFormLogic.evaluateForm(form, input))",
        [list(case) for case in cases],
    )
    disagreements = [(case, py, js) for case, py, js in zip(cases, expected, actual, strict=True) if py != js]
    assert disagreements[:1] == []
    relevance = [shown for result in expected for by_path in result["relevant"].values() for shown in by_path.values()]
    assert set(relevance) == {True, False}
    kinds = {error["kind"] for result in expected for error in result["errors"]}
    assert kinds == {"required", "constraint", "choice"}
    assert any(not result["errors"] for result in expected)
    assert len({result["counts"]["r"][""] for result in expected}) >= 3
