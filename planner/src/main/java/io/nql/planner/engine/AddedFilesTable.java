package io.nql.planner.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A view of an Iceberg table whose scans plan only the data files of one set (the files an append
 * added): what incremental statistics read, through the same scans as any query. Everything else
 * (schema, metadata, file IO) is the table's.
 */
final class AddedFilesTable {
  private AddedFilesTable() {}

  /** {@code table} with scans that keep only the files at {@code locations}. */
  static Table of(Table table, Set<String> locations) {
    return (Table)
        Proxy.newProxyInstance(
            Table.class.getClassLoader(),
            new Class<?>[] {Table.class},
            (proxy, method, args) -> {
              Object result = invoke(table, method, args);
              return result instanceof TableScan scan ? scan(scan, locations) : result;
            });
  }

  private static TableScan scan(TableScan scan, Set<String> locations) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("planFiles") && method.getParameterCount() == 0) {
            CloseableIterable<FileScanTask> all = scan.planFiles();
            return CloseableIterable.filter(all, t -> locations.contains(t.file().location()));
          }
          if (method.getName().equals("planTasks") && method.getParameterCount() == 0) {
            throw new UnsupportedOperationException("planTasks of an incremental statistics scan");
          }
          Object result = invoke(scan, method, args);
          return result instanceof TableScan next ? scan(next, locations) : result;
        };
    return (TableScan)
        Proxy.newProxyInstance(
            TableScan.class.getClassLoader(), new Class<?>[] {TableScan.class}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
