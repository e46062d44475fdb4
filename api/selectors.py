"""Reads of the API that no page shares: interviews' answers as typed JSON values."""

from surveys.models import Answer, Question

T = Question.Type


def typed_answers(interview_ids):
    """{interview id: {question code: value}} for these interviews, in one query whatever their number.

    Values are JSON-ready: integers, scales and ranges as int, decimals as Decimal (written as numbers),
    dates, times and dates-and-times as ISO text, yes/no as bool, single choices as the option's value,
    multiple choices as a list of values, actor relationships as a list of actor ids, the rest as text.
    A question inside a repeat has {repetition: value} ("1", "2", "2.1").
    """
    result = {pk: {} for pk in interview_ids}
    if not interview_ids:
        return result
    rows = (
        Answer.objects.filter(interview_id__in=list(interview_ids))
        .order_by(
            "interview_id",
            "question__order",
            "question_id",
            "repeat",
            "chosen__choice__order",
            "named_actors__actor_id",
        )
        .values_list(
            "interview_id",
            "question__code",
            "question__type",
            "repeat",
            "text_value",
            "number_value",
            "date_value",
            "time_value",
            "datetime_value",
            "bool_value",
            "chosen__choice__value",
            "named_actors__actor_id",
        )
    )
    for interview_id, code, qtype, repeat, text, number, date, time, moment, flag, choice, actor_id in rows:
        answers = result[interview_id]
        if repeat:
            holder, key = answers.setdefault(code, {}), repeat
        else:
            holder, key = answers, code
        if qtype == T.MULTIPLE_CHOICE:
            values = holder.setdefault(key, [])
            if choice is not None:
                values.append(choice)
        elif qtype == T.ACTOR_RELATIONSHIP:
            values = holder.setdefault(key, [])
            if actor_id is not None:
                values.append(actor_id)
        elif qtype == T.SINGLE_CHOICE:
            holder[key] = choice
        elif qtype in (T.INTEGER, T.SCALE, T.RANGE):
            holder[key] = None if number is None else (int(number) if number == number.to_integral_value() else number)
        elif qtype == T.DECIMAL:
            holder[key] = None if number is None else number.normalize()
        elif qtype in (T.DATE, T.TODAY):
            holder[key] = None if date is None else date.isoformat()
        elif qtype == T.TIME:
            holder[key] = None if time is None else time.isoformat()
        elif qtype in (T.DATETIME, T.START, T.END):
            holder[key] = None if moment is None else moment.isoformat()
        elif qtype == T.YES_NO:
            holder[key] = flag
        else:
            holder[key] = text
    return result
