package io.nql.planner.engine;

import io.nql.planner.store.AuditEvent;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.store.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code company_data._audit}: the audit log as the caller may read it, read-only. An admin reads
 * every event. Anyone else reads the events whose actor or object belongs to its company: its
 * users' logins and definitions, the definitions of its objects, its purchases, and the deliveries
 * of its rules to other companies — of those, who bought (the buyer's company), the rows and the
 * amount, never the buyer's user name.
 */
final class AuditTable extends AbstractTable implements ScannableTable {
  /** The table's name under company_data. */
  static final String NAME = "_audit";

  private final MetadataStore store;
  private final User caller;
  private final Map<Long, String> slugs;

  AuditTable(MetadataStore store, User caller, Map<Long, String> slugs) {
    this.store = store;
    this.caller = caller;
    this.slugs = slugs;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    return f.builder()
        .add("event_id", SqlTypeName.BIGINT)
        .add("occurred_at", SqlTypeName.TIMESTAMP, 3)
        .add("kind", SqlTypeName.VARCHAR)
        .add("action", SqlTypeName.VARCHAR)
        .add("user_name", SqlTypeName.VARCHAR)
        .nullable(true)
        .add("company", SqlTypeName.VARCHAR)
        .nullable(true)
        .add("object_kind", SqlTypeName.VARCHAR)
        .nullable(true)
        .add("object_id", SqlTypeName.BIGINT)
        .nullable(true)
        .add("object_name", SqlTypeName.VARCHAR)
        .nullable(true)
        .add("object_company", SqlTypeName.VARCHAR)
        .nullable(true)
        .add("outcome", SqlTypeName.VARCHAR)
        .add("statement_id", SqlTypeName.VARCHAR)
        .nullable(true)
        .add("detail", SqlTypeName.VARCHAR)
        .build();
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    List<Object[]> rows = new ArrayList<>();
    Long filter = caller.admin() ? null : caller.companyId();
    for (AuditEvent e : store.audit().events(filter)) {
      boolean ownActor = caller.admin() || Objects.equals(e.companyId(), caller.companyId());
      rows.add(
          new Object[] {
            e.id(),
            e.occurredAt().toEpochMilli(),
            e.kind(),
            e.action(),
            ownActor ? e.userName() : null,
            slug(e.companyId()),
            e.objectKind(),
            e.objectId(),
            e.objectName(),
            slug(e.objectCompanyId()),
            e.outcome(),
            e.statementId(),
            e.detail()
          });
    }
    return Linq4j.asEnumerable(rows);
  }

  private String slug(Long companyId) {
    return companyId == null ? null : slugs.getOrDefault(companyId, "#" + companyId);
  }
}
