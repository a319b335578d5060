package io.nql.planner.exec;

import io.nql.planner.iceberg.RowIds;
import io.nql.planner.iceberg.ScanMetrics;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Calcite's {@link DataContext} for one statement: root schema, type factory, the statement's time
 * (fixed at creation, zone UTC), the scan metrics collector and values stashed by the plan.
 */
final class StatementContext implements DataContext {
  private final SchemaPlus rootSchema;
  private final JavaTypeFactory typeFactory;
  private final Map<String, Object> values = new HashMap<>();

  StatementContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory, ScanMetrics metrics) {
    this.rootSchema = rootSchema;
    this.typeFactory = typeFactory;
    long now = System.currentTimeMillis();
    values.put(Variable.UTC_TIMESTAMP.camelName, now);
    values.put(Variable.CURRENT_TIMESTAMP.camelName, now);
    values.put(Variable.LOCAL_TIMESTAMP.camelName, now);
    values.put(Variable.TIME_ZONE.camelName, TimeZone.getTimeZone("UTC"));
    values.put(Variable.LOCALE.camelName, Locale.ROOT);
    values.put(Variable.CANCEL_FLAG.camelName, new AtomicBoolean());
    values.put(ScanMetrics.CONTEXT_KEY, metrics);
    values.put(RowIds.CONTEXT_KEY, new RowIds());
  }

  /** Values the generated code looks up by name (stashed scan specs). */
  Map<String, Object> values() {
    return values;
  }

  @Override
  public SchemaPlus getRootSchema() {
    return rootSchema;
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return typeFactory;
  }

  @Override
  public @Nullable QueryProvider getQueryProvider() {
    return null;
  }

  @Override
  public @Nullable Object get(String name) {
    return values.get(name);
  }
}
