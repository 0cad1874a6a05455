import pytest

from claims.faults import FAULTS_ENV, InjectedFault, fault_reject, injected_faults, raise_if_injected
from claims.records import reject_kind


@pytest.mark.parametrize("value, faults", [
    pytest.param("", frozenset(), id="unset"),
    pytest.param("split:a1", {("split", "a1")}, id="one article"),
    pytest.param(" split:a1 , score:* ,", {("split", "a1"), ("score", "*")}, id="several, with spaces"),
    pytest.param("verdict:target:with:colons", {("verdict", "target:with:colons")}, id="key holding colons"),
])
def test_injected_faults_parse(value, faults):
    assert injected_faults(value) == faults


@pytest.mark.parametrize("value", ["split", "read:a1", "verify:a1", "split:"])
def test_injected_faults_refuse_what_names_no_wrapped_step(value):
    with pytest.raises(ValueError, match=FAULTS_ENV):
        injected_faults(value)


def test_the_environment_is_read_when_no_value_is_given(monkeypatch):
    monkeypatch.setenv(FAULTS_ENV, "score:k-1")
    assert injected_faults() == {("score", "k-1")}
    monkeypatch.delenv(FAULTS_ENV)
    assert injected_faults() == frozenset()


@pytest.mark.parametrize("stage, key, fails", [
    pytest.param("split", "a1", True, id="named"), pytest.param("split", "a2", False, id="another key"),
    pytest.param("score", "k-9", True, id="wildcard"), pytest.param("stance", "a1", False, id="another stage"),
])
def test_raise_if_injected(stage, key, fails):
    faults = injected_faults("split:a1,score:*")
    if fails:
        with pytest.raises(InjectedFault, match=f"{stage}:{key}"):
            raise_if_injected(faults, stage, key)
    else:
        raise_if_injected(faults, stage, key)


def test_a_fault_reject_names_stage_error_and_record_and_counts_by_stage_and_error():
    reject = fault_reject("score", "k-1a2b", ZeroDivisionError("division\n by zero"), "x" * 5000)
    assert reject.stage == "score" and reject.input is None and reject.record_number is None
    assert reject.reason == "score failed (ZeroDivisionError): division by zero [k-1a2b]"
    assert len(reject.record) < 2100
    assert reject_kind(reject.reason) == "score failed (ZeroDivisionError)"
