"""Mapping pyxform's survey structure onto a ``FormSpec``: types, texts, binds, parameters, extras."""

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys import formlogic
from surveys.models import RESERVED_PREFIX, Question
from surveys.xlsform.spec import (
    ACTORS_FILE,
    BOUND,
    FALSE_WORDS,
    MAX_NESTING,
    MEDIA_COLUMN,
    RELATIONSHIP_MARKER,
    RELATIVE_REFERENCE,
    SCALE_MAX,
    SCALE_MIN,
    TICK_LABELS,
    TRUE_WORDS,
    TYPE_MARKER,
    ChoiceSpec,
    Problem,
    QuestionSpec,
    SectionSpec,
    T,
    _texts,
    is_file_list,
)

QUOTED = re.compile(r"""('[^']*'|"[^"]*")""")
ABSOLUTE_PATH = re.compile(r"(?<![\w$}])/[A-Za-z_][A-Za-z0-9_.\-]*(?:/[A-Za-z_][A-Za-z0-9_.\-]*)+")


def _references(expression) -> str:
    """XPath paths to questions as XLSForm references: '../q' and '/data/group/q' -> '${q}' (pyxform writes
    such paths in the rules it adds itself, e.g. or_other's "specify other"; names are unique in a form)."""
    text = str(expression or "")
    if "/" not in text:
        return text
    parts = QUOTED.split(text)  # odd indexes are quoted texts, left as they are
    for index in range(0, len(parts), 2):
        part = RELATIVE_REFERENCE.sub(lambda m: "${" + m.group(1) + "}", parts[index])
        parts[index] = ABSOLUTE_PATH.sub(lambda m: "${" + m.group(0).rsplit("/", 1)[1] + "}", part)
    return "".join(parts)


def _trigger_text(value) -> str:
    """pyxform reads the trigger column '${a}, ${b}' into the names ('a', 'b'): back to the column's text."""
    if isinstance(value, list | tuple):
        return ", ".join("${" + str(name) + "}" for name in value)
    return str(value or "")


def _parse_parameters(value) -> dict:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    parameters = {}
    for part in re.split(r"[\s;,]+", str(value or "").strip()):
        if "=" in part:
            key, _sep, item = part.partition("=")
            parameters[key.strip()] = item.strip()
    return parameters


def _parse_bounds(text: str) -> tuple[Decimal | None, Decimal | None] | None:
    """(min, max) from ". >= a and . <= b" (either part alone is fine); None for anything else."""
    bounds: dict[str, Decimal] = {}
    for part in re.split(r"\s+and\s+", text.strip()):
        match = BOUND.fullmatch(part.strip())
        if not match or match.group(1) in bounds:
            return None
        bounds[match.group(1)] = Decimal(match.group(2))
    return bounds.get(">="), bounds.get("<=")


def _fits_database(value: Decimal) -> bool:
    # Question.min_value / max_value: 20 digits, 6 after the point.
    try:
        return abs(value) < Decimal(10) ** 14 and value.normalize().as_tuple().exponent >= -6
    except InvalidOperation:
        return False


def _canonical_type(name: str):
    """(our type, file) for pyxform's type name, or (None, reason) when the site cannot take it."""
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    entry = QUESTION_TYPE_DICT.get(name)
    if entry is None:
        return None, gettext("The question type '%(type)s' is unknown.") % {"type": name}
    tag = entry.get("control", {}).get("tag")
    bind = entry.get("bind", {})
    kind = bind.get("type")
    preload = bind.get("jr:preloadParams", "")
    if name in ("background-audio", "background-geopoint"):
        return None, gettext("Recording in the background ('%(type)s') is not supported.") % {"type": name}
    if name in ("xml-external", "csv-external"):
        return None, gettext(
            "External data files ('%(type)s') are not supported: put the choices in a file of the form instead."
        ) % {"type": name}
    if name == "select one external":
        return None, gettext(
            "'select_one_external' (the external_choices sheet) is not supported: use choices or select_one_from_file."
        )
    if tag == "odk:rank":
        return None, gettext(
            "Ranking questions ('rank') are not supported: use a select_multiple or one question per rank."
        )
    if name == "start-geopoint":
        return T.START_GEOPOINT, None
    if name == "audit":
        return T.AUDIT, None
    if preload:
        base = preload.removeprefix("uri:")
        mapping = {"start": T.START, "end": T.END, "today": T.TODAY, "deviceid": T.DEVICEID, "username": T.USERNAME,
                   "phonenumber": T.PHONENUMBER, "email": T.EMAIL, "subscriberid": T.SUBSCRIBERID,
                   "simserial": T.SIMSERIAL}  # fmt: skip
        if base in mapping:
            return mapping[base], None
    if bind.get("readonly") == "true()" and kind == "string" and tag == "input":
        return T.NOTE, None
    if tag == "upload":
        media = entry["control"].get("mediatype", "")
        for prefix, qtype in (("image", T.IMAGE), ("audio", T.AUDIO), ("video", T.VIDEO), ("application", T.FILE)):
            if media.startswith(prefix):
                return qtype, None
        return None, gettext("The question type '%(type)s' is not supported.") % {"type": name}
    if tag == "trigger":
        return T.ACKNOWLEDGE, None
    if tag == "range":
        return T.RANGE, None
    if tag == "select1":
        return T.SINGLE_CHOICE, None
    if tag == "select":
        return T.MULTIPLE_CHOICE, None
    if tag is None and kind == "string":
        return (T.HIDDEN if name == "hidden" else T.CALCULATE), None
    simple = {"string": T.TEXT, "int": T.INTEGER, "decimal": T.DECIMAL, "date": T.DATE, "time": T.TIME,
              "dateTime": T.DATETIME, "geopoint": T.GEOPOINT, "geotrace": T.GEOTRACE, "geoshape": T.GEOSHAPE,
              "barcode": T.BARCODE}  # fmt: skip
    if tag == "input" and kind in simple:
        return simple[kind], None
    return None, gettext("The question type '%(type)s' is not supported.") % {"type": name}


# Keys of pyxform's element dicts that the spec models; everything else is kept in ``extra``.
# What pyxform derives from other columns (dynamic defaults and triggers become "actions"): never kept.
def _derived_by_pyxform(key: str) -> bool:
    return key.startswith("_") or key == "actions"


def _default_as_pyxform_reads_it(element) -> str:
    """The question's default, an expression exactly when pyxform (and so ODK) takes it for one.

    pyxform calls a default dynamic when it holds an operator (``5 * 2``, ``12 div 4``, even ``2026-A`` on a
    text question) or a function call; the form logic (surveys.formlogic.is_dynamic_default, and its twin in
    the browser) knows an expression by ``${`` or a parenthesis. A default that pyxform computes is put in
    parentheses, which changes neither its value nor pyxform's reading of the exported form."""
    default = str(element.get("default", "") or "")
    if default and element.get("_dynamic_default") and not formlogic.is_dynamic_default(default):
        return f"({default})"
    return default


QUESTION_KEYS = frozenset(
    {"type", "name", "label", "hint", "bind", "control", "instance", "default", "trigger", "choice_filter",
     "parameters", "itemset", "list_name", "choices", "query"}
)  # fmt: skip
MODELLED_BIND = frozenset({"relevant", "constraint", "required", "calculate", "readonly", "jr:constraintMsg",
                           "jr:requiredMsg", "jr:preload", "jr:preloadParams"})  # fmt: skip


def _modelled_parameter_keys(qtype) -> dict:
    """The bind/control keys pyxform derives from a question's parameters (so not kept twice)."""
    derived = {"bind": set(), "control": set()}
    if qtype == T.RANGE:
        derived["control"] |= {"start", "end", "step", *RANGE_PARAMETERS}
    if qtype == T.IMAGE:
        derived["bind"] |= {"orx:max-pixels"}
    if qtype in (T.AUDIO,):
        derived["bind"] |= {"odk:quality"}
    if qtype == T.AUDIT:
        derived["bind"] |= {"odk:location-priority", "odk:location-min-interval", "odk:location-max-age",
                            "odk:track-changes", "odk:track-changes-reasons", "odk:identify-user"}  # fmt: skip
    if qtype in Question.LOCATION_TYPES:
        derived["control"] |= {"accuracyThreshold", "unacceptableAccuracyThreshold"}
        derived["bind"] |= {"odk:allow-mock-accuracy"}
    if qtype in (T.TEXT, T.LONG_TEXT):
        derived["control"] |= {"rows"}
    if qtype in Question.CHOICE_TYPES | {T.YES_NO, T.ACTOR_RELATIONSHIP}:
        derived["control"] |= {"randomize", "seed"}
    return derived


def _kept_columns(extra: dict) -> dict:
    """``extra`` with a plain 'media' column (a text, where media files are a dict by kind) under its own key."""
    if isinstance(extra.get("media"), str):
        extra[MEDIA_COLUMN] = extra.pop("media")
    return extra


# A range's parameters as pyxform passes them on (the names of the XForm's attributes) -> as the column has them.
RANGE_PARAMETERS = {"odk:tick-interval": "tick_interval", "odk:placeholder": "placeholder"}


# What pyxform puts in its meta group by itself.
PYXFORM_META = frozenset({"instanceID", "instanceName"})


class _Mapper:
    """pyxform's survey structure -> FormSpec; every problem is told with its row."""

    def __init__(self, rows_by_name, problems, formulas, choice_lists=None, entities_row=None):
        # Each name's rows, in order; the first one when a problem names another question.
        self.all_rows = rows_by_name
        self.rows = {name: rows[0] for name, rows in rows_by_name.items()}
        self.seen: Counter = Counter()
        # The form's choice lists: pyxform leaves them out of a randomized select's element.
        self.choice_lists = choice_lists or {}
        self.current: tuple[str | None, int | None] = (None, None)
        self.problems = problems
        self.formulas = formulas
        self.items: list = []
        self.languages: list[str] = []
        self.files: list[str] = []
        self.codes: dict[str, int | None] = {}
        self.entities_row = entities_row

    def problem(self, name, message, /, **params):
        self.problems.append(Problem("survey", self.row_of(name), str(message) % params))

    def row_of(self, name):
        return self.current[1] if name == self.current[0] else self.rows.get(name)

    def enter(self, name):
        """The element being mapped is the next one named ``name``: its problems are told on its own row."""
        rows = self.all_rows.get(name, [])
        occurrence = self.seen[name]
        self.seen[name] += 1
        self.current = (name, rows[occurrence] if occurrence < len(rows) else self.rows.get(name))

    def note_languages(self, *text_maps):
        for texts in text_maps:
            for language in texts:
                if language not in self.languages:
                    self.languages.append(language)

    def claim(self, name) -> bool:
        if not name:
            return False
        if name.lower().startswith(RESERVED_PREFIX):
            self.problem(name, _("The name '%(name)s' starts with '%(prefix)s', which the site keeps for its own."),
                         name=name, prefix=RESERVED_PREFIX)  # fmt: skip
            return False
        if name in self.codes:
            self.problem(
                name,
                _("The name '%(name)s' is used twice in the form (also in row %(row)s): names must be unique."),
                name=name,
                row=self.codes[name] or "?",
            )
            return False
        self.codes[name] = self.row_of(name)
        return True

    def walk(self, children, parent, depth=0):
        children = list(children or [])
        skip = self.generated_repeat_counts(children)
        for element in children:
            name = element.get("name", "")
            kind = element.get("type", "")
            if name in skip:
                continue
            if kind == "group" and name == "meta" and parent is None and element.get("control", {}).get("bodyless"):
                # pyxform's own group: instanceID (and instanceName), recorded for every interview; pyxform
                # also moves the form's audit into it, which is the form's.
                self.walk(
                    [child for child in element.get("children") or [] if child.get("name") not in PYXFORM_META], None
                )
                continue
            if kind == "entity" and parent is None:  # pyxform's meta/entity, from the entities sheet
                self.problems.append(
                    Problem(
                        "entities",
                        self.entities_row,
                        str(
                            _(
                                "Entities (the entities sheet) are not supported: "
                                "answers cannot create or update them here."
                            )
                        ),
                    )
                )
                continue
            self.enter(name)
            if kind in ("group", "repeat"):
                self.section(element, parent, skip, depth + 1)
            elif kind == "loop":
                self.problem(name, _("Loops ('begin loop') are not supported: use a repeat."))
            else:
                self.question(element, parent)

    def generated_repeat_counts(self, children):
        """pyxform turns ``repeat_count`` 3 into a calculate 'REPEAT_count' before the repeat; fold it back."""
        generated = {}
        for element in children:
            name = element.get("name", "")
            bind = element.get("bind", {})
            if element.get("type") == "calculate" and name.endswith("_count") and bind.get("readonly") == "true()":
                generated[name] = bind.get("calculate", "")
        folded = {}
        for element in children:
            if element.get("type") == "repeat":
                count = element.get("control", {}).get("jr:count", "")
                wanted = f"{element.get('name')}_count"
                if count == "${" + wanted + "}" and wanted in generated and wanted not in self.rows:
                    folded[wanted] = generated[wanted]
        return folded

    def section(self, element, parent, folded, depth):
        name = element.get("name", "")
        if depth > MAX_NESTING:
            self.problem(name, _("Groups and repeats nest more than %(limit)d levels deep here."), limit=MAX_NESTING)
            return
        labels = _texts(element.get("label"))
        bind = dict(element.get("bind", {}))
        control = dict(element.get("control", {}))
        spec = SectionSpec(
            code=name,
            kind="repeat" if element["type"] == "repeat" else "group",
            labels=labels,
            relevant=_references(bind.pop("relevant", "")),
            appearance=control.pop("appearance", ""),
            parent=parent,
        )
        if spec.kind == "repeat":
            count = control.pop("jr:count", "")
            generated = f"{name}_count"
            spec.repeat_count = folded.get(generated, count) if count == "${" + generated + "}" else _references(count)
        self.note_languages(labels)
        extra = {}
        if bind:
            extra["bind"] = bind
        if control:
            extra["control"] = control
        for key, value in element.items():
            if key not in ("type", "name", "label", "bind", "control", "children") and not _derived_by_pyxform(key):
                extra[key] = _trigger_text(value) if key == "trigger" else value
        if "hint" in extra:
            self.note_languages(_texts(extra["hint"]))
        spec.extra = _kept_columns(extra)
        if self.claim(name):
            self.items.append(spec)
        self.walk(element.get("children"), name, depth)

    def question(self, element, parent):
        name = element.get("name", "")
        type_name = element.get("type", "")
        instance = dict(element.get("instance", {}))
        marker = instance.pop(TYPE_MARKER, "")
        relationship = instance.pop(RELATIONSHIP_MARKER, "")
        qtype, reason = _canonical_type(type_name)
        if qtype is None:
            self.problem(name, "%(reason)s", reason=reason)
            return
        bind = dict(element.get("bind", {}))
        control = dict(element.get("control", {}))
        itemset = element.get("itemset", "")
        list_name = element.get("list_name", "") or itemset
        from_file = is_file_list(itemset) and qtype in Question.CHOICE_TYPES
        qtype = self.apply_marker(name, qtype, marker, itemset, element)
        if qtype is None:
            return
        if qtype == T.TEXT and "multiline" in control.get("appearance", "").split():
            qtype = T.LONG_TEXT
            # The type says it: the appearance keeps only what else it holds (the export writes it back).
            control["appearance"] = " ".join(word for word in control["appearance"].split() if word != "multiline")
        spec = QuestionSpec(code=name, type=str(qtype), section_code=parent)
        spec.labels = _texts(element.get("label"))
        spec.hints = _texts(element.get("hint"))
        spec.relevant = _references(bind.pop("relevant", ""))
        spec.calculation = _references(bind.pop("calculate", ""))
        spec.constraint_messages = _texts(bind.pop("jr:constraintMsg", None))
        spec.required_messages = _texts(bind.pop("jr:requiredMsg", None))
        self.read_required(spec, _references(bind.pop("required", "")))
        self.read_constraint(spec, _references(bind.pop("constraint", "")))
        self.read_type_rules(spec, type_name, element)
        read_only = str(bind.pop("readonly", "")).strip()
        if qtype == T.NOTE or read_only.lower() in TRUE_WORDS:
            spec.read_only = qtype != T.NOTE
        elif read_only.lower() not in FALSE_WORDS:
            bind["readonly"] = read_only  # a condition: kept for devices, the web form leaves it editable
        for key in ("jr:preload", "jr:preloadParams"):
            value = bind.pop(key, None)
            if value is not None and qtype not in Question.METADATA_TYPES:
                bind[key] = value
        spec.default = _default_as_pyxform_reads_it(element)
        spec.trigger = _trigger_text(element.get("trigger"))
        spec.choice_filter = str(element.get("choice_filter", "") or "")
        spec.appearance = control.pop("appearance", "")
        spec.parameters = _parse_parameters(element.get("parameters"))
        if qtype == T.RANGE:
            self.read_range_labels(spec, element)
        if relationship:
            spec.relationship_kind = relationship
        derived = _modelled_parameter_keys(qtype)
        for key in derived["bind"]:
            bind.pop(key, None)
        for key in derived["control"]:
            control.pop(key, None)
        if qtype in Question.CHOICE_TYPES or qtype in (T.YES_NO, T.ACTOR_RELATIONSHIP):
            spec.list_name = list_name
            if from_file:
                if itemset not in self.files:
                    self.files.append(itemset)
            elif str(list_name).startswith("${"):
                self.problem(
                    name,
                    _(
                        "Choices taken from the answers to '%(reference)s' (select_one ${name}) are not supported: "
                        "write the choices on the choices sheet."
                    ),
                    reference=list_name,
                )
            elif qtype != T.ACTOR_RELATIONSHIP:
                listed = element.get("choices") or self.choice_lists.get(list_name) or []
                spec.choices = [self.choice(choice) for choice in listed]
                if not spec.choices:
                    self.problem(name, _("The choice list '%(list)s' is not on the choices sheet."), list=list_name)
        self.note_media(element.get("media"))
        extra = {}
        if bind:
            extra["bind"] = bind
        if control:
            extra["control"] = control
        if instance:
            extra["instance"] = instance
        for key, value in element.items():
            if key not in QUESTION_KEYS and not _derived_by_pyxform(key):
                extra[key] = value
        spec.extra.update(_kept_columns(extra))
        self.note_languages(spec.labels, spec.hints, spec.constraint_messages, spec.required_messages)
        if qtype == T.YES_NO and sorted(c.value for c in spec.choices) != ["no", "yes"]:
            self.problem(
                name,
                _("A yes/no question needs a list with exactly the choices 'yes' and 'no'; '%(list)s' differs."),
                list=list_name,
            )
        if qtype == T.SCALE:
            spec.min_value = spec.max_value = None
        if self.claim(name):
            self.items.append(spec)

    def read_range_labels(self, spec, element):
        """A range's parameters under their column names, and its tick labels (tick_labelset=LIST, which pyxform
        takes out of the parameters into the itemset): the list's choices, kept with the question."""
        spec.parameters = {RANGE_PARAMETERS.get(key, key): value for key, value in spec.parameters.items()}
        labels = element.get("itemset")
        if labels:
            spec.parameters["tick_labelset"] = spec.list_name = str(labels)
            choices = [self.choice(choice) for choice in self.choice_lists.get(labels) or []]
            spec.extra[TICK_LABELS] = [{"value": c.value, "labels": c.labels, "extra": c.extra} for c in choices]

    def apply_marker(self, name, qtype, marker, itemset, element):
        if not marker:
            if itemset == ACTORS_FILE and qtype == T.MULTIPLE_CHOICE:
                return qtype
            return qtype
        allowed = {
            T.INTEGER: (T.SCALE,),
            T.SINGLE_CHOICE: (T.YES_NO,),
            T.MULTIPLE_CHOICE: (T.ACTOR_RELATIONSHIP,),
            T.TEXT: (T.LONG_TEXT,),
        }.get(qtype, ())
        if marker not in allowed:
            self.problem(
                name,
                _("casebook:type '%(marker)s' does not fit the type '%(type)s'."),
                marker=marker,
                type=element.get("type", ""),
            )
            return None
        if marker == T.ACTOR_RELATIONSHIP and itemset != ACTORS_FILE:
            self.problem(name, _("An actor relationship question reads its choices from %(file)s."), file=ACTORS_FILE)
            return None
        return Question.Type(marker)

    def note_media(self, media):
        """Files a label shows (media::image …) are files the form needs. A 'media' column without a kind is
        not one: pyxform leaves it out of the XForm (it is kept as a column of the team's)."""
        if not isinstance(media, dict):
            return
        for value in media.values():
            names = value.values() if isinstance(value, dict) else [value]
            if isinstance(value, dict):
                self.note_languages(value)
            for name in names:
                if name and str(name) not in self.files:
                    self.files.append(str(name))

    def read_type_rules(self, spec, type_name, element):
        """Types with a rule of their own ('phone number', 'percentage', uri:deviceid …) keep their name; the
        rule becomes the question's constraint, which the site checks."""
        from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

        entry = QUESTION_TYPE_DICT.get(type_name, {})
        bind = entry.get("bind", {})
        if bind.get("constraint") and not spec.constraint and spec.min_value is None and spec.max_value is None:
            spec.constraint = bind["constraint"]
        if bind.get("constraint") or str(bind.get("jr:preloadParams", "")).startswith("uri:"):
            spec.extra["xlsform_type"] = type_name

    def choice(self, element) -> ChoiceSpec:
        labels = _texts(element.get("label"))
        self.note_languages(labels)
        self.note_media(element.get("media"))
        extra = {key: value for key, value in element.items() if key not in ("name", "label")}
        return ChoiceSpec(value=str(element.get("name", "")), labels=labels, extra=extra)

    def read_required(self, spec, text):
        answer = str(text).strip()
        if answer.lower() in TRUE_WORDS:
            spec.required = True
        elif answer.lower() not in FALSE_WORDS:
            spec.required_if = answer

    def read_constraint(self, spec, text):
        text = str(text or "").strip()
        if not text:
            return
        if spec.type in (T.INTEGER, T.DECIMAL, T.SCALE, T.RANGE):
            bounds = _parse_bounds(text)
            if bounds is not None:
                low, high = bounds
                if spec.type == T.SCALE:
                    if (low, high) != (SCALE_MIN, SCALE_MAX):
                        self.problem(
                            spec.code, _("A scale takes the values 1 to 5: its constraint is '. >= 1 and . <= 5'.")
                        )
                    return
                for bound in (low, high):
                    if bound is not None and not _fits_database(bound):
                        self.problem(
                            spec.code,
                            _("The limit %(value)s is too large or too precise (at most 14 digits, 6 decimals)."),
                            value=bound,
                        )
                        return
                if low is not None and high is not None and low > high:
                    self.problem(spec.code, _("The minimum %(low)s is above the maximum %(high)s."), low=low, high=high)
                    return
                spec.min_value, spec.max_value = low, high
                return
        spec.constraint = text
