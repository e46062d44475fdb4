"""django-survey-and-report's CSV export of the same interviews as ours (bench/scale.py --compare-dsr).

Runs in a virtual environment of its own with that package from PyPI (never in ours); bench/scale.py makes
it under /tmp and runs this file there:

    <venv>/bin/python bench/dsr_export.py SOURCE_DSN TARGET_DSN

It copies every interview of SOURCE (our database: the 40-question questionnaire) into the package's
models in TARGET (a database of its own, migrated here): one survey, its 40 questions, a response per
interview and an answer per answer, each answer's text as the package stores it (a choice's value, several
values as its "[u'a', u'b']" list). Then it times the package's own CSV export of that survey
(``Survey2Csv``, what its admin action writes) in this process, and prints one JSON line: seconds, rows,
peak memory.
"""

import json
import resource
import sys
import time

import django
import psycopg
from django.conf import settings


def main(source, target):
    name, _sep, _rest = target.rpartition("/")[2].partition("?")
    host = target.split("@", 1)[1].split("/", 1)[0]
    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "survey"],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": name,
                "USER": target.split("://", 1)[1].split("@", 1)[0],
                "HOST": host.split(":")[0],
                "PORT": host.split(":")[1] if ":" in host else "5432",
            }
        },
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from survey.exporter.csv.survey2csv import Survey2Csv
    from survey.models import Question, Survey

    with psycopg.connect(source) as conn:
        questions = conn.execute(
            "SELECT q.id, q.code, q.type FROM surveys_question q JOIN surveys_questionnaireversion v "
            "ON v.id = q.version_id WHERE v.form_id = 'volumen' ORDER BY q.order"
        ).fetchall()
        interviews = conn.execute(
            "SELECT id, uuid FROM surveys_interview i WHERE version_id = "
            "(SELECT id FROM surveys_questionnaireversion WHERE form_id = 'volumen') ORDER BY id"
        ).fetchall()
        answers = conn.execute(
            "SELECT a.interview_id, a.question_id, a.text_value, a.number_value, a.bool_value, "
            "array_remove(array_agg(c.value ORDER BY c.order), NULL) FROM surveys_answer a "
            "LEFT JOIN surveys_answerchoice ac ON ac.answer_id = a.id "
            "LEFT JOIN surveys_choice c ON c.id = ac.choice_id "
            "JOIN surveys_interview i ON i.id = a.interview_id "
            "WHERE i.version_id = (SELECT id FROM surveys_questionnaireversion WHERE form_id = 'volumen') "
            "GROUP BY a.id ORDER BY a.id"
        ).fetchall()
    survey = Survey.objects.create(name="Cuestionario de volumen", description="bench", need_logged_user=False)
    made = Question.objects.bulk_create(
        Question(survey=survey, text=code, order=order, required=False, type=Question.TEXT)
        for order, (_pk, code, _type) in enumerate(questions)
    )
    question_of = {pk: question.pk for (pk, _code, _type), question in zip(questions, made, strict=True)}
    with psycopg.connect(target, autocommit=True) as conn, conn.cursor() as cursor:
        response_of = {}
        with cursor.copy("COPY survey_response (id, created, updated, survey_id, interview_uuid) FROM STDIN") as copy:
            for number, (pk, uid) in enumerate(interviews, start=1):
                response_of[pk] = number
                copy.write_row((number, "2025-01-01", "2025-01-01", survey.pk, str(uid)))
        with cursor.copy("COPY survey_answer (question_id, response_id, created, updated, body) FROM STDIN") as copy:
            for interview_id, question_id, text, number, flag, chosen in answers:
                if chosen:
                    body = chosen[0] if len(chosen) == 1 else "[u'" + "', u'".join(chosen) + "']"
                elif number is not None:
                    body = str(number.normalize())
                elif flag is not None:
                    body = "yes" if flag else "no"
                else:
                    body = text
                copy.write_row((question_of[question_id], response_of[interview_id], "2025-01-01", "2025-01-01", body))
        conn.execute("ANALYZE")
    started = time.perf_counter()
    csv = str(Survey2Csv(survey))
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": csv.count("\n"),
                "answers": len(answers),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
