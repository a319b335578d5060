package io.nql.planner.iceberg;

import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Statement contexts for scans opened directly by tests: the scan metrics and the row ids. */
final class ScanContexts {
  private ScanContexts() {}

  /** A context holding {@code metrics} and a statement's {@link RowIds}. */
  static DataContext of(ScanMetrics metrics) {
    Map<String, Object> values =
        Map.of(ScanMetrics.CONTEXT_KEY, metrics, RowIds.CONTEXT_KEY, new RowIds());
    return new DataContext() {
      @Override
      public @Nullable SchemaPlus getRootSchema() {
        return null;
      }

      @Override
      public JavaTypeFactory getTypeFactory() {
        throw new UnsupportedOperationException();
      }

      @Override
      public QueryProvider getQueryProvider() {
        throw new UnsupportedOperationException();
      }

      @Override
      public @Nullable Object get(String name) {
        return values.get(name);
      }
    };
  }
}
