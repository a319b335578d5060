-- Data planes (CREATE DATA PLANE): storage engines a company's datasets may rest in besides the
-- embedded Iceberg warehouse, e.g. a PostgreSQL database whose tables the gateway scans with the
-- rule's and buyer's filters pushed down. A plane holds its credentials either by naming one of
-- the company's secrets (secret_name) or sealed here like a secret's values (sealed: AES-GCM with
-- the gateway's secret key, bound to the company, the plane's name and type). Exactly one of the
-- two is set; this table alone reveals no password.
CREATE TABLE data_planes (
  company_id  BIGINT NOT NULL,
  name        VARCHAR(128) NOT NULL,
  plane_type  VARCHAR(32) NOT NULL,
  secret_name VARCHAR(128),
  sealed      VARCHAR,
  created_by  BIGINT NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT data_planes_pkey PRIMARY KEY (company_id, name),
  CONSTRAINT data_planes_company_fk FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT data_planes_credentials CHECK ((secret_name IS NULL) <> (sealed IS NULL))
);
