"""The form's logic on the server: what is relevant, what is computed, what is missing or wrong.

One pass of ``surveys.formlogic`` (the same logic the browser runs, with the same results: parity is
tested) over a version's structure and the answers of one interview. The web form, devices (OpenRosa)
and the API all save through ``surveys.services.interview_save``, which calls ``evaluate`` first, so
that hidden answers are discarded *before* anything is validated, computed values are the server's
own, and a rule a device ignored is still enforced.

Answers are keyed by ``(question code, repeat)``: ``repeat`` is "" outside repeats, else the 1-based
instance numbers of the enclosing repeats, outermost first, joined by dots ("2", "2.1").
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import expressions, values
from surveys.models import Question, Section

T = Question.Type
# Compiled forms of published versions (immutable), by version: parsing a form's expressions once.
_COMPILED: dict = {}
# pulldata()'s CSVs, parsed once, by (file id, md5): a file replaced on a draft is a new file, never stale.
_DATA: dict = {}


def answer_key(code, repeat=""):
    """How an answer is named in messages and form fields: its code, and its repetition after '__'."""
    return f"{code}__{repeat}" if repeat else code


def path_of(repeat: str) -> tuple:
    return tuple(int(part) for part in repeat.split(".")) if repeat else ()


def repeat_of(path) -> str:
    return ".".join(str(number) for number in path)


@dataclass
class Structure:
    """A version's questions and groups as the form logic reads them (made once per version and request)."""

    questions: list
    sections: list
    nodes: list = field(default_factory=list)
    by_code: dict = field(default_factory=dict)
    repeats_of: dict = field(default_factory=dict)  # code -> enclosing repeat codes, outermost first
    _compiled: object = None
    _triggers: set | None = None  # trigger_sources(), once per structure
    _data: dict | None = None  # data(), once per structure (one query for forms with pulldata)

    @classmethod
    def of(cls, questions, sections=None):
        if sections is None:
            version_ids = {q.version_id for q in questions}
            sections = list(Section.objects.filter(version__in=version_ids).order_by("order", "pk"))
        structure = cls(questions=list(questions), sections=list(sections))
        structure.build()
        return structure

    def build(self):
        by_pk = {s.pk: s for s in self.sections}
        items = sorted(
            [(s.order, 0, s) for s in self.sections] + [(q.order, 1, q) for q in self.questions],
            key=lambda item: (item[0], item[1]),
        )
        for _order, _kind, item in items:
            parent = by_pk.get(item.parent_id if isinstance(item, Section) else item.section_id)
            self.nodes.append(logic_node(item, parent.code if parent else None))
            self.by_code[item.code] = item
        for node in self.nodes:
            chain, parent = [], node["parent"]
            while parent is not None:
                section = self.by_code[parent]
                if section.is_repeat:
                    chain.insert(0, section.code)
                parent = by_pk[section.parent_id].code if section.parent_id else None
            self.repeats_of[node["name"]] = chain

    def trigger_sources(self) -> set:
        """The codes of the questions some question's ``trigger`` names (their change sets it)."""
        from surveys.formlogic import trigger_names

        if self._triggers is None:
            self._triggers = {
                name for question in self.questions if question.trigger for name in trigger_names(question.trigger)
            }
        return self._triggers

    def changed_triggers(self, before: dict, after: dict) -> set:
        """The (code, repeat) keys of trigger questions whose value differs between two sets of answers
        ({(code, repeat): domain value}; a missing answer is an empty one), as ODK fires a setvalue."""
        sources = self.trigger_sources()
        changed = set()
        for key in {key for key in (*before, *after) if key[0] in sources}:
            question = self.by_code.get(key[0])
            if not isinstance(question, Question):
                continue
            if values.to_instance(question, before.get(key)) != values.to_instance(question, after.get(key)):
                changed.add(key)
        return changed

    @property
    def has_media(self):
        return any(q.type in Question.MEDIA_TYPES for q in self.questions)

    def compiled(self):
        """The form logic's compiled form (every expression parsed once), kept while this structure lives;
        a published version's is kept between requests (it never changes)."""
        if self._compiled is None:
            from surveys import formlogic

            key = self.cache_key()
            self._compiled = _COMPILED.get(key) if key else None
            if self._compiled is None:
                self._compiled = formlogic.compile_form(self.nodes)
                if key:
                    if len(_COMPILED) >= 64:
                        _COMPILED.pop(next(iter(_COMPILED)))
                    _COMPILED[key] = self._compiled
        return self._compiled

    def cache_key(self):
        versions = {q.version_id for q in self.questions}
        if len(versions) != 1:
            return None
        version = self.questions[0].version if self.questions else None
        if version is None or version.status == "draft":
            return None
        return (version.pk, len(self.nodes))

    def data(self):
        """{file name without .csv: DataTable} of the CSVs attached to the version that pulldata() reads."""
        from surveys.models import VersionFile

        if self._data is not None:
            return self._data
        names = self.compiled().data_files
        if not names or not self.questions:
            self._data = {}
            return self._data
        tables = {}
        for file in VersionFile.objects.filter(version=self.questions[0].version_id, name__in=names):
            key = (file.pk, file.md5)
            table = _DATA.get(key)
            if table is None:
                table = expressions.DataTable(read_data_file(file))
                if len(_DATA) >= 64:
                    _DATA.pop(next(iter(_DATA)))
                _DATA[key] = table
            tables[file.name[: -len(".csv")]] = table
        self._data = tables
        return tables

    def data_rows(self):
        """pulldata()'s rows for the browser, {file: [{column: text}]}, with only the columns the form reads
        when every pulldata() names its columns as quoted text."""
        wanted = self.compiled().data_columns
        rows = {}
        for name, table in self.data().items():
            columns = wanted.get(name)
            if columns is None:
                rows[name] = list(table.rows)
            else:
                rows[name] = [{k: v for k, v in row.items() if k in columns} for row in table.rows]
        return rows

    def choice_labels(self):
        """{select code: {value: label}} in the form's language, for jr:choice-name()."""
        labels = {}
        for question in self.questions:
            if question.type in Question.CHOICE_TYPES or question.type == T.YES_NO:
                labels[question.code] = {c.value: c.label for c in question.choices.all()}
        return labels

    def choices(self):
        """{question code: [{name: value, label, …columns}]} for choice filters."""
        lists = {}
        for question in self.questions:
            if question.type in Question.CHOICE_TYPES and question.choice_filter:
                lists[question.code] = [
                    {"name": choice.value, **{str(k): str(v) for k, v in choice.extra.items()}}
                    for choice in question.choices.all()
                ]
        return lists


def form_csv_reader(text: str) -> csv.DictReader:
    """A form's CSV as rows of {column: text}: columns separated by commas, or by semicolons when the header
    holds one (Excel writes those where the list separator is ';'), as JavaRosa reads a form's CSVs
    (getodk/javarosa#644) and ODK Web Forms guesses."""
    header = text.partition("\n")[0]
    return csv.DictReader(io.StringIO(text), delimiter=";" if ";" in header else ",")


def read_data_file(file) -> list[dict]:
    """A CSV's rows as {column: text} (UTF-8, a BOM allowed); a file that cannot be read has no rows."""
    with file.file.open("rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8-sig")
        return [{str(k): v or "" for k, v in row.items() if k is not None} for row in form_csv_reader(text)]
    except (UnicodeDecodeError, csv.Error):
        return []


def logic_node(item, parent):
    """A group, repeat or question (a model or an XLSForm spec: the same attributes) as the form logic reads
    it; ``parent`` is the code of its enclosing group or repeat (or None)."""
    if hasattr(item, "repeat_count"):
        return {
            "name": item.code,
            "kind": "repeat" if item.kind == Section.Kind.REPEAT else "group",
            "parent": parent,
            "relevant": item.relevant,
            "repeat_count": item.repeat_count,
        }
    node = {
        "name": item.code,
        "kind": "question",
        "parent": parent,
        "type": logic_type(item),
        "relevant": item.relevant,
        "constraint": constraint_of(item),
        "required": "yes" if item.required else item.required_if,
        "calculation": item.calculation,
        "default": item.default,
        "read_only": "yes" if item.read_only else "",
        "choice_filter": item.choice_filter,
    }
    if item.trigger:
        node["trigger"] = item.trigger
    return node


def logic_type(question) -> str:
    """The XLSForm base type the form logic knows a question by."""
    return {
        T.LONG_TEXT: "text",
        T.SCALE: "integer",
        T.SINGLE_CHOICE: "select_one",
        T.YES_NO: "select_one",
        T.MULTIPLE_CHOICE: "select_multiple",
        T.ACTOR_RELATIONSHIP: "select_multiple",
    }.get(question.type, str(question.type))


def constraint_of(question) -> str:
    """The question's constraint, with its minimum and maximum (a scale's 1 to 5) in it."""
    if question.type == T.SCALE:
        low, high = 1, 5
    else:
        low, high = question.min_value, question.max_value
    parts = []
    if low is not None:
        parts.append(f". >= {values.plain_number(low)}")
    if high is not None:
        parts.append(f". <= {values.plain_number(high)}")
    if question.constraint:
        parts.append(f"({question.constraint})" if parts else question.constraint)
    return " and ".join(parts)


@dataclass
class Evaluation:
    """What one pass of the form logic says about an interview's answers."""

    kept: dict  # {(code, repeat): domain value}: relevant, answered (computed values included)
    problems: dict  # {(code, repeat): message}: relevant answers that break a rule (constraint, choice)
    missing: dict  # {(code, repeat): message}: relevant, required and unanswered (blocks submission only)
    relevant: set  # {(code, repeat)} of relevant questions
    counts: dict  # {(repeat code, parent repeat): number of instances}


def _message(question, texts_field, fallback):
    text = question.text(texts_field)
    return text or fallback


def evaluate(structure: Structure, answers: dict, *, counts=None, now=None, changed=None) -> Evaluation:
    """Run the form logic over ``answers`` ({(code, repeat): domain value}) and say what to keep and why not.

    ``counts``: {(repeat code, parent repeat): instances the researcher made} for open-ended repeats (by
    default, as many as the answers show). A calculation's answer is its previous value (``.``), so that
    ``once(now())`` keeps what it first computed; the others are computed again here.

    ``changed``: the (code, repeat) keys of trigger questions the user changed (Structure.changed_triggers):
    a question with a ``trigger`` gets its calculation (or is emptied) where one of them is its trigger, and
    keeps its answer everywhere else (by default nowhere: a device sets them itself)."""
    from surveys import formlogic

    now = now or timezone.now()
    instance = {}
    for (code, repeat), value in answers.items():
        question = structure.by_code.get(code)
        if isinstance(question, Question):
            instance.setdefault(code, {})[path_of(repeat)] = values.to_instance(question, value)
    made = dict(counts or {})
    for code, repeat in answers:
        chain = structure.repeats_of.get(code, [])
        path = path_of(repeat)
        for depth, repeat_code in enumerate(chain):
            if depth < len(path):
                key = (repeat_code, repeat_of(path[:depth]))
                made[key] = max(made.get(key, 0), path[depth])
    logic_counts = {}
    for (repeat_code, parent), number in made.items():
        logic_counts.setdefault(repeat_code, {})[path_of(parent)] = number
    local = timezone.localtime(now)
    fired: dict = {}
    for code, repeat in changed or ():
        fired.setdefault(code, []).append(path_of(repeat))
    result = formlogic.evaluate_form(
        structure.compiled(),
        instance,
        counts=logic_counts,
        now=local,
        utc_offset=int(local.utcoffset().total_seconds() // 60),
        choices=structure.choices(),
        choice_labels=structure.choice_labels(),
        data=structure.data(),
        changed=fired,
    )
    kept, problems, missing, relevant = {}, {}, {}, set()
    for code, by_path in result["values"].items():
        question = structure.by_code.get(code)
        if not isinstance(question, Question) or not question.is_answered:
            continue
        for path, text in by_path.items():
            if text in ("", None):
                continue
            key = (code, repeat_of(path))
            original = answers.get(key)
            set_here = question.trigger and text != instance.get(code, {}).get(path)
            if (
                (question.calculation and not question.trigger)
                or set_here
                or question.type == T.CALCULATE
                or values.is_empty(original)
            ):
                try:
                    kept[key] = values.from_instance(question, text)
                except values.ValueProblem as problem:
                    if question.calculation:
                        problems[key] = problem.message
            else:
                kept[key] = original
    for code, by_path in result["relevant"].items():
        for path, shown in by_path.items():
            if shown:
                relevant.add((code, repeat_of(path)))
    for error in result["errors"]:
        question = structure.by_code.get(error["name"])
        if not isinstance(question, Question):
            continue
        key = (error["name"], repeat_of(error["path"]))
        kind = error["kind"]
        if kind == "required":
            missing[key] = _message(question, "required_messages", _("This question is required to submit."))
        elif kind == "constraint":
            number = kept.get(key)
            if number is not None and question.type in Question.NUMBER_TYPES and not question.constraint_messages:
                problems[key] = question.number_problem(number) or _("The answer does not meet the question's rule.")
            else:
                problems[key] = _message(
                    question, "constraint_messages", _("The answer does not meet the question's rule.")
                )
        elif kind == "choice":
            problems[key] = _("Choose one of the options.")
    for key, value in kept.items():
        question = structure.by_code[key[0]]
        if question.type in (T.INTEGER, T.SCALE) and value != value.to_integral_value():
            problems.setdefault(key, _("The answer must be a whole number."))
    final_counts = {}
    for repeat_code, by_parent in result["counts"].items():
        for parent, number in by_parent.items():
            final_counts[(repeat_code, repeat_of(parent))] = number
    return Evaluation(kept=kept, problems=problems, missing=missing, relevant=relevant, counts=final_counts)


def metadata_answers(structure: Structure, *, user, started_at=None, ended_at=None, device="web"):
    """The answers a form records by itself for metadata questions (start, end, today, username …)."""
    now = timezone.now()
    recorded = {}
    for question in structure.questions:
        if question.type == T.START:
            recorded[(question.code, "")] = started_at or now
        elif question.type == T.END:
            recorded[(question.code, "")] = ended_at or now
        elif question.type == T.TODAY:
            recorded[(question.code, "")] = timezone.localdate(now)
        elif question.type == T.USERNAME:
            recorded[(question.code, "")] = user.get_username()
        elif question.type == T.DEVICEID:
            recorded[(question.code, "")] = device
        elif question.type == T.EMAIL and getattr(user, "email", ""):
            recorded[(question.code, "")] = user.email
    return recorded
