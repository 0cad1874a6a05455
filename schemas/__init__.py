"""The one declaration of every output table: its pyarrow schema and its row type."""
from schemas.tables import SCHEMA_VERSION, TABLES, VERIFY_TABLES, Table, row_type, schema, table_names

__all__ = ["SCHEMA_VERSION", "TABLES", "VERIFY_TABLES", "Table", "row_type", "schema", "table_names"]
