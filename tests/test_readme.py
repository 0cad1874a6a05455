"""The README documents every output column, its Quickstart holds exactly the two set-up commands, and its
Python examples run as written against the sample output."""
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipelines.cli import sample_corpus_path, sample_targets_path
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


def _python_blocks(section: str) -> list[str]:
    body = README.split(f"\n## {section}\n")[1].split("\n## ")[0]
    return re.findall(r"```python\n(.*?)```", body, re.S)


@pytest.mark.parametrize("section, n_blocks", [("The output", 1), ("Analysing the output", 2), ("From Python", 2)])
def test_python_examples_run_as_written(section, n_blocks, sample_output, tmp_path, monkeypatch, capsys):
    blocks = _python_blocks(section)
    assert len(blocks) == n_blocks
    (tmp_path / "claimbeam-output").symlink_to(sample_output, target_is_directory=True)
    shutil.copy(sample_corpus_path(), tmp_path / "articles.jsonl")  # the files the examples name
    shutil.copy(sample_targets_path(), tmp_path / "targets.jsonl")
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, f"README.md ({section})", "exec"), {})
    if section == "Analysing the output":
        printed = capsys.readouterr().out
        assert "corroborated" in printed and "Northside Gazette" in printed  # statuses; the copying outlet
        assert "mean_corroboration" in printed  # DuckDB's result
    if section == "From Python":
        printed = capsys.readouterr().out
        verdicts = pd.read_parquet(sample_output / "verdicts")
        assert all(target in printed for target in verdicts["target_id"])
        assert "not run: output directory 'claims-output' already exists" in printed
        written = sorted((tmp_path / "verdicts.tsv").read_text().splitlines())
        assert written == sorted(f"{v.target_id}\t{v.status}\t{v.score}" for v in verdicts.itertuples())
