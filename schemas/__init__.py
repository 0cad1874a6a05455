"""The one declaration of every output table: its pyarrow schema and its row type."""
from schemas.tables import TABLES, Table, row_type, schema

__all__ = ["TABLES", "Table", "row_type", "schema"]
