"""claimbeam's DaskRunner on a real cluster: each defect of Beam's DaskRunner that it fixes, as a TestPipeline."""
import time
import uuid

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

pytestmark = pytest.mark.dask


RUNNER = "pipelines.dask_runner.DaskRunner"


@pytest.fixture
def dask_pipeline(dask_scheduler):
    """Four partitions per created collection, so that a collection is several bundles on two workers."""
    return BeamTestPipeline(options=PipelineOptions(
        [f"--runner={RUNNER}", f"--dask_client_address={dask_scheduler}", "--dask_npartitions=4"]))


def _odd_or_even(n):
    yield beam.pvalue.TaggedOutput("odd", n) if n % 2 else n


def test_each_tagged_output_reaches_only_its_own_consumers(dask_pipeline):
    with dask_pipeline as p:
        parts = p | beam.Create(range(10)) | beam.FlatMap(_odd_or_even).with_outputs("odd", main="even")
        assert_that(parts.even, equal_to([0, 2, 4, 6, 8]), label="even only")
        assert_that(parts.odd, equal_to([1, 3, 5, 7, 9]), label="odd only")


class _EmitAtBundleEnd(beam.DoFn):
    def start_bundle(self):
        self._seen = []

    def process(self, n):
        self._seen.append(n)

    def finish_bundle(self):
        from apache_beam.transforms.window import GlobalWindow
        from apache_beam.utils.windowed_value import WindowedValue

        yield WindowedValue(sum(self._seen), 0, [GlobalWindow()])


def test_output_of_finish_bundle_is_kept(dask_pipeline):
    with dask_pipeline as p:
        sums = p | beam.Create(range(1, 101)) | beam.ParDo(_EmitAtBundleEnd())
        assert_that(sums | beam.CombineGlobally(sum), equal_to([5050]))


class _BufferPerBundle(beam.DoFn):
    """State on self for one bundle, as BatchElements and Beam's file sinks keep it."""

    def start_bundle(self):
        self._held = []

    def process(self, n):
        time.sleep(0.002)  # give a second thread of the same worker time to start its bundle
        self._held.append(n)

    def finish_bundle(self):
        from apache_beam.transforms.window import GlobalWindow
        from apache_beam.utils.windowed_value import WindowedValue

        for n in self._held:
            yield WindowedValue(n, 0, [GlobalWindow()])


def test_bundles_on_threads_of_one_worker_each_have_their_own_dofn(dask_scheduler):
    """The cluster's workers run two threads each; eight bundles of 50 must neither lose nor repeat an element."""
    options = PipelineOptions([f"--runner={RUNNER}", f"--dask_client_address={dask_scheduler}", "--dask_npartitions=8"])
    with BeamTestPipeline(options=options) as p:
        held = p | beam.Create(range(400)) | beam.ParDo(_BufferPerBundle())
        assert_that(held, equal_to(list(range(400))))


def test_undeclared_tagged_outputs_go_nowhere(dask_pipeline):
    with dask_pipeline as p:
        main = p | beam.Create([1, 2, 3]) | beam.FlatMap(lambda n: [n, beam.pvalue.TaggedOutput("x", -n)])
        assert_that(main, equal_to([1, 2, 3]))


def test_windows_other_than_the_global_one_are_refused(dask_pipeline):
    from apache_beam.transforms.window import FixedWindows

    with pytest.raises(NotImplementedError, match="global window only"):
        with dask_pipeline as p:
            (p | beam.Create([("k", 1), ("k", 100)]) | beam.WindowInto(FixedWindows(10)) | beam.GroupByKey())


def test_every_sink_runs_not_only_the_last(dask_pipeline, tmp_path):
    with dask_pipeline as p:
        numbers = p | beam.Create([1, 2, 3])
        numbers | "first sink" >> beam.io.WriteToText(str(tmp_path / "first"), shard_name_template="")
        numbers | "second sink" >> beam.io.WriteToText(str(tmp_path / "second"), shard_name_template="")
    for name in ("first", "second"):
        assert sorted((tmp_path / name).read_text().split()) == ["1", "2", "3"]


def _record_call(n, folder):
    (folder / uuid.uuid4().hex).write_text("")  # the workers are other processes: count calls on disk
    return n


def test_a_side_input_is_computed_once_for_all_its_consumers(dask_pipeline, tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    with dask_pipeline as p:
        side = p | "side" >> beam.Create([10]) | "record" >> beam.Map(_record_call, folder=calls)
        main = p | "main" >> beam.Create(range(8))
        first = main | "add" >> beam.Map(lambda n, s: n + s, s=beam.pvalue.AsSingleton(side))
        second = main | "times" >> beam.Map(lambda n, s: n * s, s=beam.pvalue.AsSingleton(side))
        assert_that(first, equal_to([n + 10 for n in range(8)]), label="added")
        assert_that(second, equal_to([n * 10 for n in range(8)]), label="multiplied")
    assert len(list(calls.iterdir())) == 1
