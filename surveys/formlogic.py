"""Form logic: what ODK computes from a form's structure and its current answers, as a pure function.

``static/surveys/js/formlogic.js`` implements exactly the same rules in the browser (parity is
property-tested). Expressions are surveys/expressions.py's.

The form
    A list of nodes in document order, each a mapping with ``name``, ``kind`` ('question', 'group' or
    'repeat'), ``parent`` (a group or repeat name, or None) and ``type`` (XLSForm's base type: text,
    integer, select_one, calculate, note, ...), and the optional expressions ``relevant``,
    ``constraint``, ``required``, ``calculation``, ``default``, ``read_only``, ``repeat_count``
    (repeats) and ``choice_filter`` (selects), and ``trigger`` (XLSForm's column: the questions whose change
    sets this one, ``${a} ${b}`` or ``a, b``). Missing keys read as ''.
    ``required`` and ``read_only`` are '' / ``no`` / ``false`` / ``false()`` (off), ``yes`` / ``true`` /
    ``true()`` (on, any case) or an expression. ``default`` is literal text unless it contains ``${``
    or ``(``, which makes it an expression evaluated where the node is (a dynamic default).

The answers
    ``values``: {name: {repeat path: text}} as in surveys/expressions.Context; ``counts``: the number of
    instances the user made of each open-ended repeat, {repeat: {parent path: n}} (absent: 0); ``now``,
    ``utc_offset``, ``uuid``, ``choice_labels``, ``data`` (pulldata's CSVs: rows or DataTables) as in
    the Context; ``choices``: {select name: [{column:
    value, ...}, ...]} with the choice value under ``name``, for choice filters and choice checks.
    ``changed``: {name: [repeat path, ...]}, the questions whose value the user just changed (where).

What it computes (evaluate_form), for every node and repeat instance
    1. Repeat counts: a repeat with ``repeat_count`` has, under each instance of its parent, the
       expression's number truncated towards zero (NaN or negative: 0; at most MAX_REPEAT_COUNT);
       other repeats have the user's ``counts``.
    2. Relevance: a node is relevant when every enclosing group and repeat instance is relevant and its
       own ``relevant`` holds (blank: holds). A non-relevant node reads as '' in every expression, its
       value is left out of the result and it never produces an error ("hidden answers are discarded
       before any validation").
    3. Values: a node with a ``calculation`` gets the expression's string (when relevant; its previous
       value is ``.``, so ``once()`` keeps it); another node keeps its answer. A node with a ``trigger`` is
       not computed so: it keeps its answer, except where one of its trigger questions is in ``changed``
       (at the same repeat instance, an enclosing one or an enclosed one) — there it gets its
       calculation's string, or '' without one (pyxform's setvalue on xforms-value-changed). A ``default`` applies
       only where the node was never given a value: where its path is absent from ``values`` (a cleared
       answer is present as ''). The result's ``values`` holds every relevant question instance that
       has an answer, a calculation or a default.
       Nodes are computed in dependency order: a node after its parent and after every node its
       relevant, calculation, repeat_count or default reads (ties in document order). Cycles are
       reported by formcheck.check_form; evaluate_form breaks them in document order, reading what is there.
    4. For each relevant question: ``required`` and ``read_only`` (evaluated), ``constraint_ok``
       (evaluated with ``.`` = the value; an empty value is always ok, as in ODK), ``choices`` (the
       values of the choices whose choice_filter holds, evaluated with the choice's columns as bare
       names), and ``errors``: 'required' (required and empty; never for notes and calculations, a
       triggered question's calculation does not count),
       'constraint' (the caller shows the node's constraint_message), 'choice' (a value, or for
       select_multiple a word of it, not among the allowed choices; ``values`` lists them).
    An expression that does not parse is ignored where it is used (relevant: holds, calculation and
    dynamic default: '', constraint: ok, required/read_only: off, choice_filter: every choice,
    repeat_count: 0): formcheck.check_form reports it when the form is imported.

The result is JSON-like: paths are tuples here and "2.1" strings in formlogic.js (result_to_json()).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from surveys import expressions
from surveys.expressions import Context, DataTable, ExpressionError, Path, path_key, to_boolean, to_number, to_string

MAX_REPEAT_COUNT = 1000
EXPRESSION_ATTRIBUTES = (
    "relevant",
    "constraint",
    "required",
    "calculation",
    "default",
    "read_only",
    "repeat_count",
    "choice_filter",
)
DEPENDENCY_ATTRIBUTES = ("relevant", "calculation", "repeat_count", "default")
FLAGS_ON = ("yes", "true", "true()")
FLAGS_OFF = ("", "no", "false", "false()")
NEVER_REQUIRED = ("note", "calculate")
SELECTS = ("select_one", "select_multiple")


def _text(node: Mapping, key: str) -> str:
    value = node.get(key)
    return value if isinstance(value, str) else ""


def _flag(text: str) -> bool | None:
    """True/False for the fixed spellings, None for an expression."""
    lowered = text.strip().lower()
    if lowered in FLAGS_OFF:
        return False
    if lowered in FLAGS_ON:
        return True
    return None


def is_dynamic_default(text: str) -> bool:
    return "${" in text or "(" in text


def _fixed(attribute: str, text: str) -> bool:
    """Whether an attribute's text is a fixed value rather than an expression."""
    if attribute in ("required", "read_only"):
        return _flag(text) is not None
    return attribute == "default" and not is_dynamic_default(text)


@dataclass
class _Node:
    index: int
    name: str
    kind: str
    parent: str | None
    type: str
    enclosing: tuple[str, ...]
    trees: dict  # attribute -> tree (None: blank or unusable)
    required_flag: bool | None
    read_only_flag: bool | None
    default_text: str
    dynamic_default: bool
    depends: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()


class CompiledForm:
    """A form's structure with every expression parsed once, and its evaluation order."""

    def __init__(self, form: Sequence[Mapping]):
        self.nodes: list[_Node] = []
        self.by_name: dict[str, _Node] = {}
        kinds = {_text(node, "name"): _text(node, "kind") for node in form}
        repeats: dict[str, tuple[str, ...]] = {}
        for _index, raw in enumerate(form):
            name = _text(raw, "name")
            if name in self.by_name:
                continue  # check_form reports duplicates; the first one counts
            parent = raw.get("parent") or None
            if parent not in self.by_name or self.by_name[parent].kind not in ("group", "repeat"):
                parent = None
            enclosing = ()
            if parent is not None:
                enclosing = repeats[parent] + ((parent,) if kinds.get(parent) == "repeat" else ())
            repeats[name] = enclosing
            trees = {}
            for attribute in EXPRESSION_ATTRIBUTES:
                text = _text(raw, attribute)
                trees[attribute] = None if _fixed(attribute, text) else _parse_or_none(text)
            node = _Node(
                index=len(self.nodes),
                name=name,
                kind=_text(raw, "kind") or "question",
                parent=parent,
                type=_text(raw, "type"),
                enclosing=enclosing,
                trees=trees,
                required_flag=_flag(_text(raw, "required")),
                read_only_flag=_flag(_text(raw, "read_only")),
                default_text=_text(raw, "default"),
                dynamic_default=is_dynamic_default(_text(raw, "default")),
                triggers=trigger_names(_text(raw, "trigger")),
            )
            self.nodes.append(node)
            self.by_name[name] = node
        self.repeats = repeats
        self.repeat_names = frozenset(node.name for node in self.nodes if node.kind == "repeat")
        for node in self.nodes:
            depends = set()
            if node.parent is not None:
                depends.add(node.parent)
            for attribute in DEPENDENCY_ATTRIBUTES:
                tree = node.trees.get(attribute)
                if tree is not None:
                    depends.update(expressions.references(tree))
            depends.discard(node.name)
            node.depends = tuple(sorted(name for name in depends if name in self.by_name))
        self.order = self._order()
        # pulldata()'s files ("x.csv") and, by file ("x"), the columns read (None: a column is computed).
        self.data_columns: dict[str, set[str] | None] = {}
        for node in self.nodes:
            for tree in node.trees.values():
                for call in expressions.walk(tree) if tree is not None else ():
                    if call["type"] == "call" and call["name"] == "pulldata":
                        file, column, key_column = (arg.get("value") for arg in call["args"][:3])
                        if isinstance(column, str) and isinstance(key_column, str) and file in self.data_columns:
                            if self.data_columns[file] is not None:
                                self.data_columns[file].update((column, key_column))
                        elif isinstance(column, str) and isinstance(key_column, str):
                            self.data_columns[file] = {column, key_column}
                        else:
                            self.data_columns[file] = None
        self.data_files = frozenset(f"{file}.csv" for file in self.data_columns)

    def _order(self) -> list[_Node]:
        """Dependencies first, ties in document order; a cycle is broken at its first node."""
        done: set[str] = set()
        order = []
        remaining = list(self.nodes)
        while remaining:
            chosen = next((node for node in remaining if all(name in done for name in node.depends)), remaining[0])
            remaining.remove(chosen)
            done.add(chosen.name)
            order.append(chosen)
        return order


def trigger_names(text: str) -> tuple[str, ...]:
    """The question names of a ``trigger`` column: '${a}, ${b}' or 'a b' -> ('a', 'b')."""
    names = []
    for word in text.replace(",", " ").split():
        name = word[2:-1] if word.startswith("${") and word.endswith("}") else word
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _parse_or_none(text: str):
    if not text.strip():
        return None
    try:
        return expressions.parse(text)
    except ExpressionError:
        return None


def compile_form(form: Sequence[Mapping] | CompiledForm) -> CompiledForm:
    """The compiled form (parsed expressions and order); a compiled form is returned as it is."""
    if isinstance(form, CompiledForm):
        return form
    return CompiledForm(form)


class _Evaluation:
    def __init__(
        self, compiled: CompiledForm, values, counts, now, utc_offset, uuid, choices, choice_labels, data, changed
    ):
        self.form = compiled
        self.raw = values or {}
        self.changed = {name: [tuple(path) for path in paths] for name, paths in (changed or {}).items()}
        self.user_counts = counts or {}
        self.effective: dict[str, dict[Path, str]] = {}
        self.counts: dict[str, dict[Path, int]] = {}
        self.relevant: dict[str, dict[Path, bool]] = {}
        self.choices = choices or {}
        self.context = Context(
            values=self.effective,
            repeats=compiled.repeats,
            counts=self.counts,
            now=now,
            utc_offset=utc_offset,
            uuid=uuid,
            choice_labels=choice_labels or {},
            data={name: t if isinstance(t, DataTable) else DataTable(t) for name, t in (data or {}).items()},
            repeat_names=compiled.repeat_names,
        )
        self.produced: dict[str, set[Path]] = {}
        self.offset = expressions.context_offset(self.context)

    def evaluate(self, tree, node: _Node, path: Path, current: str | None = None, choice=None):
        context = self.context
        context.here, context.path, context.current, context.choice = node.name, path, current, choice
        return expressions.evaluate(tree, context)

    def instances(self, chain: Sequence[str]) -> list[Path]:
        paths: list[Path] = [()]
        for repeat in chain:
            by_parent = self.counts.get(repeat, {})
            paths = [(*path, index) for path in paths for index in range(1, by_parent.get(path, 0) + 1)]
        return paths

    def raw_value(self, name: str, path: Path) -> str | None:
        by_path = self.raw.get(name)
        if not by_path or path not in by_path:
            return None
        value = by_path[path]
        return value if isinstance(value, str) else ""

    def fired(self, node: _Node, path: Path) -> bool:
        """Whether one of the node's trigger questions changed at this instance (or an enclosing or enclosed one)."""
        for name in node.triggers:
            for where in self.changed.get(name, ()):
                depth = min(len(where), len(path))
                if where[:depth] == path[:depth]:
                    return True
        return False

    def compute(self, node: _Node):
        if node.kind == "repeat":
            self.counts[node.name] = {}
            tree = node.trees.get("repeat_count")
            for parent_path in self.instances(node.enclosing):
                if tree is not None:
                    number = to_number(self.evaluate(tree, node, parent_path), self.offset)
                    count = 0 if number != number or number < 1 else int(min(number, MAX_REPEAT_COUNT))
                else:
                    count = int(self.user_counts.get(node.name, {}).get(parent_path, 0) or 0)
                    count = max(0, min(count, MAX_REPEAT_COUNT))
                self.counts[node.name][parent_path] = count
            chain = (*node.enclosing, node.name)
        else:
            chain = node.enclosing
        relevance = self.relevant.setdefault(node.name, {})
        values = self.effective.setdefault(node.name, {})
        values.clear()
        produced = self.produced.setdefault(node.name, set())
        parent_relevance = self.relevant.get(node.parent, {}) if node.parent else None
        parent_depth = (
            len(self.form.by_name[node.parent].enclosing) + (self.form.by_name[node.parent].kind == "repeat")
            if node.parent
            else 0
        )
        relevant_tree = node.trees.get("relevant")
        calculation = node.trees.get("calculation")
        for path in self.instances(chain):
            shown = parent_relevance.get(path[:parent_depth], False) if parent_relevance is not None else True
            if shown and relevant_tree is not None:
                shown = to_boolean(self.evaluate(relevant_tree, node, path))
            relevance[path] = shown
            if not shown or node.kind != "question":
                continue
            raw = self.raw_value(node.name, path)
            if node.triggers:
                if self.fired(node, path):
                    values[path] = (
                        ""
                        if calculation is None
                        else to_string(self.evaluate(calculation, node, path, current=raw or ""))
                    )
                    produced.add(path)
                    continue
            elif calculation is not None:
                values[path] = to_string(self.evaluate(calculation, node, path, current=raw or ""))
                produced.add(path)
                continue
            if raw is not None:
                values[path] = raw
                produced.add(path)
            elif node.default_text:
                if node.dynamic_default:
                    tree = node.trees.get("default")
                    values[path] = "" if tree is None else to_string(self.evaluate(tree, node, path, current=""))
                else:
                    values[path] = node.default_text
                produced.add(path)

    def run(self) -> dict:
        for node in self.form.order:
            self.compute(node)
        result = {
            "relevant": {},
            "required": {},
            "read_only": {},
            "constraint_ok": {},
            "values": {},
            "counts": {},
            "choices": {},
            "errors": [],
        }
        for name, by_parent in self.counts.items():
            result["counts"][name] = dict(by_parent)
        for node in self.form.nodes:
            relevance = self.relevant.get(node.name, {})
            result["relevant"][node.name] = dict(relevance)
            if node.kind != "question":
                continue
            required_map = result["required"][node.name] = {}
            read_only_map = result["read_only"][node.name] = {}
            constraint_map = result["constraint_ok"][node.name] = {}
            values_map = {}
            choice_list = self.choices.get(node.name) if node.type in SELECTS else None
            choices_map = {} if choice_list is not None else None
            for path, shown in relevance.items():
                if not shown:
                    required_map[path] = False
                    read_only_map[path] = False
                    constraint_map[path] = True
                    continue
                value = self.effective.get(node.name, {}).get(path, "")
                if path in self.produced.get(node.name, ()):
                    values_map[path] = value
                required = self._flag(node, "required", node.required_flag, path, value)
                required_map[path] = required
                read_only_map[path] = self._flag(node, "read_only", node.read_only_flag, path, value)
                constraint_tree = node.trees.get("constraint")
                ok = True
                if constraint_tree is not None and value != "":
                    ok = to_boolean(self.evaluate(constraint_tree, node, path, current=value))
                constraint_map[path] = ok
                if (
                    required
                    and value == ""
                    and node.type not in NEVER_REQUIRED
                    and (node.trees.get("calculation") is None or node.triggers)
                ):
                    result["errors"].append({"name": node.name, "path": path, "kind": "required"})
                if not ok:
                    result["errors"].append({"name": node.name, "path": path, "kind": "constraint"})
                if choices_map is not None:
                    allowed = self._allowed(node, path, value, choice_list)
                    choices_map[path] = allowed
                    chosen = _words(value) if node.type == "select_multiple" else ([value] if value != "" else [])
                    wrong = [item for item in chosen if item not in allowed]
                    if wrong:
                        result["errors"].append({"name": node.name, "path": path, "kind": "choice", "values": wrong})
            result["values"][node.name] = values_map
            if choices_map is not None:
                result["choices"][node.name] = choices_map
        return result

    def _flag(self, node: _Node, attribute: str, flag: bool | None, path: Path, value: str) -> bool:
        if flag is not None:
            return flag
        tree = node.trees.get(attribute)
        return tree is not None and to_boolean(self.evaluate(tree, node, path, current=value))

    def _allowed(self, node: _Node, path: Path, value: str, choice_list) -> list[str]:
        tree = node.trees.get("choice_filter")
        allowed = []
        for choice in choice_list:
            name = str(choice.get("name", ""))
            if tree is None or to_boolean(self.evaluate(tree, node, path, current=value, choice=choice)):
                allowed.append(name)
        return allowed


def _words(value: str) -> list[str]:
    return [word for word in re.split(r"[ \t\r\n]+", value) if word]


def evaluate_form(
    form: Sequence[Mapping] | CompiledForm,
    values: Mapping[str, Mapping[Path, str]] | None = None,
    *,
    counts: Mapping[str, Mapping[Path, int]] | None = None,
    now=None,
    utc_offset: int | None = None,
    uuid: str | None = None,
    choices: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
    choice_labels: Mapping[str, Mapping[str, str]] | None = None,
    data: Mapping | None = None,
    changed: Mapping[str, Sequence[Path]] | None = None,
) -> dict:
    """Relevance, values, counts, requirements, constraints, choices and errors (see the module docstring).

    Pass a CompiledForm (compile_form) to evaluate the same form many times without re-parsing.
    """
    compiled = compile_form(form)
    return _Evaluation(compiled, values, counts, now, utc_offset, uuid, choices, choice_labels, data, changed).run()


def result_to_json(result: Mapping) -> dict:
    """The result with paths as "2.1" strings, the shape formlogic.js returns."""
    converted = {}
    for key, by_name in result.items():
        if key == "errors":
            converted[key] = [{**error, "path": path_key(error["path"])} for error in by_name]
        else:
            converted[key] = {
                name: {path_key(path): item for path, item in by_path.items()} for name, by_path in by_name.items()
            }
    return converted
