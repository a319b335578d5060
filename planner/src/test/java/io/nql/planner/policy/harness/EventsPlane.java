package io.nql.planner.policy.harness;

import io.nql.planner.testing.PostgresSourceDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The PostgreSQL data plane the provider's {@code events} rests in, for the harnesses' plane
 * worlds: each world writes its provider rows into a table of a schema of its own (in file order,
 * so that a scan without ORDER BY reads them in the order an embedded scan does) and creates its
 * dataset {@code events} over that table. Schemas are dropped on {@link #close}.
 *
 * <p>The columns have the PostgreSQL types that map to the embedded dataset's declared types
 * ({@code int8} → BIGINT, {@code int4} → INTEGER, {@code text} → VARCHAR, {@code numeric(12,2)} →
 * DECIMAL(12, 2)), so both planes hold the same values. The primary key is {@code id} when the
 * world's ids are distinct; otherwise (ids that collide, in the hidden-rows world) a surrogate
 * {@link #SURROGATE_KEY} numbering the rows in file order, which no rule selects.
 */
public final class EventsPlane implements AutoCloseable {
  /** The plane's name in every world. */
  public static final String PLANE = "events_pg";

  /** The surrogate key column of a table whose ids are not distinct. */
  public static final String SURROGATE_KEY = "row_no";

  private final PostgresSourceDatabase pg;
  private final java.util.Map<String, String> schemas = new java.util.HashMap<>();
  private final java.util.Map<String, Set<Integer>> reported = new java.util.HashMap<>();

  private EventsPlane(PostgresSourceDatabase pg) {
    this.pg = pg;
  }

  /** Connects to the CI PostgreSQL (skipping the calling test class when it is unreachable). */
  public static EventsPlane require() {
    return new EventsPlane(PostgresSourceDatabase.require());
  }

  /** The {@code host:port} an engine must allow for the plane ({@code --postgres-import-hosts}). */
  public static String hostAndPort() {
    return PostgresSourceDatabase.hostAndPort();
  }

  /** The provider's statement creating the plane. */
  static String createPlane() {
    return "CREATE DATA PLANE "
        + PLANE
        + " TYPE POSTGRES URL "
        + literal(PostgresSourceDatabase.URL)
        + " USER "
        + literal(PostgresSourceDatabase.USER)
        + " PASSWORD "
        + literal(PostgresSourceDatabase.PASSWORD);
  }

  /**
   * Writes {@code rows} into a new table {@code events} of a new schema named after {@code world}
   * and returns the provider's statement creating the dataset {@code events} over it.
   */
  synchronized String createDataset(String world, List<ProviderRow> rows) {
    String schema = pg.schema(world.toLowerCase(java.util.Locale.ROOT));
    schemas.put(world, schema);
    String table = PostgresSourceDatabase.quote(schema) + ".events";
    boolean surrogate = !distinctIds(rows);
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("CREATE SCHEMA " + PostgresSourceDatabase.quote(schema));
      s.execute(
          "CREATE TABLE "
              + table
              + " (id int8 NOT NULL"
              + (surrogate ? "" : " PRIMARY KEY")
              + ", grp int4, country text, qty int4, code text, big int8, amount numeric(12,2),"
              + " label text, secret text, hidden_num int8"
              + (surrogate ? ", " + SURROGATE_KEY + " int8 PRIMARY KEY" : "")
              + ")");
      String insert =
          "INSERT INTO "
              + table
              + " (id, grp, country, qty, code, big, amount, label, secret, hidden_num"
              + (surrogate ? ", " + SURROGATE_KEY : "")
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
              + (surrogate ? ", ?" : "")
              + ")";
      try (PreparedStatement p = c.prepareStatement(insert)) {
        long rowNo = 0;
        for (ProviderRow r : rows) {
          p.setLong(1, r.id());
          p.setObject(2, r.grp(), Types.INTEGER);
          p.setString(3, r.country());
          p.setObject(4, r.qty(), Types.INTEGER);
          p.setString(5, r.code());
          p.setObject(6, r.big(), Types.BIGINT);
          p.setBigDecimal(7, r.amount());
          p.setString(8, r.label());
          p.setString(9, r.secret());
          p.setObject(10, r.hiddenNum(), Types.BIGINT);
          if (surrogate) {
            p.setLong(11, rowNo++);
          }
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write the plane table of " + world + ": " + e, e);
    }
    return "CREATE DATASET \"events\" IN DATA PLANE "
        + PLANE
        + " TABLE "
        + literal(PostgresSourceDatabase.quote(schema) + ".\"events\"");
  }

  /** The schema of a world's table ({@code world} as given to {@link #createDataset}). */
  synchronized String schema(String world) {
    return schemas.get(world);
  }

  /**
   * The PostgreSQL sessions still connected whose last statement read the world's table, not
   * returned before (process id, state and last statement): a plane scan closes its connection when
   * its statement ends, so after a statement there are none. A session that has just been closed
   * may take a moment to go: this waits up to a second for the new ones to go.
   */
  List<String> sessionsLeft(String world) {
    Set<Integer> seen;
    synchronized (this) {
      seen = reported.computeIfAbsent(world, w -> new HashSet<>());
    }
    for (int attempt = 0; ; attempt++) {
      java.util.Map<Integer, String> now = sessions(schema(world));
      now.keySet().removeAll(seen);
      if (now.isEmpty()) {
        return List.of();
      }
      if (attempt == 20) {
        seen.addAll(now.keySet());
        return now.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
  }

  /** Sessions other than this one whose last statement read the table of {@code schema}. */
  private java.util.Map<Integer, String> sessions(String schema) {
    java.util.Map<Integer, String> out = new java.util.TreeMap<>();
    try (Connection c = pg.connect();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT pid, state, query FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                    + " AND query LIKE ? AND query NOT LIKE 'CREATE %'"
                    + " AND query NOT LIKE 'INSERT %'")) {
      p.setString(1, "%" + PostgresSourceDatabase.quote(schema) + ".%");
      try (java.sql.ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getInt(1), rs.getString(2) + ": " + rs.getString(3));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list the plane's sessions: " + e, e);
    }
    return out;
  }

  private static boolean distinctIds(List<ProviderRow> rows) {
    Set<Long> seen = new HashSet<>();
    return rows.stream().allMatch(r -> seen.add(r.id()));
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * Ends the sessions a scan left open (they would hold locks that keep the schemas from being
   * dropped) and drops the schemas.
   */
  @Override
  public void close() throws SQLException {
    try (Connection c = pg.connect();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE pid <> pg_backend_pid() AND query LIKE ?")) {
      for (String schema : schemas.values()) {
        p.setString(1, "%" + PostgresSourceDatabase.quote(schema) + ".%");
        p.executeQuery().close();
      }
    }
    pg.close();
  }
}
