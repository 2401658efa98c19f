"""The house shows the flow: rooms by stage, imports pointing down only, no circles, small modules.

Every import counts, the ones inside functions too: a lazy import is still a dependency.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: the floors, lowest first; a module may import its own floor or any floor below it
FLOORS: list[tuple[str, ...]] = [
    ("workbench", "workbench.errors"),
    ("workbench.config", "workbench.schema"),
    ("workbench.runtime",),
    ("workbench.storage",),
    ("workbench.privacy",),
    ("workbench.ingest",),
    ("workbench.analysis",),
    ("workbench.coding",),
    ("workbench.people", "workbench.rigour"),
    ("workbench.manifest",),
    ("workbench.study",),
    ("workbench.share", "workbench.workshop"),
    ("workbench.notebook_helpers",),
    ("workbench.cli",),
    ("widgets",),
]
MAX_LINES = 600
#: modules that fit, embed or score: a view never calls them
MODELLING_MODULES = ("workbench.analysis.painpoint", "workbench.analysis.clustering", "workbench.analysis.embedders",
                     "workbench.analysis.sentiment", "workbench.people.personas")
SUBPACKAGES = ("runtime", "ingest", "privacy", "analysis", "people", "rigour", "coding", "share", "workshop", "storage")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for folder in ("workbench", "widgets") for p in sorted((ROOT / folder).rglob("*.py"))}


def _imports(module: str, path: Path) -> set[str]:
    """Project modules that ``module`` imports anywhere in its source, resolved to module names."""
    modules = _sources()
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name in modules and name != module:
                found.add(name)
    return found


def _floor(module: str) -> int:
    best, best_len = -1, -1
    for index, floor in enumerate(FLOORS):
        for prefix in floor:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    assert best >= 0, f"{module} is on no floor: add it to FLOORS in tests/test_architecture.py"
    return best


def _graph() -> dict[str, set[str]]:
    return {module: _imports(module, path) for module, path in _sources().items()}


def test_imports_point_down_only() -> None:
    upward = [f"{module} imports {target}" for module, targets in _graph().items() for target in sorted(targets)
              if _floor(target) > _floor(module)]
    assert upward == []


def test_no_circle_of_imports() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                circles.append(trail[trail.index(target):] + [target] if target in trail else [node, target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_no_module_is_over_the_limit() -> None:
    too_long = []
    for folder in ("workbench", "widgets", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert too_long == []


def test_the_top_level_is_small_and_the_rooms_say_what_they_do() -> None:
    top = sorted(p.name for p in (ROOT / "workbench").glob("*.py"))
    assert len(top) <= 8, top
    for name in SUBPACKAGES:
        init = ROOT / "workbench" / name / "__init__.py"
        assert init.is_file(), f"workbench/{name}/ has no __init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "Takes in" in doc and "Gives out" in doc, f"workbench/{name}/__init__.py must say what it takes and gives"


@pytest.mark.parametrize("view", sorted(p.name for p in (ROOT / "widgets").rglob("*.py")))
def test_widgets_do_no_analysis(view: str) -> None:
    """Views render state: they never fit, embed or score (those live in ``workbench.analysis``)."""
    path = next((ROOT / "widgets").rglob(view))
    heavy = {"sklearn", "umap", "hdbscan", "bertopic", "sentence_transformers", "torch", "wordllama"}
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.add(node.module.split(".")[0])
            if node.module.startswith(MODELLING_MODULES):
                imported.add(node.module)
    wrong = sorted(name for name in imported if name in heavy or name.startswith(MODELLING_MODULES))
    assert wrong == [], f"{view} imports {wrong}: fitting and scoring belong in workbench.analysis"


def test_the_check_itself_sees_an_upward_import() -> None:
    """The floor check must be able to fail: a made-up low module importing the CLI is caught."""
    assert _floor("workbench.cli") > _floor("workbench.storage.store")
    assert _floor("workbench.analysis.pipeline") > _floor("workbench.ingest.study")
