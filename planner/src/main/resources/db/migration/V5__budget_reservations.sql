-- Budgets are reserved before rows are released. A ledger entry is 'open' while its statement
-- runs (reserved_micros is what it may spend), 'final' when the statement ended normally
-- (amount = rows delivered × price), and 'reconciled' when a gateway restarted after a crash and
-- charged what was reserved (never less than was sent, never more than was reserved).

ALTER TABLE ledger ADD COLUMN status VARCHAR(10) NOT NULL DEFAULT 'final';
ALTER TABLE ledger ADD COLUMN reserved_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger ADD COLUMN micros_per_row BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger ADD COLUMN instance_id VARCHAR(36);
ALTER TABLE ledger ADD COLUMN budget_key VARCHAR(64);
ALTER TABLE ledger ADD COLUMN period_start DATE;
ALTER TABLE ledger ADD COLUMN finalized_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE ledger ADD CONSTRAINT ledger_status_check
  CHECK (status IN ('open', 'final', 'reconciled'));

CREATE INDEX ledger_open_idx ON ledger (status, instance_id);

-- A period budget (LIMIT n USD PER CALENDAR_DAY | PER CALENDAR_MONTH): one row per company,
-- normalized statement and period. Reservations lock the row, so concurrent sessions sharing it
-- never exceed the limit together.
CREATE TABLE budget_periods (
  company_id      BIGINT NOT NULL,
  budget_key      VARCHAR(64) NOT NULL,
  period_start    DATE NOT NULL,
  limit_micros    BIGINT NOT NULL,
  spent_micros    BIGINT NOT NULL DEFAULT 0,
  reserved_micros BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT budget_periods_pk PRIMARY KEY (company_id, budget_key, period_start),
  CONSTRAINT budget_periods_amounts_check
    CHECK (spent_micros >= 0 AND reserved_micros >= 0)
);
