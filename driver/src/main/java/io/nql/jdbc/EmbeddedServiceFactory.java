package io.nql.jdbc;

import java.lang.reflect.InvocationTargetException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.Service;

/**
 * Avatica service factory for {@code jdbc:nql:embedded:}: a {@link LocalService} over the engine's
 * Meta in this JVM. The engine ({@code nql-planner}) must be on the class path; it is looked up by
 * name so that the remote-only driver jar does not need it.
 */
public final class EmbeddedServiceFactory implements Service.Factory {
  static final String ENGINES_CLASS = "io.nql.planner.meta.EmbeddedEngines";

  /** The engine Meta behind each open embedded connection (for warnings, which Avatica lacks). */
  private static final java.util.Map<String, Meta> METAS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The warnings of a statement of an embedded connection, as {sqlState, message} pairs. */
  @SuppressWarnings("unchecked")
  static java.util.List<String[]> warnings(String connectionId, int statementId) {
    Meta meta = METAS.get(connectionId);
    if (meta == null) {
      return java.util.List.of();
    }
    try {
      return (java.util.List<String[]>)
          meta.getClass()
              .getMethod("warnings", String.class, int.class)
              .invoke(meta, connectionId, statementId);
    } catch (ReflectiveOperationException e) {
      return java.util.List.of();
    }
  }

  /**
   * Cancels a statement of an embedded connection while it runs ({@code NqlMeta#cancel}); false
   * when it does not run or the connection is unknown.
   */
  static boolean cancel(String connectionId, int statementId) {
    Meta meta = METAS.get(connectionId);
    if (meta == null) {
      return false;
    }
    try {
      return (Boolean)
          meta.getClass()
              .getMethod("cancel", String.class, int.class)
              .invoke(meta, connectionId, statementId);
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /** Whether {@code connectionId} is an open embedded connection. */
  static boolean knows(String connectionId) {
    return METAS.containsKey(connectionId);
  }

  /** Forgets a closed connection. */
  static void closed(String connectionId) {
    METAS.remove(connectionId);
  }

  @Override
  public Service create(AvaticaConnection connection) {
    String warehouse = connection.config().url();
    try {
      Class<?> engines = Class.forName(ENGINES_CLASS);
      Meta meta = (Meta) engines.getMethod("meta", String.class).invoke(null, warehouse);
      METAS.put(connection.id, meta);
      return new LocalService(meta);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "Cannot open an embedded warehouse: the nql-planner library is not on the class path");
    } catch (InvocationTargetException e) {
      // The engine's error (an NqlException: SQLSTATE and one-line message) as Avatica's, which
      // the driver turns into a SQLException like any other.
      Throwable cause = e.getCause();
      throw new AvaticaRuntimeException(
          cause.getMessage(), 0, sqlState(cause), AvaticaSeverity.ERROR);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Cannot open an embedded warehouse: incompatible nql-planner library");
    }
  }

  /** The SQLSTATE of an engine error ({@code NqlException#sqlState()}), else 08001. */
  private static String sqlState(Throwable t) {
    try {
      Object state = t.getClass().getMethod("sqlState").invoke(t);
      return state instanceof String s ? s : "08001";
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "08001";
    }
  }
}
