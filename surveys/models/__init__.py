"""What they said: questionnaires (versioned, ``questionnaires.py``) and interviews with their typed answers
and attachments (``interviews.py``). Callers use ``surveys.models.<name>``."""

from surveys.models.findings import FindingsBucket, FindingsDigest, FindingsTally
from surveys.models.interviews import (
    Answer,
    AnswerActor,
    AnswerChoice,
    Attachment,
    Interview,
    InterviewChange,
    attachment_path,
)
from surveys.models.questionnaires import (
    RESERVED_PREFIX,
    Choice,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Translated,
    VersionFile,
    version_file_path,
)

__all__ = [
    "RESERVED_PREFIX",
    "Answer",
    "AnswerActor",
    "AnswerChoice",
    "Attachment",
    "Choice",
    "FindingsBucket",
    "FindingsDigest",
    "FindingsTally",
    "Interview",
    "InterviewChange",
    "Question",
    "Questionnaire",
    "QuestionnaireVersion",
    "Section",
    "Translated",
    "VersionFile",
    "attachment_path",
    "version_file_path",
]
