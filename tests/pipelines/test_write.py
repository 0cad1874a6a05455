import apache_beam as beam
import pandas as pd

from pipelines.write import WriteTables
from schemas import TABLES, row_type


def test_write_tables_writes_rows_and_empty_tables_with_schema(pipeline, tmp_path):
    RejectsRow, LinksRow = row_type("rejects"), row_type("article_links")
    rejects = [RejectsRow(input="a.jsonl", record_number=i, reason="malformed JSON", record="{", stage="read")
               for i in (1, 2)]
    with pipeline as p:
        {"rejects": p | "r" >> beam.Create(rejects),
         "article_links": p | "l" >> beam.Create([]).with_output_types(LinksRow)} | WriteTables(str(tmp_path))
    written = pd.read_parquet(tmp_path / "rejects")
    assert sorted(written.record_number) == [1, 2] and list(written.columns) == TABLES["rejects"].column_names
    empty = pd.read_parquet(tmp_path / "article_links")
    assert len(empty) == 0 and list(empty.columns) == TABLES["article_links"].column_names
