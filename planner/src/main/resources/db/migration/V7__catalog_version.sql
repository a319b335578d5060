-- The catalog's version: what cached plans and cached catalog reads are valid for. One row.
-- ddl_version grows in the same transaction as every change of companies, users, datasets,
-- access rules, mappings and attributes; data_version after every commit of new rows to a
-- dataset's table (the Iceberg commit is not in this database's transaction, so it follows it).
CREATE TABLE catalog_version (
  id           INTEGER PRIMARY KEY,
  ddl_version  BIGINT NOT NULL,
  data_version BIGINT NOT NULL,
  CONSTRAINT catalog_version_one_row CHECK (id = 1)
);

INSERT INTO catalog_version (id, ddl_version, data_version) VALUES (1, 0, 0);
