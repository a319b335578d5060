package io.nql.planner.ingest.postgres;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.types.Type;

/**
 * Reads the description of one PostgreSQL table — its columns in order, their types as datasets
 * hold them ({@link PostgresColumn#map}, the mapping imports use), nullability and primary key —
 * for a dataset whose rows rest in that table (a data plane). It connects as imports do (the
 * operator's host list, the checked URL, the driver settings of {@link PostgresUrl}), in a
 * read-only transaction, and sends fixed statements whose names are bind parameters only: a hostile
 * schema, table or column name is data, never SQL.
 */
public final class PostgresTables {
  private static final String TABLE_TYPE =
      "SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?";
  private static final String COLUMNS =
      "SELECT column_name, udt_name, numeric_precision, numeric_scale, is_nullable"
          + " FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
          + " ORDER BY ordinal_position";
  private static final String PRIMARY_KEY =
      "SELECT a.attname FROM pg_catalog.pg_index i"
          + " JOIN pg_catalog.pg_class c ON c.oid = i.indrelid"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)"
          + " WHERE i.indisprimary AND n.nspname = ? AND c.relname = ?";

  private static final int STATEMENT_TIMEOUT_MILLIS = 30_000;

  private PostgresTables() {}

  /**
   * One column of a table.
   *
   * @param name its name, exactly as PostgreSQL spells it
   * @param sourceType its PostgreSQL type, e.g. {@code int4}, {@code numeric(12,2)}
   * @param type the dataset type that holds its values
   * @param nullable whether the column allows nulls
   * @param key whether it is part of the table's primary key
   */
  public record Column(String name, String sourceType, Type type, boolean nullable, boolean key) {}

  /**
   * The columns of table {@code schema.table}, in order.
   *
   * @param via the credentials, for messages ({@code data plane pg1})
   * @param what the statement's start for messages, e.g. {@code create dataset x}
   * @throws NqlException INSUFFICIENT_PRIVILEGE when {@code hosts} does not allow the URL's host;
   *     EXTERNAL_CONNECTION_FAILED when the server cannot be reached or refuses the login;
   *     UNKNOWN_TABLE when there is no such table (or schema) the user may read; NOT_SUPPORTED for
   *     a view, a table without a primary key, or a column of a type no dataset type holds (naming
   *     it)
   */
  public static List<Column> describe(
      PostgresUrl url,
      String user,
      String password,
      PostgresHosts hosts,
      String via,
      String schema,
      String table,
      String what) {
    hosts.check(url, via);
    String prefix = "Cannot " + what + ": ";
    String shown = PostgresImport.quoted(List.of(schema, table));
    try (Connection c = PostgresSource.connect(url, user, password, via)) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      try {
        try (Statement s = c.createStatement()) {
          s.execute("SET TRANSACTION READ ONLY");
          // a catalog read is quick: a server that stalls must not hold the statement forever
          s.execute("SET LOCAL statement_timeout = " + STATEMENT_TIMEOUT_MILLIS);
        }
        String type = first(c, TABLE_TYPE, schema, table);
        if (type == null) {
          throw NqlException.of(
              ErrorCode.UNKNOWN_TABLE,
              "%s%s has no table %s, or no permission to read it",
              prefix,
              via,
              shown);
        }
        if (!type.equals("BASE TABLE")) {
          throw NqlException.of(
              ErrorCode.NOT_SUPPORTED,
              "%s%s is a %s, not a table: it has no primary key, and rows need a stable identity"
                  + " to be charged once",
              prefix,
              shown,
              type.toLowerCase(java.util.Locale.ROOT));
        }
        Set<String> key = new HashSet<>(all(c, PRIMARY_KEY, schema, table));
        List<Column> columns = columns(c, schema, table, key, prefix);
        if (key.isEmpty()) {
          throw NqlException.of(
              ErrorCode.NOT_SUPPORTED,
              "%stable %s has no primary key: rows need a stable identity to be charged once",
              prefix,
              shown);
        }
        return columns;
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw PostgresErrors.catalog(e, prefix);
    }
  }

  private static List<Column> columns(
      Connection c, String schema, String table, Set<String> key, String prefix)
      throws SQLException {
    List<Column> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          PostgresColumn mapped;
          try {
            mapped = PostgresColumn.map(name, rs.getString(2), rs.getInt(3), rs.getInt(4));
          } catch (PostgresColumn.UnsupportedType e) {
            throw unsupported(prefix, name, e.unsupported());
          }
          out.add(
              new Column(
                  name,
                  mapped.sourceType(),
                  mapped.type(),
                  "YES".equals(rs.getString(5)),
                  key.contains(name)));
        }
      }
    }
    return out;
  }

  private static NqlException unsupported(
      String prefix, String column, PostgresColumn.Unsupported u) {
    return NqlException.of(
        ErrorCode.NOT_SUPPORTED,
        "%scolumn '%s' has PostgreSQL type %s%s",
        prefix,
        column,
        u.sourceType(),
        switch (u.reason()) {
          case TYPE -> ", which datasets do not support";
          case NO_PRECISION ->
              " without a precision, which datasets do not support (declare it numeric(p,s), p"
                  + " at most 38)";
          case TOO_LARGE -> ": a DECIMAL has a precision of at most 38 and a scale from 0 to it";
        });
  }

  private static String first(Connection c, String sql, String schema, String table)
      throws SQLException {
    List<String> all = all(c, sql, schema, table);
    return all.isEmpty() ? null : all.get(0);
  }

  private static List<String> all(Connection c, String sql, String schema, String table)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
