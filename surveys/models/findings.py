"""The findings' summary table: per bucket of interviews, the counts their answers add up to.

A bucket is the interviews of one cluster, questionnaire version and status dated ``first_day`` ..
``last_day`` (a calendar month, or the part of one that a date filter keeps). Its ``stamp`` is a digest of
those interviews' (count, latest update, sum of lock versions, sum of ids) when the tallies were computed:
every save of an interview changes it, so a bucket whose stamp differs from its interviews' is stale and is
computed again (surveys.tallies), with a digest of each question's tallies (``FindingsDigest``): the figures
added up for a question stay valid while its digests in the selected buckets do. Nothing else writes these
tables; they can be emptied at any time.
"""

from django.db import models

from clusters.models import Actor, Cluster
from surveys.models.questionnaires import Choice, Question, QuestionnaireVersion


class FindingsBucket(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+", db_index=False)
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=10)
    first_day = models.DateField()
    last_day = models.DateField()
    stamp = models.CharField(max_length=64, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "version", "status", "first_day", "last_day"], name="one_findings_bucket"
            )
        ]

    def __str__(self):
        return f"{self.cluster_id}/{self.version_id}/{self.status} {self.first_day}..{self.last_day}"


class FindingsTally(models.Model):
    """How many answers of a bucket's interviews said one thing: a question answered, an option chosen, yes
    or no, a number (one row per distinct value: a histogram), an actor named, a text (``key`` its
    lower-cased trimmed form, ``text`` its first spelling)."""

    class Kind(models.TextChoices):
        ANSWERED = "answered"
        CHOICE = "choice"
        FLAG = "flag"
        SCALE = "scale"
        NUMBER = "number"
        ACTOR = "actor"
        QUOTE = "quote"

    # No constraint in the database either: checking it cost a month's computing 20 ms at commit (one check per
    # row written); only surveys.tallies writes these rows, for a bucket it has just locked.
    bucket = models.ForeignKey(
        FindingsBucket, on_delete=models.CASCADE, db_constraint=False, related_name="tallies", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # No constraints to the questionnaire or the registry: a bucket only counts answers of published (so
    # immutable) versions, and rows of a stale bucket must not stand in the way of deleting what they name.
    question = models.ForeignKey(
        Question, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    choice = models.ForeignKey(
        Choice, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False, null=True
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False, null=True
    )
    flag = models.BooleanField(null=True)
    number = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    key = models.TextField(blank=True, db_default="")
    text = models.TextField(blank=True, db_default="")
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["bucket", "kind"], name="findings_tally_bucket")]

    def __str__(self):
        return f"{self.bucket_id} {self.kind} q{self.question_id}: {self.count}"


class FindingsDigest(models.Model):
    """An md5 of one question's tallies in one bucket (their rows in a fixed order), written with them under the
    bucket's ``stamp`` of then: a question whose digests in the selected buckets are those of its cached
    added-up figures has those figures."""

    bucket = models.ForeignKey(FindingsBucket, on_delete=models.CASCADE, related_name="digests", db_index=False)
    question = models.ForeignKey(
        Question, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    stamp = models.CharField(max_length=64)
    digest = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "question"], name="one_findings_digest")]

    def __str__(self):
        return f"{self.bucket_id} q{self.question_id}: {self.digest}"
