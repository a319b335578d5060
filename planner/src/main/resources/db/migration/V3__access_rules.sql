-- Access rules: a provider's published, priced views over one of its datasets. A rule is never
-- changed in place: every change is a new version, and the ledger names the version that
-- delivered. Dropping a rule keeps its versions for the ledger.

CREATE SEQUENCE access_rule_ids START WITH 1 INCREMENT BY 1;

CREATE TABLE access_rules (
  id              BIGINT PRIMARY KEY,
  company_id      BIGINT NOT NULL,
  name            VARCHAR(128) NOT NULL,
  current_version INTEGER NOT NULL,
  -- 0 while the rule is live; its own id once dropped, which frees the name for a new rule.
  live_key        BIGINT NOT NULL DEFAULT 0,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  dropped_at      TIMESTAMP WITH TIME ZONE,
  CONSTRAINT access_rules_name_key UNIQUE (company_id, name, live_key),
  CONSTRAINT access_rules_company_fk FOREIGN KEY (company_id) REFERENCES companies (id)
);

CREATE TABLE access_rule_versions (
  rule_id       BIGINT NOT NULL,
  version       INTEGER NOT NULL,
  dataset_id    BIGINT NOT NULL,
  query_text    VARCHAR NOT NULL,
  price_cpm_usd NUMERIC(12, 2) NOT NULL,
  share_mode    VARCHAR(16) NOT NULL,
  display_name  VARCHAR(256),
  description   VARCHAR(4000),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT access_rule_versions_pk PRIMARY KEY (rule_id, version),
  CONSTRAINT access_rule_versions_rule_fk FOREIGN KEY (rule_id) REFERENCES access_rules (id),
  CONSTRAINT access_rule_versions_price_check CHECK (price_cpm_usd >= 0),
  CONSTRAINT access_rule_versions_share_check
    CHECK (share_mode IN ('all', 'none', 'companies', 'all_except'))
);

-- The companies of a version's inclusion ('companies') or exclusion ('all_except') list.
CREATE TABLE access_rule_audience (
  rule_id    BIGINT NOT NULL,
  version    INTEGER NOT NULL,
  company_id BIGINT NOT NULL,
  CONSTRAINT access_rule_audience_pk PRIMARY KEY (rule_id, version, company_id),
  CONSTRAINT access_rule_audience_version_fk
    FOREIGN KEY (rule_id, version) REFERENCES access_rule_versions (rule_id, version),
  CONSTRAINT access_rule_audience_company_fk FOREIGN KEY (company_id) REFERENCES companies (id)
);

CREATE INDEX access_rule_audience_company_idx ON access_rule_audience (company_id);
