"""The floors of the house (DESIGN.md): each app's imports run one way only, read from the source itself.

clusters/ is the ground floor: it imports none of surveys/, instruments/, reports/, mapping/ or home/.
surveys/, instruments/ and reports/ may read the registry but never home/, the top floor that reads them all.
Every import counts, at the top of a module or inside a function, and so does importlib.import_module("...").
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = {
    "clusters": {"surveys", "instruments", "reports", "mapping", "home"},
    "surveys": {"home"},
    "instruments": {"home"},
    "reports": {"home"},
}


def imported_packages(source, *, filename="<module>"):
    """The top-level package of everything a module imports: ``from surveys.models import X`` gives "surveys"."""
    found = set()
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in {"import_module", "import_string"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def modules_of(app):
    return sorted(path for path in (ROOT / app).rglob("*.py") if "__pycache__" not in path.parts)


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_each_app_imports_nothing_from_the_floors_above_it(app):
    modules = modules_of(app)
    assert modules, f"no modules found under {app}/"
    breaches = {}
    for path in modules:
        upward = imported_packages(path.read_text(), filename=str(path)) & FORBIDDEN[app]
        if upward:
            breaches[str(path.relative_to(ROOT))] = sorted(upward)
    assert not breaches, f"{app}/ imports from a floor above it: {breaches}"


def test_the_floor_check_sees_every_kind_of_import():
    source = (
        "import surveys.models\n"
        "from instruments import selectors\n"
        "def later():\n"
        "    from reports.gather import gather_case_study\n"
        "    importlib.import_module('mapping.selectors')\n"
        "from . import access\n"
        "from clusters.models import Cluster\n"
    )
    assert imported_packages(source) == {"surveys", "instruments", "reports", "mapping", "clusters"}


def test_the_home_app_holds_the_homes_and_the_demo_loader():
    assert (ROOT / "home" / "views.py").exists()
    assert (ROOT / "home" / "management" / "commands" / "load_demo.py").exists()
    assert not (ROOT / "clusters" / "views.py").exists()
    assert not (ROOT / "clusters" / "management" / "commands" / "load_demo.py").exists()
