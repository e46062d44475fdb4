"""relevance.js agrees with surveys/relevance.py, and hides and shows questions as the researcher answers."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from surveys.relevance import RelevanceError, evaluate, parse, relevant_codes
from tests.surveys.relevance_strategies import answer_maps, as_json, conditions, render

SCRIPT = Path(django_settings.BASE_DIR) / "static" / "surveys" / "js" / "relevance.js"
GRAMMAR_ALPHABET = "${}()'\"=!<>,.- \t\u00a0abnotselectedrufs0123456789_&😀"


@pytest.fixture
def blank(page):
    page.set_content("<!doctype html><title>relevance</title>")
    page.add_script_tag(path=SCRIPT)
    return page


def hypothesis_corpus(strategy, size):
    """``size`` examples that hypothesis generates from ``strategy``, to send to the browser in one go."""
    corpus = []

    @given(strategy)
    @settings(max_examples=size, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def collect(example):
        corpus.append(example)

    collect()
    return corpus


def test_the_script_never_evaluates_code():
    source = SCRIPT.read_text()
    assert not re.search(r"\beval\(|new Function|\bFunction\(|innerHTML|setTimeout\(\s*['\"`]", source)


def test_javascript_evaluates_like_python(blank):
    corpus = hypothesis_corpus(st.tuples(conditions, st.sampled_from([" ", "", "\n", "\u00a0"]), answer_maps), 400)
    corpus += [  # the documented examples, whatever hypothesis drew this time
        (parse(text), " ", values)
        for text, values in [
            ("${a} = 5", {"a": "5.0"}),
            ("${a} = 5", {"a": "five"}),
            ("${a} != 0", {}),
            ("${a} < 'b'", {"a": "abc"}),
            ("${a} < '2024-01-01'", {"a": "2023-12-31"}),
            ("${a} > 3", {"a": "many"}),
            ("${a} = 'eu usa'", {"a": ["usa", "eu"]}),
            ("${a} = '😀 \uffff'", {"a": ["\uffff", "😀"]}),  # UTF-16 order, not code points
            ("${a} < '\uffff'", {"a": "😀"}),
            ("selected(${a}, 'usa')", {"a": "eu usa"}),
            ("selected(${a}, '5')", {"a": 5}),
            ("${a} = 'yes'", {"a": True}),
        ]
    ]
    cases = [(render(tree, space), values) for tree, space, values in corpus]
    expected = [evaluate(parse(text), values) for text, values in cases]
    actual = blank.evaluate(
        "cases => cases.map(([text, values]) => CasebookRelevance.evaluate(CasebookRelevance.parse(text), values))",
        cases,
    )
    assert len(cases) >= 400
    assert sum(expected) not in (0, len(cases))  # the corpus exercises both outcomes
    disagreements = [(case, py, js) for case, py, js in zip(cases, expected, actual, strict=True) if py is not js]
    assert disagreements == []


def python_parse(text):
    try:
        return {"tree": as_json(parse(text))}
    except RelevanceError as error:
        return {"error": [error.position, error.message]}


JS_PARSE = """texts => texts.map(text => {
    try {
        return {tree: CasebookRelevance.parse(text)};
    } catch (error) {
        if (!(error instanceof CasebookRelevance.RelevanceError)) return {crash: String(error)};
        return {error: [error.position, error.message]};
    }
})"""


def test_javascript_parses_and_rejects_like_python(blank):
    texts = hypothesis_corpus(st.text(alphabet=GRAMMAR_ALPHABET, max_size=40), 300)
    texts += [render(tree) for tree in hypothesis_corpus(conditions, 100)]
    texts += ["", "   ", "(" * 51 + "${a}=1" + ")" * 51, "x" * 1001, "😀" * 1000, "${a} = '" + "é" * 40 + "'"]
    texts += [
        "${a} = 1 '" + "é" * 40 + "'",
        "${a}\u00a0=\u00a01",
        "${a} = 1 )",
        "count-selected(${a}) > 1",
        "not ${a} = 1",
        "${a} = 'it''s'",
        "${a}<=-.5 or .5>5.",
    ]
    with translation.override("en"):
        expected = [python_parse(text) for text in texts]
    actual = blank.evaluate(JS_PARSE, texts)
    assert any("tree" in outcome for outcome in expected) and any("error" in outcome for outcome in expected)
    disagreements = [(text, py, js) for text, py, js in zip(texts, expected, actual, strict=True) if py != js]
    assert disagreements == []


def test_javascript_cascades_like_python(blank):
    questions = [
        ["a", ""],
        ["b", "${a} != ''"],
        ["c_1", "${b} = 'yes' or ${a} = 5"],
        ["d.x", "not(${c_1} = '') and ${zz} = ''"],
        ["e", "${d.x} >"],
    ]
    value_maps = hypothesis_corpus(answer_maps, 150)
    expected = [sorted(relevant_codes(questions, values)) for values in value_maps]
    actual = blank.evaluate(
        "([questions, maps]) => maps.map(values => CasebookRelevance.relevantCodes(questions, values).sort())",
        [questions, value_maps],
    )
    assert actual == expected
    assert len({len(codes) for codes in expected}) >= 3  # the maps hide and show a variety


FORM = """<!doctype html>
<form data-relevance-form>
  <fieldset data-question data-code="exports" data-type="yes_no">
    <label><input type="radio" name="exports" value="yes"> Sí</label>
    <label><input type="radio" name="exports" value="no"> No</label>
  </fieldset>
  <fieldset data-question data-code="markets" data-type="multiple_choice" data-relevant="${exports} = 'yes'">
    <label><input type="checkbox" name="markets" value="usa"> EE.UU.</label>
    <label><input type="checkbox" name="markets" value="eu"> Unión Europea</label>
  </fieldset>
  <div data-question data-code="usa_share" data-type="integer" data-relevant="selected(${markets}, 'usa')">
    <input type="number" name="usa_share">
  </div>
  <div data-question data-code="usa_buyers" data-type="long_text" data-relevant="${usa_share} >= 50">
    <textarea name="usa_buyers"></textarea>
  </div>
  <div data-question data-code="sector" data-type="single_choice">
    <select name="sector"><option value=""></option><option value="agro">Agro</option>
    <option value="textile">Textil</option></select>
  </div>
  <div data-question data-code="crops" data-type="multiple_choice" data-relevant="${sector} = 'agro'">
    <select name="crops" multiple><option value="coffee">Café</option><option value="cocoa">Cacao</option></select>
  </div>
  <div data-question data-code="cocoa_ha" data-type="decimal" data-relevant="selected(${crops}, 'cocoa')">
    <input type="text" name="cocoa_ha">
  </div>
  <div data-question data-code="founded" data-type="date" data-relevant="${founded_hint} = ''">
    <input type="date" name="founded">
  </div>
  <div data-question data-code="broken" data-type="text" data-relevant="${exports} =">
    <input name="broken">
  </div>
</form>"""


def test_the_form_shows_questions_as_their_conditions_come_true_and_cascades(page):
    warnings = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    page.set_content(FORM)
    page.add_script_tag(path=SCRIPT)
    codes = ("exports", "markets", "usa_share", "usa_buyers", "sector", "crops", "cocoa_ha", "founded", "broken")
    question = {code: page.locator(f"[data-code='{code}']") for code in codes}

    for code in ("markets", "usa_share", "usa_buyers", "crops", "cocoa_ha"):
        expect(question[code]).to_be_hidden()
    for code in ("exports", "sector", "founded", "broken"):
        expect(question[code]).to_be_visible()
    assert any("broken" in text and "end of the condition" in text for text in warnings)

    page.check("input[name=exports][value=yes]")
    expect(question["markets"]).to_be_visible()
    expect(question["usa_share"]).to_be_hidden()
    page.check("input[name=markets][value=usa]")
    expect(question["usa_share"]).to_be_visible()
    expect(question["usa_buyers"]).to_be_hidden()
    page.fill("input[name=usa_share]", "60")
    expect(question["usa_buyers"]).to_be_visible()
    page.fill("input[name=usa_share]", "9")  # 9 < 50 as numbers, although "9" > "50" as text
    expect(question["usa_buyers"]).to_be_hidden()
    page.fill("input[name=usa_share]", "5e1")  # a number input's own notation: read as the number 50
    expect(question["usa_buyers"]).to_be_visible()
    page.fill("input[name=usa_share]", "60")
    page.fill("textarea[name=usa_buyers]", "Walmart")

    # No longer exporting hides the markets and, by cascade, what depends on them; answers stay typed.
    page.check("input[name=exports][value=no]")
    for code in ("markets", "usa_share", "usa_buyers"):
        expect(question[code]).to_be_hidden()
    expect(page.locator("input[name=usa_share]")).to_have_value("60")
    expect(page.locator("textarea[name=usa_buyers]")).to_have_value("Walmart")
    page.check("input[name=exports][value=yes]")
    expect(question["usa_buyers"]).to_be_visible()

    page.select_option("select[name=sector]", "agro")
    expect(question["crops"]).to_be_visible()
    page.select_option("select[name=crops]", ["coffee", "cocoa"])
    expect(question["cocoa_ha"]).to_be_visible()
    page.select_option("select[name=sector]", "textile")
    expect(question["crops"]).to_be_hidden()
    expect(question["cocoa_ha"]).to_be_hidden()
    expect(question["broken"]).to_be_visible()
