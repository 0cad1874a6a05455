import subprocess
import sys

from claims.ids import first_of_identical, stable_hash64, stable_id


def test_stable_id_is_deterministic_and_prefixed():
    assert stable_id("m", "a1", 10, 20) == stable_id("m", "a1", 10, 20)
    assert stable_id("m", "a1", 10, 20) != stable_id("m", "a1", 10, 21)
    assert stable_id("g", "x").startswith("g-")


def test_stable_hash_is_the_same_in_another_process():
    """Python's hash() is salted per process; ours must not be."""
    code = "from claims.ids import stable_hash64; print(stable_hash64('port calder fire'))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(other.stdout) == stable_hash64("port calder fire")


def test_first_of_identical_keeps_the_first_in_order_and_lists_the_rest():
    members = [("2026-03-02", "b", "text"), ("2026-03-01", "c", "text"), ("~", "a", "text")]
    assert first_of_identical(members, id_at=1) == (("2026-03-01", "c", "text"), ("b", "a"))
    assert first_of_identical([("only", "x")], id_at=1) == (("only", "x"), ())
