"""ConnectedComponents: edges -> (node, component label), via the union-find combiner."""
from __future__ import annotations

import apache_beam as beam

from claims.unionfind import UnionFindCombiner


_UNION_FIND = UnionFindCombiner()  # stateless: every accumulator is the dict passed in


class UnionFindFn(beam.CombineFn):
    """Thin Beam wrapper over the pure `UnionFindCombiner`."""

    def create_accumulator(self):
        return _UNION_FIND.create_accumulator()

    def add_input(self, accumulator, edge):
        return _UNION_FIND.add_input(accumulator, edge)

    def merge_accumulators(self, accumulators):
        return _UNION_FIND.merge_accumulators(accumulators)

    def extract_output(self, accumulator):
        return _UNION_FIND.extract_output(accumulator)


class ConnectedComponents(beam.PTransform):
    """(a, b) edges -> (node, smallest node of its component) for every node that has an edge."""

    def expand(self, edges):
        return (
            edges
            | "Fold edges into components" >> beam.CombineGlobally(UnionFindFn())
            | "Emit each node's component" >> beam.FlatMap(lambda labels: sorted(labels.items())))
