-- Tables of Iceberg's JdbcCatalog (its "V1" layout, with view support), owned here rather than
-- created by the catalog: the catalog looks for existing tables in every schema of the database,
-- so on a shared PostgreSQL it could find another schema's tables and skip creating its own.

CREATE TABLE iceberg_tables (
  catalog_name               VARCHAR(255) NOT NULL,
  table_namespace            VARCHAR(255) NOT NULL,
  table_name                 VARCHAR(255) NOT NULL,
  metadata_location          VARCHAR(1000),
  previous_metadata_location VARCHAR(1000),
  iceberg_type               VARCHAR(5),
  PRIMARY KEY (catalog_name, table_namespace, table_name)
);

CREATE TABLE iceberg_namespace_properties (
  catalog_name   VARCHAR(255) NOT NULL,
  namespace      VARCHAR(255) NOT NULL,
  property_key   VARCHAR(255) NOT NULL,
  property_value VARCHAR(1000),
  PRIMARY KEY (catalog_name, namespace, property_key)
);
