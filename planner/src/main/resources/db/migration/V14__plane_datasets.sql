-- Datasets in a data plane (CREATE DATASET "x" IN DATA PLANE p TABLE 'schema.table'): the rows
-- stay in the plane's table; the gateway scans it with the rule's and buyer's filters pushed
-- down. data_plane names the company's plane (null = the embedded Iceberg warehouse); plane_source
-- is the source table and its columns as read once at creation (JSON, see store.PlaneSource). A
-- plane a dataset names cannot be dropped.
ALTER TABLE datasets ADD COLUMN data_plane VARCHAR(128);
ALTER TABLE datasets ADD COLUMN plane_source VARCHAR;
ALTER TABLE datasets ADD CONSTRAINT datasets_plane_fk
  FOREIGN KEY (company_id, data_plane) REFERENCES data_planes (company_id, name);
ALTER TABLE datasets ADD CONSTRAINT datasets_plane_source
  CHECK ((data_plane IS NULL) = (plane_source IS NULL));
