-- Secrets: credentials a company keeps for connectors (CREATE SECRET), e.g. the URL, user and
-- password of a PostgreSQL database that COPY INTO imports from. The values are sealed by the
-- gateway (AES-GCM with a key that is never stored here, bound to the company, name and type), so
-- this table alone reveals only names, types and times.
CREATE TABLE secrets (
  company_id  BIGINT NOT NULL,
  name        VARCHAR(128) NOT NULL,
  secret_type VARCHAR(32) NOT NULL,
  sealed      VARCHAR NOT NULL,
  created_by  BIGINT NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT secrets_pkey PRIMARY KEY (company_id, name),
  CONSTRAINT secrets_company_fk FOREIGN KEY (company_id) REFERENCES companies (id)
);
