"""surveys/expressions.py agrees with ODK's own evaluator (@getodk/xpath, the engine of ODK Web Forms).

Each context becomes a real XML instance (``<data><a>…</a><r><q>…</q><r2><t>…</t></r2></r>…</data>``),
each ``${x}`` the path pyxform would write (relative inside a shared repeat, absolute otherwise and in
indexed-repeat), and ODK evaluates the expression in Chromium with the clock and time zone fixed. The
corpus leaves out what cannot be compared (jr:choice-name needs a whole form, uuid() is random, bare
names need a choice list) and the documented differences, which have a test of their own below.
Needs `npm ci` (make install); skipped with a reason otherwise.
"""

import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.conf import settings as django_settings
from hypothesis import strategies as st

from surveys import expressions
from surveys.expressions import Context, describe, evaluate, parse, path_from_key
from tests.surveys.expression_strategies import REPEATS, conditions, contexts, date_exprs, number_exprs, offset_of
from tests.surveys.expression_strategies import string_exprs as strings
from tests.surveys.test_expressions_js import hypothesis_corpus

NODE_MODULES = Path(django_settings.BASE_DIR) / "node_modules"
ODK = NODE_MODULES / "@getodk" / "xpath" / "dist" / "index.js"
ORIGIN = "http://odk.test"
PAGE = """<!doctype html><html><head><title>ODK</title><script type="importmap">
{"imports": {"temporal-polyfill": "/temporal-polyfill/index.js",
  "fs": "data:text/javascript,export default {}", "path": "data:text/javascript,export default {}"}}
</script><script type="module">
import { XFormsXPathEvaluator, DEFAULT_DOM_ADAPTER } from "/@getodk/xpath/dist/index.js";
window.odkEvaluate = (cases) => cases.map(([xml, steps, expression, zone, secondaries]) => {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const instances = Object.entries(secondaries || {}).map(
    ([id, text]) => [id, new DOMParser().parseFromString(text, "text/xml").documentElement]);
  const evaluator = new XFormsXPathEvaluator({rootNode: doc, domAdapter: DEFAULT_DOM_ADAPTER, timeZoneId: zone,
    secondaryInstancesById: new Map(instances), itextTranslationsByLanguage: new Map()});
  let node = doc.documentElement;
  for (const [name, index] of steps) node = Array.from(node.children).filter((c) => c.localName === name)[index - 1];
  try {
    const options = {contextNode: node};
    const number = evaluator.evaluateNumber(expression, options);
    return {string: evaluator.evaluateString(expression, options),
            number: Number.isNaN(number) ? "NaN" : String(number),
            boolean: evaluator.evaluateBoolean(expression, options)};
  } catch (error) {
    return {error: String(error.message)};
  }
});
window.odkReady = true;
</script></head><body></body></html>"""

# What the corpus leaves out: see the module docstring and test_the_documented_differences_are_real.
NOT_COMPARABLE = re.compile(r"jr:choice-name|uuid|substring-after|substring\(|normalize-space|%a|\bname\b|\bstate\b")
ORACLE_WORDS = (
    "",
    "5",
    "05",
    "-1.5",
    " 7 ",
    "0",
    "10",
    "2.5",
    "1e3",
    "abc",
    "a b",
    "usa eu",
    "usa",
    "true",
    "1",
    "2024-01-31",
    "2024-02-29",
    "2023-12-31",
    "2024-1-5",
    "2024-01-31T10:30:00",
    "2024-01-31T23:59:59.5Z",
    "2024-03-10T00:00:00-05:00",
    "2024-01-31T10:00:00.250+05:30",
    "ñandú",
    "😀x",
)


@pytest.fixture
def odk(page):
    if not ODK.exists():
        pytest.skip("ODK's evaluator is not installed: run `make install` (npm ci) to compare with it")

    def serve(route):
        url = route.request.url[len(ORIGIN) :].split("?")[0]
        if url in ("/", "/index.html"):
            return route.fulfill(body=PAGE, content_type="text/html")
        target = (NODE_MODULES / url.lstrip("/")).resolve()
        if NODE_MODULES.resolve() in target.parents and target.is_file():
            return route.fulfill(body=target.read_bytes(), content_type="text/javascript")
        return route.fulfill(status=404, body="")

    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/index.html")
    page.wait_for_function("window.odkReady === true")
    return page


def instance_xml(context: dict) -> str:
    """The XML instance of a JSON context, in document order."""
    values = context["values"]

    def element(name, key):
        return f"<{name}>{escape(values.get(name, {}).get(key, ''))}</{name}>"

    parts = ["<data>"]
    parts += [element(name, "") for name in ("a", "b", "d", "m", "n")]
    for i in range(1, context["counts"]["r"][""] + 1):
        parts.append(f"<r>{element('q', str(i))}{element('s', str(i))}")
        for j in range(1, context["counts"]["r2"].get(str(i), 0) + 1):
            parts.append(f"<r2>{element('t', f'{i}.{j}')}</r2>")
        parts.append("</r>")
    parts.append("</data>")
    return "".join(parts)


def context_steps(context: dict) -> list:
    """Where the context node is: [(element name, 1-based index among its same-named siblings)]."""
    here = context["here"]
    path = path_from_key(context["path"])
    chain = REPEATS[here] + ([here] if here in ("r", "r2") else [])
    steps = [[repeat, index] for repeat, index in zip(chain, path, strict=True)]
    if here not in ("r", "r2"):
        steps.append([here, 1])
    return steps


def odk_xpath(text: str, context: dict) -> str:
    """The expression as pyxform writes it for ODK: ${x} replaced by relative or absolute paths."""
    tree = parse(text)
    absolute = set()
    for node in expressions.walk(tree):
        if node["type"] == "call" and node["name"] == "indexed-repeat":
            for index in [0, *range(1, len(node["args"]), 2)]:
                absolute.add(node["args"][index]["position"])
    here_chain = REPEATS[context["here"]]
    refs = sorted((node["position"] - 2, node["name"]) for node in expressions.walk(tree) if node["type"] == "ref")
    out, last = [], 0
    for start, name in refs:
        enclosing = REPEATS[name]
        k = 0
        if start + 2 not in absolute:
            while k < len(here_chain) and k < len(enclosing) and here_chain[k] == enclosing[k]:
                k += 1
        if k == 0:
            path = "/data/" + "/".join([*enclosing, name])
        else:
            path = "/".join([".."] * (len(here_chain) - k + 1) + [*enclosing[k:], name])
        out.append(text[last:start] + f" {path} ")
        last = start + len(name) + 3  # "${" name "}"
    out.append(text[last:])
    return "".join(out)


def zone(context: dict) -> str:
    offset = offset_of(context)
    return f"{'-' if offset < 0 else '+'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"


def ours(text: str, context: dict) -> dict:
    summary = describe(evaluate(parse(text), Context.from_json(context)), offset_of(context))
    summary.pop("kind")
    summary.pop("values", None)
    return summary


def secondary_instances(context: dict) -> dict:
    """pulldata()'s CSVs as the secondary instances pyxform declares for them (``<root><item>`` per row)."""
    return {
        name: f'<instance id="{name}"><root>'
        + "".join(
            "<item>" + "".join(f"<{column}>{escape(text)}</{column}>" for column, text in row.items()) + "</item>"
            for row in rows
        )
        + "</root></instance>"
        for name, rows in (context.get("data") or {}).items()
    }


def theirs(page, cases: list[tuple[str, dict]]) -> list[dict]:
    """ODK's outcomes, evaluated with the page clock fixed at each case's ``now``."""
    outcomes: list[dict | None] = [None] * len(cases)
    for now in sorted({context["now"] for _text, context in cases}):
        indexes = [i for i, (_text, context) in enumerate(cases) if context["now"] == now]
        page.clock.set_fixed_time(now)
        batch = [
            [
                instance_xml(cases[i][1]),
                context_steps(cases[i][1]),
                odk_xpath(cases[i][0], cases[i][1]),
                zone(cases[i][1]),
                secondary_instances(cases[i][1]),
            ]
            for i in indexes
        ]
        for i, outcome in zip(indexes, page.evaluate("cases => window.odkEvaluate(cases)", batch), strict=True):
            outcomes[i] = outcome
    return outcomes


def uses_and_or(text: str) -> bool:
    return any(node["type"] == "ops" and node["rest"][0][0] in ("and", "or") for node in expressions.walk(parse(text)))


def test_our_evaluator_agrees_with_odks_on_a_generated_corpus(odk):
    texts = st.sampled_from(["number", "string", "date", "condition"]).flatmap(
        {"number": number_exprs, "string": strings, "date": date_exprs, "condition": conditions}.get
    )
    oracle_contexts = contexts(texts=st.sampled_from(ORACLE_WORDS), fewest=1, extras=False)
    corpus = hypothesis_corpus(st.tuples(texts, oracle_contexts), 700)
    cases = [(text, context) for text, context in corpus if not NOT_COMPARABLE.search(text)]
    expected = [ours(text, context) for text, context in cases]
    actual = theirs(odk, cases)
    crashes = [(case, outcome) for case, outcome in zip(cases, actual, strict=True) if "error" in outcome]
    disagreements = []
    for (text, context), mine, odks in zip(cases, expected, actual, strict=True):
        if "error" in odks:
            continue
        # ODK's and/or return the deciding operand (string(1 and 2) is '2'): only the truth is compared.
        keys = ("boolean",) if uses_and_or(text) else ("string", "number", "boolean")
        if any(mine[key] != odks[key] for key in keys):
            disagreements.append((text, odk_xpath(text, context), context, mine, odks))
    assert disagreements[:8] == []
    compared = len(cases) - len(crashes)
    assert compared >= 400
    # ODK raises on dates beyond Temporal's range and on impossible dates, where we return a value.
    assert len(crashes) <= compared // 10, crashes[:5]
    assert {outcome["boolean"] for outcome in expected} == {True, False}


def one_context(**changes) -> dict:
    context = {
        "values": {"a": {"": "abcdef"}, "q": {"1": "4"}},
        "repeats": REPEATS,
        "counts": {"r": {"": 1}, "r2": {"1": 0}},
        "here": "a",
        "path": "",
        "now": "2024-03-10T12:00:00.000-05:00",
        "utc_offset": -300,
    }
    context.update(changes)
    return context


# (expression, what we give, what ODK Web Forms gives) — the corners where we follow the XPath 1.0 /
# ODK XForms specification (and JavaRosa) rather than Web Forms; the module docstring lists them.
DOCUMENTED_DIFFERENCES = [
    ("sum(${t})", "0", ""),
    ("substring-after(${a}, 'cd')", "ef", "def"),
    ("substring(${a}, 3, -1)", "", "b"),
    ("normalize-space('a\tb')", "a b", "a\tb"),
    ("format-date('2024-03-10', '%a')", "Sun", ""),
    ("string(${a} and 'x')", "true", "x"),
]


def test_the_documented_differences_are_real(odk):
    cases = [(text, one_context()) for text, _ours, _theirs in DOCUMENTED_DIFFERENCES]
    actual = theirs(odk, cases)
    for (text, mine, odks), outcome in zip(DOCUMENTED_DIFFERENCES, actual, strict=True):
        assert ours(text, one_context())["string"] == mine, text
        assert outcome["string"] == odks, text


def test_pulldata_agrees_with_odks_lookup_in_a_secondary_instance(odk):
    rows = [{"code": "1", "crop": "maíz"}, {"code": "1.0", "crop": "papa"}, {"code": "7", "crop": "quinua"}]
    rows.append({"code": "7", "crop": "otra"})
    context = one_context(data={"prices": rows}, values={"a": {"": "1.0"}, "q": {"1": "4"}})
    texts = [
        "pulldata('prices', 'crop', 'code', '7')",
        "pulldata('prices', 'crop', 'code', 1.0)",
        "pulldata('prices', 'crop', 'code', ${a})",
        "pulldata('prices', 'crop', 'code', ${a} + 0)",
        "pulldata('prices', 'crop', 'code', 8)",
        "pulldata('prices', 'colour', 'code', 7)",
        "pulldata('prices', 'crop', 'code', '7') = 'quinua'",
    ]
    cases = [(text, context) for text in texts]
    outcomes = theirs(odk, cases)
    assert [outcome["string"] for outcome in outcomes[:5]] == ["quinua", "maíz", "papa", "maíz", ""]
    for (text, _context), outcome in zip(cases, outcomes, strict=True):
        assert ours(text, context) == outcome, text


def test_the_translation_to_odk_paths_follows_pyxform():
    inside = one_context(here="t", path="1.1")
    assert odk_xpath("${q} + ${t} + ${a}", inside) == " ../../q  +  ../t  +  /data/a "
    assert odk_xpath("count(${r2})", inside) == "count( ../../r2 )"
    assert odk_xpath("indexed-repeat(${t}, ${r}, 1, ${r2}, ${q})", inside) == (
        "indexed-repeat( /data/r/r2/t ,  /data/r , 1,  /data/r/r2 ,  ../../q )"
    )
    assert odk_xpath("count(${r})", one_context(here="q", path="1")) == "count( /data/r )"


def test_odk_looks_pulldata_s_file_up_by_the_name_as_written_so_an_extension_is_refused(odk):
    """pyxform declares the CSV of pulldata('prices', …) as the instance 'prices' (jr://file-csv/prices.csv) and
    of pulldata('prices.csv', …) as 'prices.csv' (jr://file-csv/prices.csv.csv): ODK does not strip the
    extension, so the attached prices.csv is never read by the second; the site refuses it with the fix."""
    rows = "<root><item><code>7</code><crop>quinua</crop></item></root>"
    attached = {"prices": f'<instance id="prices">{rows}</instance>'}
    batch = [
        ["<data><a/></data>", [], f"pulldata('{name}', 'crop', 'code', '7')", "-05:00", attached]
        for name in ("prices", "prices.csv")
    ]
    plain, with_extension = odk.evaluate("cases => window.odkEvaluate(cases)", batch)
    assert plain["string"] == "quinua"
    assert with_extension == {"string": "", "number": "NaN", "boolean": False}  # silently nothing
    with pytest.raises(expressions.ExpressionError) as refused:
        parse("pulldata('prices.csv', 'crop', 'code', '7')")
    assert refused.value.key == "pulldata_extension"
