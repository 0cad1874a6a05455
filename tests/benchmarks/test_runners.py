"""Smoke tests of the runner benchmark: its comparison of outputs, and a run of two modes on a tiny corpus."""
import shutil

from tests.benchmarks.test_scale import BODIES, STANCES


def test_differences_name_the_tables_that_differ(load_benchmark, sample_output, tmp_path):
    runners = load_benchmark("runners")
    same = tmp_path / "same"
    shutil.copytree(sample_output, same)
    assert runners.differences(runners.table_rows(sample_output), runners.table_rows(same)) == []
    fewer = runners.table_rows(same)
    fewer["claims"] = fewer["claims"][1:]
    del fewer["verdicts"]
    assert runners.differences(runners.table_rows(sample_output), fewer) == ["claims", "verdicts"]


def test_runner_benchmark_compares_modes_with_one_process(run_benchmark, tiny_fnc, tmp_path, capsys):
    data = tiny_fnc(BODIES, STANCES)
    results = run_benchmark("runners", [str(data), "--tier", "40", "--repeats", "1", "--work", str(tmp_path / "w"),
                                        "--modes", "1 process", "2 local workers"])
    rows = {row["mode"]: row for row in results["runners"]}
    assert set(rows) == {"1 process", "2 local workers"}
    assert all(row["output equal to 1 process"] == "yes" and row["runs"] == 1 for row in rows.values())
    assert rows["1 process"]["speedup vs 1 process"] == 1.0
    assert "one process, two local workers" in capsys.readouterr().out
