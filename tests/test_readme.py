"""The README's sample output is what `make run` prints: a real run on seeds/ is compared with
it, line by line, with the run id, the seconds and the project's folder made neutral."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.commands import cli
from flows.settings import DEFAULT_INPUT as SEEDS
from flows.settings import PROJECT_ROOT

pytestmark = pytest.mark.usefixtures("prefect_server")

MARKER = "<!-- sample output of `make run` -->"
RUN_ID = re.compile(r"\d{8}T\d{12}Z-[0-9a-f]{6}")
SECONDS = re.compile(r"^  (\w+)\s+[\d.]+$")


def readme_sample() -> list[str]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    after = text[text.index(MARKER) + len(MARKER) :]
    block = after[after.index("```\n") + 4 :]
    return block[: block.index("```")].splitlines()


def neutral(lines: list[str], project: str) -> list[str]:
    """Run ids, seconds and the folder the project lives in differ from run to run."""
    out = []
    for line in lines:
        line = RUN_ID.sub("<run id>", line).replace(project, "<project>")
        line = SECONDS.sub(r"  \1 <seconds>", line)
        out.append(" ".join(line.split()))  # column widths follow the numbers
    return out


def test_the_readme_sample_is_what_a_run_on_seeds_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    warehouse = project / "warehouse"
    code = cli.main(["run", "--input", str(SEEDS), "--warehouse", str(warehouse)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert neutral(out.splitlines(), str(project)) == neutral(readme_sample(), "<project>")
