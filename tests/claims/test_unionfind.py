import pickle

import pytest

from claims.unionfind import UnionFindCombiner, components


@pytest.mark.parametrize("edges, expected", [
    pytest.param([("b", "a")], {"a": "a", "b": "a"}, id="one edge labelled by its smallest node"),
    pytest.param([("c", "d"), ("a", "b"), ("b", "c")], {"a": "a", "b": "a", "c": "a", "d": "a"}, id="chain"),
    pytest.param([("x", "y"), ("p", "q")], {"x": "x", "y": "x", "p": "p", "q": "p"}, id="two components"),
    pytest.param([], {}, id="no edges"),
])
def test_components(edges, expected):
    assert components(edges) == expected


def test_merge_of_partial_forests_equals_one_pass():
    edges = [("e", "f"), ("a", "b"), ("f", "g"), ("b", "e"), ("x", "y")]
    combiner = UnionFindCombiner()
    left, right = combiner.create_accumulator(), combiner.create_accumulator()
    for edge in edges[:2]:
        left = combiner.add_input(left, edge)
    for edge in edges[2:]:
        right = combiner.add_input(right, edge)
    right = pickle.loads(pickle.dumps(right))  # accumulators travel between workers
    merged = combiner.merge_accumulators([left, right])
    assert combiner.extract_output(merged) == components(edges)


def test_order_of_edges_does_not_change_labels():
    edges = [("n3", "n1"), ("n2", "n4"), ("n4", "n3")]
    assert components(edges) == components(list(reversed(edges)))
