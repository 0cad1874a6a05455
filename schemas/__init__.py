"""The one declaration of every output table: its pyarrow schema and its row type."""
from schemas.tables import READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION, TABLES, VERIFY_TABLES, Table, row_type, schema, table_names

__all__ = ["READABLE_SCHEMA_VERSIONS", "SCHEMA_VERSION", "TABLES", "VERIFY_TABLES", "Table", "row_type", "schema", "table_names"]
