"""Connected components as a pure combiner (create / add / merge / extract).

Beam has no connected-components transform. Copy groups and claim clusters
both need one, so this combiner folds edges into a union-find forest; Beam
wraps it in a CombineFn and merges partial forests from many workers. Each
component is labelled by its smallest member, so the result does not depend
on the order in which edges arrive.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable


def _find(parent: dict, node):
    root = node
    while parent.get(root, root) != root:
        root = parent[root]
    while parent.get(node, node) != root:  # path compression
        parent[node], node = root, parent[node]
    return root


def _union(parent: dict, a, b) -> None:
    parent.setdefault(a, a)
    parent.setdefault(b, b)
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        low, high = (ra, rb) if ra < rb else (rb, ra)
        parent[high] = low


class UnionFindCombiner:
    """Folds (a, b) edges into components; the output maps node -> smallest node of its component."""

    def create_accumulator(self) -> dict:
        return {}

    def add_input(self, parent: dict, edge: tuple[Hashable, Hashable]) -> dict:
        _union(parent, edge[0], edge[1])
        return parent

    def merge_accumulators(self, accumulators: Iterable[dict]) -> dict:
        accumulators = iter(accumulators)
        merged = next(accumulators, None) or {}
        for other in accumulators:
            for node in list(other):
                _union(merged, node, _find(other, node))
        return merged

    def extract_output(self, parent: dict) -> dict:
        return {node: _find(parent, node) for node in list(parent)}


def components(edges: Iterable[tuple[Hashable, Hashable]]) -> dict:
    """Node -> component label (its smallest member) for the given edges."""
    combiner = UnionFindCombiner()
    acc = combiner.create_accumulator()
    for edge in edges:
        acc = combiner.add_input(acc, edge)
    return combiner.extract_output(acc)
