"""WriteTables: rows -> one directory of Parquet shards per table."""
from __future__ import annotations


import apache_beam as beam
import pyarrow as pa
from apache_beam.io.filesystems import FileSystems
from apache_beam.io.parquetio import WriteToParquetBatched

from schemas import TABLES


def _to_arrow(rows, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist([vars(r) for r in rows], schema=schema)


class WriteTables(beam.PTransform):
    """Writes {table name: PCollection of rows} as `<output>/<table>/part-SSSSS-of-NNNNN.parquet`.

    Rows are batched into Arrow tables first (faster than writing dict rows).
    A fixed shard count keeps the files independent of how the runner
    bundles work, and it makes an empty table a readable file with its schema.
    """

    def __init__(self, output_dir: str, num_shards: int = 1):
        super().__init__()
        self._output_dir = output_dir
        self._num_shards = num_shards

    def expand(self, tables):
        written = {}
        for name, rows in sorted(tables.items()):
            schema = TABLES[name].schema
            written[name] = (
                rows
                | f"Batch {name} rows" >> beam.BatchElements(min_batch_size=1, max_batch_size=10_000)
                | f"Convert {name} to Arrow" >> beam.Map(_to_arrow, schema=schema)
                | f"Write {name} to Parquet" >> WriteToParquetBatched(
                    FileSystems.join(self._output_dir, name, "part"), schema=schema,
                    file_name_suffix=".parquet", num_shards=self._num_shards))
        return written
