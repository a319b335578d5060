package io.nql.planner.engine;

import io.nql.planner.store.AccessRule;
import io.nql.planner.store.LedgerEntry;
import io.nql.planner.store.MetadataStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code company_data._ledger}: the caller's ledger entries, read-only — as a buyer its spend, as a
 * provider its revenue, and nobody else's.
 */
final class LedgerTable extends AbstractTable implements ScannableTable {
  /** The table's name under company_data. */
  static final String NAME = "_ledger";

  private final MetadataStore store;
  private final long companyId;
  private final Map<Long, String> slugs;

  LedgerTable(MetadataStore store, long companyId, Map<Long, String> slugs) {
    this.store = store;
    this.companyId = companyId;
    this.slugs = slugs;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    return f.builder()
        .add("statement_id", SqlTypeName.VARCHAR)
        .add("role", SqlTypeName.VARCHAR)
        .add("buyer", SqlTypeName.VARCHAR)
        .add("provider", SqlTypeName.VARCHAR)
        .add("rule", SqlTypeName.VARCHAR)
        .add("rule_version", SqlTypeName.INTEGER)
        .add("rows_delivered", SqlTypeName.BIGINT)
        .add("amount_usd", SqlTypeName.DECIMAL, 20, 6)
        .add("amount_micros", SqlTypeName.BIGINT)
        .add("status", SqlTypeName.VARCHAR)
        .add("created_at", SqlTypeName.TIMESTAMP, 3)
        .build();
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    List<Object[]> rows = new ArrayList<>();
    for (LedgerEntry e : store.ledger().entriesOf(companyId)) {
      String rule =
          store
              .accessRules()
              .version(e.ruleId(), e.ruleVersion())
              .map(AccessRule::name)
              .orElse("#" + e.ruleId());
      rows.add(
          new Object[] {
            e.statementId(),
            e.buyerCompanyId() == companyId ? "buyer" : "provider",
            slugs.getOrDefault(e.buyerCompanyId(), "#" + e.buyerCompanyId()),
            slugs.getOrDefault(e.providerCompanyId(), "#" + e.providerCompanyId()),
            rule,
            e.ruleVersion(),
            e.rows(),
            BigDecimal.valueOf(e.amountMicros()).movePointLeft(6),
            e.amountMicros(),
            e.status(),
            e.createdAt().toEpochMilli()
          });
    }
    return Linq4j.asEnumerable(rows);
  }
}
