-- Table maintenance of datasets: the retention an owner sets (ALTER DATASET ... SET RETENTION) and
-- the lease of the scheduled maintenance pass, so that at most one gateway sharing the store
-- maintains a dataset at a time. A row lives and dies with its dataset.
CREATE TABLE dataset_maintenance (
  dataset_id       BIGINT PRIMARY KEY,
  company_id       BIGINT NOT NULL,
  -- rows whose retention_column is older than now - retention_days are deleted; null: no retention
  retention_days   INTEGER,
  retention_column VARCHAR(256),
  -- the last maintenance pass that finished (successfully or not), and the one running now
  last_run_at      TIMESTAMP WITH TIME ZONE,
  running_since    TIMESTAMP WITH TIME ZONE,
  running_instance VARCHAR(36),
  CONSTRAINT dataset_maintenance_dataset_fk FOREIGN KEY (dataset_id) REFERENCES datasets (id)
    ON DELETE CASCADE,
  CONSTRAINT dataset_maintenance_retention_check
    CHECK ((retention_days IS NULL) = (retention_column IS NULL) AND retention_days >= 0)
);
