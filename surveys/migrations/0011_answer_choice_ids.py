from django.db import migrations, models

# Each answer's chosen options, copied from its AnswerChoice rows in the options' order (order, id), for the
# answers whose ids lie in [lo, hi).
FILL = {
    "postgresql": """
        UPDATE surveys_answer a SET choice_ids = s.ids
        FROM (
            SELECT ac.answer_id, jsonb_agg(ac.choice_id ORDER BY c."order", c.id) AS ids
            FROM surveys_answerchoice ac JOIN surveys_choice c ON c.id = ac.choice_id
            WHERE ac.answer_id >= %(lo)s AND ac.answer_id < %(hi)s
            GROUP BY ac.answer_id
        ) s
        WHERE s.answer_id = a.id AND a.choice_ids IS NULL
    """,
    "sqlite": """
        UPDATE surveys_answer SET choice_ids = (
            SELECT json_group_array(choice_id) FROM (
                SELECT ac.choice_id FROM surveys_answerchoice ac JOIN surveys_choice c ON c.id = ac.choice_id
                WHERE ac.answer_id = surveys_answer.id ORDER BY c."order", c.id
            )
        )
        WHERE id IN (SELECT answer_id FROM surveys_answerchoice WHERE answer_id >= %(lo)s AND answer_id < %(hi)s)
          AND choice_ids IS NULL
    """,
}
CHUNK = 50_000  # answers' ids per statement: each commits on its own, so no edit waits long for its rows


def fill(apps, schema_editor):
    """Chunk by chunk, outside one transaction (the migration is not atomic). An answer whose copy is not
    there yet, or was written by the code before this one while the upgrade ran, is exported from its
    AnswerChoice rows (surveys/export_sql.py), so the order in which this and the restart happen does not
    matter."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(answer_id), max(answer_id) FROM surveys_answerchoice")
        first, last = cursor.fetchone()
        if first is None:
            return
        for lo in range(first, last + 1, CHUNK):
            cursor.execute(FILL[connection.vendor], {"lo": lo, "hi": lo + CHUNK})
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # As clusters' 0008 after its fill: the planner's statistics of the new column, and the visibility
            # map of the rows just written, at once rather than at autovacuum's next round.
            cursor.execute("VACUUM (ANALYZE) surveys_answer")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("surveys", "0010_findings_digests"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="choice_ids",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
