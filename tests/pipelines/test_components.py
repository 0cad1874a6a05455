import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from pipelines.components import ConnectedComponents


def test_connected_components(pipeline):
    with pipeline as p:
        edges = p | beam.Create([("b", "c"), ("a", "b"), ("x", "y")])
        assert_that(edges | ConnectedComponents(),
                    equal_to([("a", "a"), ("b", "a"), ("c", "a"), ("x", "x"), ("y", "x")]))
