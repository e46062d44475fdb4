"""Writes of the surveys app, by concern: questionnaires and their versions (lifecycle, XLSForm import,
files), a version's content (groups, repeats, questions, choices), interviews (saving, review) and
their files (attachments). Callers use ``surveys.services.<name>``."""

from surveys.services.attachments import ACCEPTED_FILES, attachment_add, attachment_delete
from surveys.services.content import (
    QUESTION_FIELDS,
    SECTION_FIELDS,
    question_create,
    question_delete,
    question_move,
    question_update,
    section_create,
    section_delete,
    section_update,
)
from surveys.services.interviews import (
    DETAIL_FIELDS,
    InterviewSaved,
    interview_answers,
    interview_approve,
    interview_return,
    interview_save,
    typed_answer,
)
from surveys.services.questionnaires import (
    questionnaire_create,
    version_build,
    version_create_draft,
    version_delete,
    version_file_add,
    version_file_delete,
    version_import_xlsform,
    version_problems,
    version_publish,
    version_update_languages,
)

__all__ = [
    "ACCEPTED_FILES",
    "DETAIL_FIELDS",
    "QUESTION_FIELDS",
    "SECTION_FIELDS",
    "InterviewSaved",
    "attachment_add",
    "attachment_delete",
    "interview_answers",
    "interview_approve",
    "interview_return",
    "interview_save",
    "question_create",
    "question_delete",
    "question_move",
    "question_update",
    "questionnaire_create",
    "section_create",
    "section_delete",
    "section_update",
    "typed_answer",
    "version_build",
    "version_create_draft",
    "version_delete",
    "version_file_add",
    "version_file_delete",
    "version_import_xlsform",
    "version_problems",
    "version_publish",
    "version_update_languages",
]
