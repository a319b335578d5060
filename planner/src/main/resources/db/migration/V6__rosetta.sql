-- Rosetta Stone: attributes added by admins (the built-in ones ship with the gateway as data), and
-- the mappings of a dataset's columns to attributes. Several mappings of one attribute on one
-- dataset (several columns holding e-mails) are told apart by their ordinal; an object attribute's
-- mapping is one ordinal with one row per property.

CREATE TABLE rosetta_attributes (
  name       VARCHAR(128) PRIMARY KEY,
  definition VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE rosetta_mappings (
  dataset_id BIGINT NOT NULL,
  attribute  VARCHAR(128) NOT NULL,
  ordinal    INTEGER NOT NULL,
  -- '' for a mapping of a whole attribute, else the property of an object attribute
  property   VARCHAR(128) NOT NULL,
  expression VARCHAR NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT rosetta_mappings_pk PRIMARY KEY (dataset_id, attribute, ordinal, property),
  CONSTRAINT rosetta_mappings_dataset_fk FOREIGN KEY (dataset_id) REFERENCES datasets (id)
    ON DELETE CASCADE
);
