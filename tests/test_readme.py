"""The README documents every output column, and its Quickstart holds exactly the two set-up commands."""
import re
from pathlib import Path

import pytest

from schemas import TABLES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.mark.parametrize("table", sorted(TABLES))
def test_readme_lists_every_column(table):
    row = next(line for line in README.splitlines() if line.startswith(f"| `{table}` |"))
    documented = re.findall(r"`(\w+)`", row.split("|")[3])
    assert documented == TABLES[table].column_names


def test_quickstart_has_exactly_two_commands_and_ci_runs_the_second():
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert commands == ["make demo", "make test"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "make test" in ci
