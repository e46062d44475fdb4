"""Every command the README and docs/ tell a reader to type works as written on a fresh clone.

`make install` puts uv under .tools/ when it is not on PATH, so `uv run ...` failed on a fresh machine. The
commands are read from the shell code blocks (sh, bash, console, cron) and from inline code that starts like
a command; each must start with a make target of the Makefile, something `make install` creates in .venv/bin,
a script of the repository, or a tool of the system that the docs tell how to get (git, psql, apt-get ...).
"""

import os
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL_FENCES = {"sh", "bash", "shell", "console", "cron"}
# Inline code that is a command to type (not a path or a name mentioned in prose).
INLINE_COMMAND = re.compile(r"^((uv|python3?|pip|make|celery|gunicorn|pytest|npm|npx)\b|manage\.py|\.venv/|\./|DEBUG=)")
SYSTEM_TOOLS = {
    "apt-get", "bash", "cat", "cd", "chown", "cp", "crontab", "curl", "date", "echo", "exit", "export", "git",
    "gunzip", "gzip", "kill", "ls", "mkdir", "mv", "nginx", "npm", "openssl", "pg_dump", "pg_isready", "pg_restore",
    "psql", "createdb", "dropdb", "python3", "redis-cli", "redis-server", "rm", "rsync", "runuser", "set",
    "sha256sum",
    "sudo", "systemctl", "tar", "test", "true",
}  # fmt: skip
CRON = re.compile(r"^(\S+\s+){5}")


def _makefile_targets():
    return set(re.findall(r"^([A-Za-z][\w.-]*):", (ROOT / "Makefile").read_text(), re.M))


def documented_commands():
    """(where, command line) for every shell command of the docs; a line ending in a backslash goes on."""
    for doc in DOCS:
        fence, pending = None, ""
        for number, line in enumerate(doc.read_text().splitlines(), start=1):
            where = f"{doc.relative_to(ROOT)}:{number}"
            if line.startswith("```"):
                fence = None if fence is not None else (line[3:].split() or [""])[0]
                continue
            if fence is not None:
                if fence in SHELL_FENCES and line.strip() and not line.lstrip().startswith("#"):
                    line = pending + (CRON.sub("", line) if fence == "cron" and not pending else line)
                    if line.rstrip().endswith("\\"):
                        pending = line.rstrip()[:-1] + " "
                        continue
                    pending = ""
                    yield where, line
                continue
            for span in re.findall(r"`([^`]+)`", line):
                if INLINE_COMMAND.match(span):
                    yield where, span


OPERATORS = {"&&", "||", ";", "|", "(", ")", "$(", "&"}


def _pieces(command):
    """The simple commands of a line: split at && ; | and parentheses (quotes respected), comments and
    variable assignments taken off."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.commenters = "#"
    lexer.wordchars += "$=/.-:%{}*+,@~"
    try:
        tokens = list(lexer)
    except ValueError:
        tokens = command.split()
    words = []
    for token in [*tokens, ";"]:
        if token in OPERATORS or set(token) <= set("&|;()"):
            while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
                words.pop(0)
            if words:
                yield words
            words = []
        else:
            words.append(token)


def problem_with(words, targets):
    first = words[0]
    if first == "make":
        asked = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        missing = [t for t in asked if t not in targets]
        return f"no make target {missing}" if missing else None
    if first.startswith(".venv/bin/"):
        return None if (ROOT / first).exists() else f"{first} is not made by make install"
    if "/" in first:
        path = ROOT / first
        if not path.exists():
            return f"{first} is not in the repository"
        return None if os.access(path, os.X_OK) else f"{first} is not executable"
    if first.endswith((".py", ".sh")):
        return f"{first} is not on PATH: write .venv/bin/python {first}"
    if first in ("bash", "sh") and len(words) > 1 and "/" in words[1]:
        return None if (ROOT / words[1]).exists() else f"{words[1]} is not in the repository"
    if first in SYSTEM_TOOLS:
        return None
    return f"{first!r} is not on a fresh machine (use a make target or .venv/bin/...)"


def test_every_documented_command_starts_with_something_a_fresh_clone_has():
    targets = _makefile_targets()
    problems = []
    commands = list(documented_commands())
    assert len(commands) > 20, commands
    for where, command in commands:
        for words in _pieces(command):
            problem = problem_with(words, targets)
            if problem:
                problems.append(f"{where}: {command.strip()!r}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("command", "fine"),
    [
        ("uv run python manage.py migrate", False),
        ("python manage.py migrate", False),
        ("make run", True),
        ("make no-such-target", False),
        ("make install UV_SYNC_FLAGS='--no-dev'", True),
        (".venv/bin/python manage.py migrate", True),
        (".venv/bin/no-such-tool", False),
        ("cd /srv/casebook && .venv/bin/python manage.py sweep_reports", True),
        ("DEBUG=1 .venv/bin/python manage.py load_demo", True),
        (".ci/run", True),
        ("manage.py make_report", False),
        ("bench/run.py", False),
        ("(cd x && sha256sum --check SHA256SUMS)", True),
    ],
)
def test_the_check_tells_a_command_that_works_from_one_that_does_not(command, fine):
    problems = [problem_with(words, _makefile_targets()) for words in _pieces(command)]
    assert (not any(problems)) == fine, problems
