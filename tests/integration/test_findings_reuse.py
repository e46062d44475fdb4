"""On PostgreSQL (whose digests of the tallies are written by STRING_AGG, SQLite's by GROUP_CONCAT): findings
that reuse the figures of the questions whose tallies did not change stay those of the answers, through every
change a user can make; and a month computed again changes the digests of the questions that changed only."""

import logging

import pytest
from django.db import connection

from surveys import selectors, services
from surveys.models import Interview
from tests.surveys.conftest import build_questionnaire
from tests.surveys.test_findings_buckets import (
    Programme,
    added_up_again,
    assert_buckets_equal_the_answers,
    assert_one_digest_changes,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_findings_reusing_unchanged_questions_equal_the_answers_on_postgresql(world, monkeypatch, caplog):
    assert connection.vendor == "postgresql"
    monkeypatch.setattr(selectors, "FINDINGS_CACHE_SECONDS", 0)  # every view adds up, reusing what it can
    caplog.set_level(logging.DEBUG, logger="surveys.tallies")
    version = build_questionnaire(world.users["coordinator"])
    programme = Programme(world, version, seed=4)
    for _ in range(14):
        programme.save(submit=True)
    for interview in Interview.objects.filter(version=version, status="submitted")[:8]:
        services.interview_approve(interview=interview, reviewer=world.users["coordinator"])
    assert_buckets_equal_the_answers(world, version, clear=False)
    for _action in programme.steps():
        assert_buckets_equal_the_answers(world, version, clear=False)
    assert any(0 < changed < total for changed, total in added_up_again(caplog))


def test_a_corrected_answer_changes_its_questions_digest_in_its_month_only(world):
    assert connection.vendor == "postgresql"
    assert_one_digest_changes(world, build_questionnaire(world.users["coordinator"]))
