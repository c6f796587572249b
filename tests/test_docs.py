"""Every command the documentation shows works as written: its code blocks run and succeed.

The convention for fenced code blocks in README.md and docs/*.md (README, "Development"):

- ```` ```sh ```` and ```` ```python ```` blocks run, each as its own test case (``README.md:123``
  is the block whose opening fence is line 123), and must succeed. Shell blocks run with
  ``bash -euo pipefail``; Python blocks with the project's ``.venv/bin/python``, each on its own
  (a block cannot use a name another block defined).
- ```` ```sh no-run ```` / ```` ```python no-run ````: shown, never run (placeholders for your own
  paths, servers that run until stopped, commands that reinstall or run the test suite). The line
  right above the fence says why, in an HTML comment: ``<!-- no-run: needs your own feed -->``.
- ```` ```sh slow ```` / ```` ```python slow ````: run only by ``test_slow_block``, marked
  ``slow`` (``pytest -m slow``; ``make test`` runs it, ``make test-fast`` does not): blocks that
  need a Prefect server, a Dask cluster or minutes.
- Any other block (``sql``, ``mermaid``, output with no info string) is not run.

Blocks run from a workspace laid out like the project: a temporary folder with a copy of
``flows/`` (so the commands' default paths, ``seeds/`` and ``warehouse/``, point into it),
links to everything else of the project (``.venv/``, ``seeds/``, ``sql/``, ``expectations/``
...) and ``warehouse/`` loaded from ``seeds/`` once per session, as ``make run`` does. The
working directory is the workspace and ``PATH`` is the user's without any virtualenv, as in a
fresh shell after ``make run``: ``.venv/bin/newswire`` resolves, a bare ``newswire`` does not.
Blocks run in file order and share the warehouse, so a block may change it (a
``--full-refresh`` run) but must leave it loaded.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_warehouse_doc import PARTITION_COLUMN, parse_sections, table_rows

from flows.schemas import ALL_TABLES
from flows.settings import PROJECT_ROOT

DOCS = (PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md")))
RUNNABLE = ("sh", "python")
FLAGS = ("no-run", "slow")
BLOCK_TIMEOUT_S = 300
SLOW_BLOCK_TIMEOUT_S = 1800
SHOWN_CHARS = 6000
# Project entries the workspace does not link: its own copies or outputs, caches, history.
NOT_LINKED = {
    "flows",
    "warehouse",
    ".prefect",
    ".git",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "bench-output",
}

# Blocks that fail today, skipped until the docs are fixed: (file, text in the block) -> the fix
# it needs. An entry that no longer matches exactly one runnable block fails
# test_known_broken_entries_match_a_block: empty this list as the docs are fixed.
KNOWN_BROKEN: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Block:
    """One fenced code block of a document."""

    doc: str  # path relative to the project, e.g. 'docs/operations.md'
    line: int  # line of the opening fence, 1-based
    lang: str
    flags: tuple[str, ...]
    text: str
    comment_above: str | None  # the HTML comment on the line right above the fence

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"

    @property
    def runnable(self) -> bool:
        return self.lang in RUNNABLE and "no-run" not in self.flags

    @property
    def slow(self) -> bool:
        return "slow" in self.flags


_FENCE = re.compile(r"^ {0,3}(`{3,})(.*)$")
_HTML_COMMENT = re.compile(r"^\s*<!--(.*?)-->\s*$")


def read_blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, info = opening.group(1), opening.group(2).split()
        end = index + 1
        while end < len(lines) and lines[end].strip() != fence:
            end += 1
        comment = _HTML_COMMENT.match(lines[index - 1]) if index else None
        blocks.append(
            Block(
                doc=path.relative_to(PROJECT_ROOT).as_posix(),
                line=index + 1,
                lang=info[0] if info else "",
                flags=tuple(info[1:]),
                text="\n".join(lines[index + 1 : end]) + "\n",
                comment_above=comment.group(1).strip() if comment else None,
            )
        )
        index = end + 1
    return blocks


BLOCKS = [block for path in DOCS for block in read_blocks(path)]


def known_broken(block: Block) -> str | None:
    """The fix a known broken block needs, if it is one."""
    for (doc, snippet), fix in KNOWN_BROKEN.items():
        if block.doc == doc and snippet in block.text:
            return fix
    return None


def _params(slow: bool) -> list[object]:
    params: list[object] = []
    for block in BLOCKS:
        if not block.runnable or block.slow != slow:
            continue
        fix = known_broken(block)
        marks = [pytest.mark.skip(reason=f"known broken, {block.id}: {fix}")] if fix else []
        params.append(pytest.param(block, id=block.id, marks=marks))
    return params


@dataclass(frozen=True)
class Workspace:
    """Where blocks run: the project's layout with its own warehouse, and their environment."""

    root: Path
    scratch: Path  # block scripts, outside the workspace
    env: dict[str, str]


def block_environment(root: Path) -> dict[str, str]:
    """The user's environment in a fresh shell: no virtualenv on PATH, no Prefect settings of
    this test session; ``flows`` imported from the workspace's copy."""
    venv_bins = {str(PROJECT_ROOT / ".venv" / "bin"), str(Path(sys.prefix) / "bin")}
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PREFECT_")
        and name not in ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH")
    }
    path = os.environ.get("PATH", os.defpath).split(os.pathsep)
    env["PATH"] = os.pathsep.join(entry for entry in path if entry and entry not in venv_bins)
    env["PYTHONPATH"] = str(root)
    return env


def run_block(block: Block, workspace: Workspace, timeout: float) -> None:
    """Run the block in the workspace; fail with the block, its stdout and its stderr."""
    script = workspace.scratch / f"{block.doc.replace('/', '_')}-{block.line}"
    script.write_text(block.text, encoding="utf-8")
    if block.lang == "sh":
        command = ["bash", "-euo", "pipefail", str(script)]
    else:
        command = [str(workspace.root / ".venv" / "bin" / "python"), str(script)]
    process = subprocess.Popen(
        command,
        cwd=workspace.root,
        env=workspace.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        outcome = f"exited {process.returncode}"
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        outcome = f"timed out after {timeout:.0f} s"
    if process.returncode != 0:
        pytest.fail(
            f"{block.id}: the ```{block.lang} block {outcome}\n"
            f"--- block ---\n{block.text}"
            f"--- stdout ---\n{stdout[-SHOWN_CHARS:]}\n"
            f"--- stderr ---\n{stderr[-SHOWN_CHARS:]}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The project's layout in a temporary folder, its warehouse loaded from seeds/."""
    base = tmp_path_factory.mktemp("docs")
    root, scratch = base / "newswire", base / "blocks"
    root.mkdir()
    scratch.mkdir()
    shutil.copytree(
        PROJECT_ROOT / "flows", root / "flows", ignore=shutil.ignore_patterns("__pycache__")
    )
    for entry in PROJECT_ROOT.iterdir():
        if entry.name not in NOT_LINKED:
            (root / entry.name).symlink_to(entry)
    env = block_environment(root)
    newswire = str(root / ".venv" / "bin" / "newswire")
    loaded = subprocess.run(
        [newswire, "run", "--input", "seeds", "--warehouse", "warehouse"],  # as `make run`
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        assert loaded.returncode == 0, f"loading seeds/ failed:\n{loaded.stdout}\n{loaded.stderr}"
        yield Workspace(root, scratch, env)
    finally:
        # The run started a local Prefect server in the workspace's .prefect/: stop it.
        subprocess.run(
            [newswire, "server", "stop"], cwd=root, env=env, capture_output=True, timeout=60
        )


@pytest.mark.parametrize("block", _params(slow=False))
def test_block(block: Block, workspace: Workspace) -> None:
    run_block(block, workspace, BLOCK_TIMEOUT_S)


@pytest.mark.slow
@pytest.mark.parametrize("block", _params(slow=True))
def test_slow_block(block: Block, workspace: Workspace) -> None:
    run_block(block, workspace, SLOW_BLOCK_TIMEOUT_S)


def test_blocks_use_known_flags() -> None:
    unknown = [
        f"{block.id}: ```{block.lang} {' '.join(block.flags)}"
        for block in BLOCKS
        if block.lang in RUNNABLE and set(block.flags) - set(FLAGS)
    ]
    assert not unknown, f"flags other than {FLAGS} (a typo runs the block): {unknown}"


def test_no_run_blocks_say_why() -> None:
    silent = [
        block.id
        for block in BLOCKS
        if "no-run" in block.flags and not (block.comment_above or "").startswith("no-run:")
    ]
    assert not silent, (
        f"put '<!-- no-run: why it is not run -->' on the line above each no-run block: {silent}"
    )


def test_known_broken_entries_match_a_block() -> None:
    for (doc, snippet), fix in KNOWN_BROKEN.items():
        matches = [
            block.id
            for block in BLOCKS
            if block.runnable and block.doc == doc and snippet in block.text
        ]
        assert len(matches) == 1, (
            f"KNOWN_BROKEN entry ({doc!r}, {snippet!r}) matches runnable blocks {matches}: "
            f"remove it once the block is fixed or marked no-run ({fix})"
        )


def test_parquet_store_is_laid_out_as_documented(workspace: Workspace) -> None:
    """docs/warehouse.md's file names are the ones a run writes."""
    doc = parse_sections((PROJECT_ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8"))
    store = doc["Where the data is"]["The Parquet store"]
    documented = {
        table: files.replace("parquet/<table>/", "")
        for tables, files, *_ in table_rows(store)
        for table in re.findall(r"\w+", tables)
    }
    snapshot = (workspace.root / "warehouse" / "parquet").resolve()
    assert (snapshot / "SOURCE.json").is_file()
    for table in ALL_TABLES:
        files = sorted(
            path.relative_to(snapshot / table).as_posix()
            for path in (snapshot / table).rglob("*")
            if path.is_file()
        )
        pattern = re.escape(documented[table]).replace("YYYY\\-MM", r"\d{4}-\d{2}")
        assert files, f"{table}: no Parquet file"
        for name in files:
            assert re.fullmatch(pattern, name), f"{table}: wrote {name}, documented {pattern}"
        assert (f"{PARTITION_COLUMN}=" in documented[table]) == ("/" in files[0])
