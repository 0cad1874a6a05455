"""ConnectedComponents: edges -> (node, component label), via the union-find combiner."""
from __future__ import annotations

import apache_beam as beam

from claims.unionfind import UnionFindCombiner


class UnionFindFn(beam.CombineFn):
    """Thin Beam wrapper over the pure `UnionFindCombiner`."""

    def __init__(self):
        self._combiner = UnionFindCombiner()

    def create_accumulator(self):
        return self._combiner.create_accumulator()

    def add_input(self, accumulator, edge):
        return self._combiner.add_input(accumulator, edge)

    def merge_accumulators(self, accumulators):
        return self._combiner.merge_accumulators(accumulators)

    def extract_output(self, accumulator):
        return self._combiner.extract_output(accumulator)


class ConnectedComponents(beam.PTransform):
    """(a, b) edges -> (node, smallest node of its component) for every node that has an edge."""

    def expand(self, edges):
        return (
            edges
            | "Fold edges into components" >> beam.CombineGlobally(UnionFindFn())
            | "Emit each node's component" >> beam.FlatMap(lambda labels: sorted(labels.items())))
