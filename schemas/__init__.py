"""The one declaration of every output table: its pyarrow schema and its row type."""
from schemas.tables import TABLES, VERIFY_TABLES, Table, row_type, schema, table_names

__all__ = ["TABLES", "VERIFY_TABLES", "Table", "row_type", "schema", "table_names"]
