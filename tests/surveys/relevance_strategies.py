"""Hypothesis strategies for skip-logic conditions and answers, shared by the Python and browser tests.

``render`` is written independently of the parser so that parse(render(tree)) == tree checks both.
"""

from decimal import Decimal

from hypothesis import strategies as st

from surveys.relevance import And, Bool, Compare, Node, Not, Number, Or, Ref, Selected, Text

CODES = ("a", "b", "c_1", "d.x")
# Texts that exercise the value rules: numerals, ISO dates, spaces, case, accents, astral characters.
WORDS = ("", "yes", "no", "usa", "eu", "5", "05", "5.0", "-1", ".5", "1e3", "10", "9", "2024-01-31", "2023-12-01")
text_values = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet="ab 0123456789.-ñÑ😀\u00e9e'\"", max_size=6),
)
literal_texts = text_values.filter(lambda text: not ("'" in text and '"' in text))
numbers = st.decimals(
    min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False
) | st.sampled_from([Decimal(0), Decimal(5), Decimal("-0.5"), Decimal(10), Decimal("2024")])
refs = st.sampled_from(CODES).map(Ref)
values_in_conditions = st.one_of(refs, literal_texts.map(Text), numbers.map(Number))
comparisons = st.builds(
    Compare, st.sampled_from(["=", "!=", "<", ">", "<=", ">="]), values_in_conditions, values_in_conditions
)
selections = st.builds(Selected, refs, literal_texts)
leaves = st.one_of(comparisons, comparisons, selections, st.booleans().map(Bool))


def _extend(children):
    operand_lists = st.lists(children, min_size=2, max_size=4).map(tuple)
    return st.one_of(children.map(Not), operand_lists.map(And), operand_lists.map(Or))


conditions = st.recursive(leaves, _extend, max_leaves=12)

# Answers as the browser produces them (JSON-friendly): unanswered, text, number, yes/no, chosen lists.
answers = st.one_of(
    st.none(),
    text_values,
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 5, 10, -1, 0.5, 2024]),
    st.booleans(),
    st.lists(st.sampled_from(["usa", "eu", "asia", "5", "b", "a b", "ñ", "😀", "\uffff"]), max_size=4, unique=True),
)
answer_maps = st.dictionaries(st.sampled_from(CODES), answers)


def _quote(text: str) -> str:
    return f'"{text}"' if "'" in text else f"'{text}'"


def render(node: Node, space: str = " ") -> str:
    """Condition text for a tree; ``space`` goes around operators (keywords always get one)."""
    match node:
        case Ref(code=code):
            return f"${{{code}}}"
        case Text(value=value):
            return _quote(value)
        case Number(value=value):
            return format(value, "f")
        case Compare(op=op, left=left, right=right):
            return f"{render(left)}{space}{op}{space}{render(right)}"
        case Selected(ref=ref, value=value):
            return f"selected({space}{render(ref)},{space}{_quote(value)}{space})"
        case Bool(value=value):
            return "true()" if value else "false()"
        case Not(operand=operand):
            return f"not({space}{render(operand, space)}{space})"
        case And(operands=operands):
            return " and ".join(_wrap(item, (And, Or), space) for item in operands)
        case Or(operands=operands):
            return " or ".join(_wrap(item, (Or,), space) for item in operands)
    raise TypeError(node)


def _wrap(node: Node, kinds, space: str) -> str:
    text = render(node, space)
    return f"({space}{text}{space})" if isinstance(node, kinds) else text


def as_json(node: Node) -> dict:
    """The tree in the shape relevance.js builds, to compare the two parsers."""
    match node:
        case Ref(code=code, position=position):
            return {"type": "ref", "code": code, "position": position}
        case Text(value=value):
            return {"type": "text", "value": value}
        case Number(value=value):
            return {"type": "number", "value": float(value)}
        case Compare(op=op, left=left, right=right):
            return {"type": "compare", "op": op, "left": as_json(left), "right": as_json(right)}
        case Selected(ref=ref, value=value):
            return {"type": "selected", "ref": as_json(ref), "value": value}
        case Bool(value=value):
            return {"type": "bool", "value": value}
        case Not(operand=operand):
            return {"type": "not", "operand": as_json(operand)}
        case And(operands=operands) | Or(operands=operands):
            return {"type": type(node).__name__.lower(), "operands": [as_json(item) for item in operands]}
    raise TypeError(node)
