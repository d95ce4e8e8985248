"""The project's layers, as README's "What is here" states them: a newcomer finds every part from folder names.

Each rule reads the import statements of the source files (no module is imported to check it).
"""

import ast
import importlib.util
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"map", "chain", "dashboard", "matching", "api", "ogc"}
LAYERS = {"records", "staff", "ops", "datasets"}


def imported_modules(path):
    """The absolute module names a file imports (relative imports resolved against its package)."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def nansha_parts(path):
    """The parts of `nansha` (records, staff, map, ...) a file imports."""
    return {name.split(".")[1] for name in imported_modules(path) if name.startswith("nansha.") and name.count(".")}


def sources(*folders):
    return [p for folder in folders for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def test_nansha_holds_only_the_project_files_beside_its_packages():
    flat = sorted(p.name for p in (ROOT / "nansha").glob("*.py"))
    assert flat == ["__init__.py", "apps.py", "asgi.py", "urls.py", "wsgi.py"]


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_each_layer_says_what_lives_there_and_who_imports_it(layer):
    docstring = ast.get_docstring(ast.parse((ROOT / "nansha" / layer / "__init__.py").read_text()))
    assert docstring and "import" in docstring.lower()


@pytest.mark.parametrize(
    ("layer", "may_import"),
    # datasets loads the public reports through the staff import (issue 20: the same code staff use).
    [("records", set()), ("staff", {"records"}), ("ops", set()), ("datasets", {"records", "staff"})],
)
def test_lower_layers_never_import_higher_ones(layer, may_import):
    offending = {
        str(p.relative_to(ROOT)): parts
        for p in sources(f"nansha/{layer}")
        if (parts := nansha_parts(p) - may_import - {layer})
    }
    assert offending == {}


def test_the_base_knows_no_app():
    """records, staff and ops are what the apps build on, so they import no app (the registry finds models)."""
    offending = {
        str(p.relative_to(ROOT)): apps
        for p in sources("nansha/records", "nansha/staff", "nansha/ops")
        if (apps := {name.split(".")[0] for name in imported_modules(p)} & {"industry", "parks", "policies"})
    }
    assert offending == {}


def test_the_jobs_app_imports_nothing_of_nansha_and_no_record_app():
    """jobs/ (background jobs) sits beside records: nansha/staff builds its import and export tasks on it."""
    offending = {
        str(p.relative_to(ROOT)): names
        for p in sources("jobs")
        if (
            names := {
                name
                for name in imported_modules(p)
                if name.split(".")[0] in {"nansha", "industry", "parks", "policies"}
            }
        )
    }
    assert offending == {}


def test_apps_import_records_and_staff_never_pages():
    offending = {
        str(p.relative_to(ROOT)): parts
        for p in sources("industry", "parks", "policies")
        if (parts := nansha_parts(p) - {"records", "staff"})
    }
    assert offending == {}


def test_every_import_of_nansha_names_a_module_that_exists():
    files = sources("nansha", "industry", "parks", "policies", "tests") + list(ROOT.glob("*/migrations/*.py"))
    missing = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("nansha"):
                module = node.module
            elif isinstance(node, ast.Import):
                module = next((a.name for a in node.names if a.name.startswith("nansha")), None)
            else:
                continue
            if module and importlib.util.find_spec(module) is None:
                missing.add((str(path.relative_to(ROOT)), module))
            elif module == "nansha" and isinstance(node, ast.ImportFrom):  # from nansha import <a package>
                missing |= {
                    (str(path.relative_to(ROOT)), f"nansha.{a.name}")
                    for a in node.names
                    if importlib.util.find_spec(f"nansha.{a.name}") is None
                }
    assert missing == set()


OLD_FLAT_MODULES = (
    "fields|validators|presentation|pinyin|filters|record_views|record_admin|admin_input|widgets|roles|versioning|"
    "history|freshness|freshness_views|spreadsheets|import_progress|backup|middleware|views|cache|storage|demo|"
    "demo_data|reference_data|synthetic"
)


TEXT_SUFFIXES = {".py", ".md", ".html", ".js", ".css", ".toml", ".txt", ".yml", ".cfg"}


def test_no_text_names_an_old_flat_module():
    """Docs, templates, scripts and comments name the new paths too (nansha/records.py is now records/models.py)."""
    pattern = re.compile(rf"\bnansha[./](?:(?:{OLD_FLAT_MODULES})\b(?!/)|records\.py\b)")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    stale = {}
    for name in tracked.split():
        path = ROOT / name
        if (
            path.suffix not in {".py", ".md", ".html", ".js", ".css", ".toml", ".txt", ".yml", ".cfg"}
            or not path.exists()
        ):
            continue
        hits = pattern.findall(path.read_text(errors="replace"))
        if hits and path != Path(__file__):
            stale[name] = hits
    assert stale == {}
