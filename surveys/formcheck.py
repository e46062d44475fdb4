"""Checks of a form's expressions: each parses in the form's expression language (surveys/expressions.py),
uses only supported functions and names only questions, groups and repeats the form has; no calculation
depends on itself. The builder checks one expression at a time (``expression_message``), the XLSForm
import and publishing check the whole form (``expression_problems``, through ``check_form``, which
reads the form as the form logic does: surveys/formlogic.py).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from surveys import expressions
from surveys.expressions import ExpressionError
from surveys.formlogic import (
    DEPENDENCY_ATTRIBUTES,
    EXPRESSION_ATTRIBUTES,
    SELECTS,
    CompiledForm,
    _fixed,
    _Node,
    _text,
    is_dynamic_default,
    trigger_names,
)

QUESTION_EXPRESSIONS = ("relevant", "constraint", "calculation", "required_if", "choice_filter", "default", "trigger")
SECTION_EXPRESSIONS = ("relevant", "repeat_count")
# The model's field -> the form logic's attribute (its problems name the latter).
ATTRIBUTES = {"required_if": "required", "calculation": "calculation"}


def references(text):
    """The names ``${name}`` an expression reads (none when it does not parse)."""
    try:
        return set(expressions.references(expressions.parse(text)))
    except expressions.ExpressionError:
        return set()


def expressions_of(item):
    """(field, expression) of a section or question (a spec or a model), the non-empty ones."""
    fields = SECTION_EXPRESSIONS if hasattr(item, "repeat_count") else QUESTION_EXPRESSIONS
    for name in fields:
        text = getattr(item, name, "") or ""
        if name == "default" and not is_dynamic_default(text):
            continue  # a default is a value unless it reads another question or calls a function
        if name == "trigger":
            continue  # names, checked as references below
        if name == "repeat_count" and text.strip().isdigit():
            continue
        if text.strip():
            yield name, text


def data_files(items) -> list[str]:
    """The CSV files ("name.csv") the expressions of sections and questions read with pulldata(), in order:
    files the form needs, as select_one_from_file's (attached after an import, before publishing)."""
    files = []
    for item in items:
        for _field, text in expressions_of(item):
            try:
                tree = expressions.parse(text)
            except expressions.ExpressionError:
                continue
            files.extend(sorted(name for name in expressions.pulldata_files(tree) if name not in files))
    return files


def expression_message(text, names, field):
    """Why an expression cannot be used (a translated message pointing at the character), or None."""
    try:
        if field == "choice_filter":
            tree = expressions.parse(text)
            expressions.check(text, names, columns=expressions.choice_columns(tree))
        else:
            expressions.check(text, names)
    except expressions.ExpressionError as error:
        return error.message
    return None


def expression_problems(spec):
    """[(name of the item, message)] for the expressions of a FormSpec that cannot work."""
    from surveys.engine import logic_node

    nodes, choices = [], {}
    for item in spec.items:
        parent = item.parent if hasattr(item, "repeat_count") else item.section_code
        nodes.append(logic_node(item, parent))
        if getattr(item, "choice_filter", "") and item.choices:
            choices[item.code] = [
                {"name": c.value, **{str(k): str(v) for k, v in c.extra.items()}} for c in item.choices
            ]
    problems = []
    for name, found in check_form(nodes, choices=choices).items():
        problems.extend((name, problem.message) for problem in found)
    names = {item.code for item in spec.items}
    for item in spec.questions:
        for reference in trigger_names(item.trigger):
            if reference not in names:
                problems.append(
                    (item.code, expressions.format_message("unknown_name", {"name": reference, "column": 1}))
                )
    return problems


def readers_of(version, code, exclude=None):
    """The codes of the version's questions and groups whose expressions read ``code``."""
    from surveys.models import Question, Section

    readers = []
    for model in (Question, Section):
        items = model.objects.filter(version=version)
        if exclude is not None and isinstance(exclude, model):
            items = items.exclude(pk=exclude.pk)
        for item in items:
            if any(code in references(text) for _field, text in expressions_of(item)):
                readers.append(item.code)
    return readers


# --- Checking a whole form (the form logic's nodes) -------------------------------------------------

MESSAGES = {
    "duplicate": _("The name '%(name)s' is used by more than one question, group or repeat."),
    "unknown_parent": _("'%(name)s' is inside '%(parent)s', which is not a group or repeat of the form."),
    "repeat_count": _("Only a repeat can have a repeat_count."),
    "cycle": _("'%(name)s' depends on itself: %(cycle)s."),
    "indexed_repeat": _("indexed-repeat() at character %(column)d: '%(repeat)s' is not a repeat around '%(target)s'."),
    "choice_name": _("jr:choice-name() at character %(column)d: '%(name)s' is not a select question."),
}


@dataclass(frozen=True)
class FormProblem:
    """A problem with one attribute of one node; ``message`` is translated when read."""

    name: str
    attribute: str
    key: str
    params: dict = field(default_factory=dict)
    position: int | None = None
    error: ExpressionError | None = None

    @property
    def message(self) -> str:
        if self.error is not None:
            return self.error.message
        return str(MESSAGES[self.key]) % self.params


def check_form(
    form: Sequence[Mapping], *, choices: Mapping[str, Sequence[Mapping]] | None = None
) -> dict[str, list[FormProblem]]:
    """Problems per node name (document order): expressions that do not parse or read unknown names,
    unsupported functions, bare names outside choice filters, cycles among relevance, calculations,
    defaults and repeat counts, repeat_count outside repeats, misused indexed-repeat and
    jr:choice-name, duplicate names and unknown parents. An empty dict means the form is usable."""
    problems: dict[str, list[FormProblem]] = {}

    def add(problem: FormProblem):
        problems.setdefault(problem.name, []).append(problem)

    seen: set[str] = set()
    kinds: dict[str, str] = {}
    for raw in form:
        name, parent = _text(raw, "name"), raw.get("parent") or None
        if name in seen:
            add(FormProblem(name, "name", "duplicate", {"name": name}))
        if parent is not None and kinds.get(parent) not in ("group", "repeat"):
            add(FormProblem(name, "parent", "unknown_parent", {"name": name, "parent": parent}))
        seen.add(name)
        kinds.setdefault(name, _text(raw, "kind") or "question")
    compiled = CompiledForm(form)
    names = list(compiled.by_name)
    for raw in form:
        name = _text(raw, "name")
        for attribute in EXPRESSION_ATTRIBUTES:
            text = _text(raw, attribute)
            if not text.strip():
                continue
            if _fixed(attribute, text):
                continue
            if attribute == "repeat_count" and kinds.get(name) != "repeat":
                add(FormProblem(name, attribute, "repeat_count"))
                continue
            columns = None
            if attribute == "choice_filter":
                choice_list = (choices or {}).get(name)
                columns = sorted({column for choice in choice_list for column in choice}) if choice_list else None
            try:
                if attribute == "choice_filter" and columns is None:
                    tree = expressions.parse(text)
                    expressions.check(text, names, columns=expressions.choice_columns(tree))
                else:
                    tree = expressions.check(text, names, columns=columns)
            except ExpressionError as error:
                add(FormProblem(name, attribute, error.key, error.params, error.position, error))
                continue
            for problem in _semantic_problems(tree, compiled, name, attribute):
                add(problem)
    for problem in _cycles(compiled):
        add(problem)
    order = {name: index for index, name in enumerate(compiled.by_name)}
    return dict(sorted(problems.items(), key=lambda item: order.get(item[0], len(order))))


def _semantic_problems(tree, compiled: CompiledForm, name: str, attribute: str) -> Iterable[FormProblem]:
    for node in expressions.walk(tree):
        if node["type"] != "call":
            continue
        position = node["position"]
        if node["name"] == "indexed-repeat":
            target = node["args"][0]["name"]
            chain = compiled.repeats.get(target, ()) + ((target,) if target in compiled.repeat_names else ())
            for index in range(1, len(node["args"]), 2):
                repeat = node["args"][index]["name"]
                if repeat not in compiled.repeat_names or repeat not in chain or repeat == target:
                    yield FormProblem(
                        name,
                        attribute,
                        "indexed_repeat",
                        {"column": position + 1, "repeat": repeat, "target": target},
                        position,
                    )
        elif node["name"] == "jr:choice-name":
            question = compiled.by_name.get(node["question"])
            if question is None or question.type not in SELECTS:
                yield FormProblem(
                    name, attribute, "choice_name", {"column": position + 1, "name": node["question"]}, position
                )


def _cycles(compiled: CompiledForm) -> Iterable[FormProblem]:
    """Every node on a dependency cycle (self-references included), with the cycle spelled out."""
    graph = {}
    for node in compiled.nodes:
        depends = set(node.depends)
        for attribute in DEPENDENCY_ATTRIBUTES:
            tree = node.trees.get(attribute)
            if tree is not None and node.name in expressions.references(tree):
                depends.add(node.name)
        graph[node.name] = sorted(depends, key=lambda name: compiled.by_name[name].index)
    for component in _strongly_connected(graph):
        members = sorted(component, key=lambda name: compiled.by_name[name].index)
        if len(members) == 1 and members[0] not in graph[members[0]]:
            continue
        for name in members:
            cycle = _cycle_through(graph, name, set(members))
            attribute = _attribute_reading(compiled.by_name[name], set(members))
            yield FormProblem(name, attribute, "cycle", {"name": name, "cycle": " → ".join(cycle)})


def _attribute_reading(node: _Node, members: set[str]) -> str:
    for attribute in ("calculation", "relevant", "repeat_count", "default"):
        tree = node.trees.get(attribute)
        if tree is not None and expressions.references(tree) & members:
            return attribute
    return "parent"


def _cycle_through(graph: Mapping[str, Sequence[str]], start: str, members: set[str]) -> list[str]:
    """The shortest path start -> ... -> start inside the component (breadth first)."""
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    while queue:
        current = queue.pop(0)
        for following in graph[current]:
            if following == start:
                path = [current]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if following in members and following not in previous:
                previous[following] = current
                queue.append(following)
    return [start, start]  # pragma: no cover - a member of a cycle always returns to itself


def _strongly_connected(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components = []
    counter = 0
    for root in graph:
        if root in index_of:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            for position in range(child, len(graph[node])):
                following = graph[node][position]
                if following not in index_of:
                    work.append((node, position + 1))
                    work.append((following, 0))
                    recurse = True
                    break
                if following in on_stack:
                    low[node] = min(low[node], index_of[following])
            if recurse:
                continue
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components
