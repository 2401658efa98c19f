"""Publish the workshop as a bundle another machine serves with plain ``voila``.

:func:`publish_bundle` writes the app notebook, the results it reads redacted for sharing
(:func:`redact_for_bundle`: never the pseudonym map, names or segments' raw text), the vendored
``workbench`` and ``widgets`` sources, ``requirements.txt`` with the light packages the app
imports, ``voila.json`` and a README into one folder.

Example:
    >>> "pseudonyms.json" in PRIVATE_RESULT_FILES
    True
"""
from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.workshop.access import DEFAULT_HOST, ServeError
from workbench.workshop.freshness import APP_RESULT_FILES
from workbench.workshop.server import APP_NOTEBOOK, ENV_RESULTS, ENV_SESSION, app_notebook, voila_config

#: never copied out of a results folder, whatever the app needs
PRIVATE_RESULT_FILES = ("pseudonyms.json", "segments.parquet", "ingest_report.json", "store.sqlite")
#: participant columns that would identify a person (ingest drops them too; dropped again to be sure)
PERSONAL_COLUMNS = frozenset({"name", "full_name", "first_name", "last_name", "email", "phone", "phone_number", "address"})
#: third-party packages the app imports when it runs (Voila, ``widgets``, the parts of ``workbench`` they use)
APP_REQUIREMENTS = ("voila", "ipywidgets", "pandas", "pyarrow", "numpy", "sqlalchemy", "plotly", "markupsafe")
BUNDLE_RESULTS_DIR = "results"


@dataclass
class PublishedBundle:
    """What :func:`publish_bundle` wrote.

    Example:
        >>> PublishedBundle(Path("bundle"), ["workshop.ipynb"]).files
        ['workshop.ipynb']
    """

    out_dir: Path
    files: list[str]


def redact_for_bundle(name: str, source: Path, target: Path) -> None:
    """Copy one results file into a bundle, keeping only what the app shows (never raw text or names).

    Parquet tables lose any raw ``text`` column of segments, any speaker name and personal
    participant columns; passages keep their ``text``, which is cut from the redacted text.

    Example:
        >>> import pandas as pd, tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> pd.DataFrame({"participant_id": ["P01"], "name": ["Ana Ruiz"], "segment": ["family"]}).to_parquet(folder / "p.parquet")
        >>> redact_for_bundle("participants.parquet", folder / "p.parquet", folder / "out.parquet")
        >>> pd.read_parquet(folder / "out.parquet").columns.tolist()
        ['participant_id', 'segment']
    """
    import pandas as pd

    if name in PRIVATE_RESULT_FILES:
        raise ServeError(f"{name} holds personal data or raw text and is never published")
    if name == "manifest.json":
        manifest = json.loads(source.read_text(encoding="utf-8"))
        manifest.pop("platform", None)
        manifest["published"] = True
        target.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        return
    table = pd.read_parquet(source)
    drop = [c for c in table.columns if c.lower() in PERSONAL_COLUMNS or c in ("speaker", "author")]
    if name == "segments.parquet" or "text_redacted" in table.columns:
        drop.append("text")  # the unredacted words; text_redacted is what may be shown
    table.drop(columns=[c for c in drop if c in table.columns]).to_parquet(target, index=False)


def _requirement_lines(names: tuple[str, ...]) -> list[str]:
    """``name>=x`` lines for ``names``: the bounds of cx-workbench's own requirements, else the installed version."""
    import re
    from importlib.metadata import PackageNotFoundError, requires, version

    declared: dict[str, str] = {}
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    specs: list[str] = []
    if pyproject.is_file():
        import tomllib

        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        specs = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            specs += list(extra)
    else:
        try:
            specs = [r.split(";")[0] for r in requires("cx-workbench") or []]
        except PackageNotFoundError:
            specs = []
    for spec in specs:
        name = re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")
        declared.setdefault(name, spec.strip())
    lines = []
    for name in names:
        if name in declared:
            lines.append(declared[name])
            continue
        try:
            major_minor = ".".join(version(name).split(".")[:2])
            lines.append(f"{name}>={major_minor}")
        except PackageNotFoundError:
            lines.append(name)
    return lines


def _bundle_notebook(source: Path, session: str | None) -> dict[str, Any]:
    """The app notebook with a first cell that points it at the bundle's own results folder."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    lines = [
        "# Published bundle: the results sit next to this notebook (kernels start in its folder).\n",
        "import os\n",
        "from pathlib import Path\n",
        f"_ = os.environ.setdefault({ENV_RESULTS!r}, str(Path({BUNDLE_RESULTS_DIR!r}).resolve()))",
    ]  # (assigned: a bare last expression would print the server's path on the page)
    if session:
        lines[-1] += "\n"
        lines.append(f"_ = os.environ.setdefault({ENV_SESSION!r}, {session!r})")
    setup = {"cell_type": "code", "execution_count": None, "id": "bundle-setup",
             "metadata": {"tags": ["bundle-setup"]}, "outputs": [], "source": lines}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None  # nothing from the author's machine
    notebook["cells"] = [setup, *notebook.get("cells", [])]
    return notebook


BUNDLE_README = """# {title}: workshop app

A self-contained copy of the CX Workbench workshop app with the study's results ({n_painpoints} pain points,
{n_personas} personas). Results are redacted: no transcripts, no names, no pseudonym map.

Serve it (Python 3.11+):

```bash
python -m venv .venv && .venv/bin/pip install -r requirements.txt
.venv/bin/voila workshop.ipynb          # run from this folder: voila.json is read from here
```

Voila listens on 127.0.0.1:8866. To let others join, run it behind your usual HTTPS proxy or add
`--Voila.ip=0.0.0.0 --token=SOME-LONG-SECRET` and share `http://HOST:8866/?token=SOME-LONG-SECRET`.

- `workshop.ipynb`: the app; its first cell points it at `results/`.
- `results/`: the tables the app shows. Votes go to `results/store.sqlite` (created on first
  use; the folder must be writable) or to `WORKBENCH_STORE` (any SQLAlchemy URL) when set.
- `workbench/`, `widgets/`: the CX Workbench {version} sources the app imports (found because kernels
  start in this folder), so the host needs only the light packages in `requirements.txt`.
- `voila.json`: no tracebacks, no file serving, sources stripped.

Facilitation: until a facilitator token is set, everyone sees the Facilitator tab (hide votes,
timer, exports). To keep it to yourself, set one (the store keeps only its hash) and open
`http://HOST:8866/?facilitator=ANOTHER-LONG-SECRET`:

```bash
python -c "from workbench.storage.store import Store; Store('sqlite:///results/store.sqlite').set_facilitator_token('{session}', 'ANOTHER-LONG-SECRET')"
```
"""


def publish_bundle(
    results_dir: Path | str,
    out_dir: Path | str,
    session: str | None = None,
    notebook: Path | None = None,
) -> PublishedBundle:
    """Write a folder that plain ``voila workshop.ipynb`` serves on another machine.

    The bundle holds the app notebook, the redacted results it reads (never ``pseudonyms.json``,
    never segments' raw text), the ``workbench`` and ``widgets`` sources (vendored: the full
    package would pull in PyTorch and BERTopic, which the app never imports), ``requirements.txt``
    with the light packages the app does import, ``voila.json`` and a README. An existing
    bundle at ``out_dir`` is replaced; any other non-empty folder is refused.

    Example:
        >>> bundle = publish_bundle("interview_data/.workbench", "/tmp/skylark-app")  # doctest: +SKIP
        >>> "results/painpoints.parquet" in bundle.files  # doctest: +SKIP
        True
    """
    results_dir, out_dir = Path(results_dir), Path(out_dir)
    notebook = Path(notebook) if notebook else app_notebook()
    missing = [name for name in APP_RESULT_FILES if not (results_dir / name).is_file()]
    if missing:
        raise ServeError(f"{results_dir} lacks {', '.join(missing)}; run `workbench analyze` on the study first")
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / "voila.json").is_file())):
        raise ServeError(f"{out_dir} exists and is not a bundle; pass a new or empty folder to --out")
    if out_dir.resolve() == results_dir.resolve() or results_dir.resolve() in out_dir.resolve().parents:
        raise ServeError(f"--out {out_dir} is inside the results folder; pass a folder outside it")

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        (staging / BUNDLE_RESULTS_DIR).mkdir()
        for name in APP_RESULT_FILES:
            redact_for_bundle(name, results_dir / name, staging / BUNDLE_RESULTS_DIR / name)
        (staging / APP_NOTEBOOK).write_text(json.dumps(_bundle_notebook(notebook, session), indent=1), encoding="utf-8")
        package_root = Path(__file__).resolve().parents[2]
        for package in ("workbench", "widgets"):
            shutil.copytree(package_root / package, staging / package,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
        (staging / "requirements.txt").write_text(
            "# What the workshop app imports; the CX Workbench sources are in this folder.\n"
            + "\n".join(_requirement_lines(APP_REQUIREMENTS)) + "\n",
            encoding="utf-8",
        )
        config = voila_config()
        config["Voila"]["ip"] = DEFAULT_HOST
        (staging / "voila.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        manifest = json.loads((results_dir / "manifest.json").read_text(encoding="utf-8"))
        from workbench import __version__

        (staging / "README.md").write_text(
            BUNDLE_README.format(
                title=manifest.get("study", "Study"),
                n_painpoints=manifest.get("counts", {}).get("painpoints", "?"),
                n_personas=manifest.get("counts", {}).get("personas", "?"),
                version=__version__,
                session=session or "workshop",
            ),
            encoding="utf-8",
        )
        for path in staging.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)  # results files are owner-only; a host user must read them
        staging.chmod(0o755)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
    return PublishedBundle(out_dir, files)
