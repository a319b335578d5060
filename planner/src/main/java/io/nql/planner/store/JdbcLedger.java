package io.nql.planner.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The ledger in the metadata store's {@code ledger} table (see V4__ledger.sql). */
final class JdbcLedger implements Ledger {
  private final JdbcMetadataStore store;

  JdbcLedger(JdbcMetadataStore store) {
    this.store = store;
  }

  @Override
  public void record(List<LedgerEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    store.inTransaction(
        "record ledger entries",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO ledger (statement_id, buyer_company_id, provider_company_id,"
                      + " rule_id, rule_version, rows_delivered, amount_micros, created_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (LedgerEntry e : entries) {
              ps.setString(1, e.statementId());
              ps.setLong(2, e.buyerCompanyId());
              ps.setLong(3, e.providerCompanyId());
              ps.setLong(4, e.ruleId());
              ps.setInt(5, e.ruleVersion());
              ps.setLong(6, e.rows());
              ps.setLong(7, e.amountMicros());
              ps.setObject(8, e.createdAt().atOffset(ZoneOffset.UTC));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  @Override
  public List<LedgerEntry> entriesOf(long companyId) {
    return store.read(
        "read the ledger",
        c -> {
          List<LedgerEntry> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT statement_id, buyer_company_id, provider_company_id, rule_id,"
                      + " rule_version, rows_delivered, amount_micros, created_at FROM ledger"
                      + " WHERE buyer_company_id = ? OR provider_company_id = ?"
                      + " ORDER BY created_at DESC, id DESC")) {
            ps.setLong(1, companyId);
            ps.setLong(2, companyId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new LedgerEntry(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getInt(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getObject(8, OffsetDateTime.class).toInstant()));
              }
            }
          }
          return out;
        });
  }
}
