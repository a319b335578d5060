package io.nql.bench.soak;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;

/**
 * One soak client: runs operations of its {@link Kind} until the deadline and checks each answer
 * against what it must be (a short or empty answer is an error, as is any exception; a budget cut
 * is not, but must carry its {@code 01N01} warning and buy exactly what the budget pays for).
 */
final class SoakClient implements Runnable {
  /** What a client does. */
  enum Kind {
    POINT("point query, jdbc:nql"),
    SCAN("scan, Flight SQL"),
    PURCHASE("purchase with budget, jdbc:nql"),
    LOAD("provider load, COPY INTO / INSERT"),
    REFRESH("materialized view refresh");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }

    /** The kind of client {@code i}: every 8 clients hold each kind at least once. */
    static Kind of(int i) {
      return switch (i % 8) {
        case 0, 3 -> POINT;
        case 1, 5 -> SCAN;
        case 2, 6 -> PURCHASE;
        case 4 -> LOAD;
        default -> REFRESH;
      };
    }
  }

  private final SoakWorld world;
  private final SoakTally tally;
  private final Kind kind;
  private final int buyer;
  private final int index;
  private final long deadline;
  private final SplittableRandom random;
  private long[] nanos = new long[1024];
  private int done;

  /**
   * @param index the client's number among all ({@link Kind#of} gives its kind; the buyer it acts
   *     for alternates)
   * @param view for a refresh client, its materialized view's number
   */
  SoakClient(SoakWorld world, SoakTally tally, int index, long deadlineNanos, long seed) {
    this.world = world;
    this.tally = tally;
    this.kind = Kind.of(index);
    this.index = index;
    this.buyer = index / 4 % 2; // each 8 clients: one of each pair of kinds per buyer
    this.deadline = deadlineNanos;
    this.random = new SplittableRandom(seed + index);
  }

  @Override
  public void run() {
    try {
      switch (kind) {
        case POINT -> points();
        case SCAN -> scans();
        case PURCHASE -> purchases();
        case LOAD -> loads();
        case REFRESH -> refreshes();
      }
    } catch (Throwable t) {
      tally.error(kind, "client stopped: " + describe(t));
    } finally {
      tally.addLatencies(kind, nanos, done);
    }
  }

  private boolean running() {
    return System.nanoTime() < deadline;
  }

  private void timed(long start) {
    if (done == nanos.length) {
      nanos = Arrays.copyOf(nanos, done * 2);
    }
    nanos[done++] = System.nanoTime() - start;
  }

  private void points() throws SQLException {
    try (Connection c = world.connect(SoakWorld.buyerUser(buyer));
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, region, amount, name FROM " + SoakWorld.FREE_RULE + " WHERE id = ?")) {
      while (running()) {
        long id = 1 + random.nextInt(world.rows);
        long start = System.nanoTime();
        try {
          ps.setLong(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || rs.getLong(1) != id || !rs.getString(4).equals("name-" + id)) {
              tally.error(kind, "id " + id + ": no row or a wrong one");
              continue;
            }
            if (rs.next()) {
              tally.error(kind, "id " + id + ": more than one row");
              continue;
            }
          }
          timed(start);
          tally.rowsRead.increment();
        } catch (SQLException e) {
          tally.error(kind, describe(e));
        }
      }
    }
  }

  private void scans() throws Exception {
    String user = SoakWorld.buyerUser(buyer);
    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client =
            FlightClient.builder(
                    allocator, Location.forGrpcInsecure("127.0.0.1", world.gateway.flightPort()))
                .build()) {
      CallOption token =
          client
              .authenticateBasicToken(user, SoakWorld.password())
              .orElseThrow(() -> new IllegalStateException("the handshake returned no token"));
      FlightSqlClient sql = new FlightSqlClient(client);
      for (long k = 0; running(); k++) {
        boolean priced = k % 2 == 1;
        int n = priced ? 100 + random.nextInt(1_900) : 1_000 + random.nextInt(49_000);
        if (!priced && k % 20 == 0) {
          n = world.rows; // now and then the whole dataset
        }
        n = Math.min(n, world.rows);
        long from = 1 + random.nextInt(world.rows - n + 1);
        long to = from + n - 1;
        String q =
            "SELECT id FROM "
                + (priced ? SoakWorld.PRICED_RULE : SoakWorld.FREE_RULE)
                + " WHERE id BETWEEN "
                + from
                + " AND "
                + to
                + (priced ? " NO LIMIT" : "");
        long start = System.nanoTime();
        long rows = 0;
        long sum = 0;
        try {
          FlightInfo info = sql.execute(q, token);
          for (FlightEndpoint e : info.getEndpoints()) {
            try (FlightStream stream = sql.getStream(e.getTicket(), token)) {
              while (stream.next()) {
                BigIntVector ids = (BigIntVector) stream.getRoot().getVector(0);
                int count = stream.getRoot().getRowCount();
                for (int r = 0; r < count; r++) {
                  sum += ids.get(r);
                }
                rows += count;
              }
            }
          }
        } catch (Exception e) {
          tally.error(kind, describe(e));
          continue;
        }
        if (priced) {
          tally.charged(buyer, rows); // what it received is what it must have been charged
        }
        if (rows != n || sum != (from + to) * n / 2) {
          tally.error(kind, String.format(Locale.ROOT, "%s: %d rows, expected %d", q, rows, n));
          continue;
        }
        timed(start);
        tally.rowsRead.add(rows);
      }
    }
  }

  private void purchases() throws SQLException {
    try (Connection c = world.connect(SoakWorld.buyerUser(buyer));
        Statement s = c.createStatement()) {
      while (running()) {
        int n = 100 + random.nextInt(2_900);
        long from = 1 + random.nextInt(world.rows - n + 1);
        // n rows cost n × 0.002 USD = n / 5 cents; half the budgets pay for all, half are cut
        int cents = random.nextBoolean() ? n / 5 + 10 : 1 + random.nextInt(n / 5 - 1);
        long affordable = cents * 5L;
        long expected = Math.min(n, affordable);
        String q =
            String.format(
                Locale.ROOT,
                "SELECT id, amount FROM %s WHERE id BETWEEN %d AND %d LIMIT %d.%02d USD",
                SoakWorld.PRICED_RULE,
                from,
                from + n - 1,
                cents / 100,
                cents % 100);
        long start = System.nanoTime();
        long rows = 0;
        SQLWarning w;
        try {
          try (ResultSet rs = s.executeQuery(q)) {
            while (rs.next()) {
              rs.getBigDecimal(2);
              rows++;
            }
          }
          w = s.getWarnings();
        } catch (SQLException e) {
          tally.error(kind, describe(e));
          continue;
        } finally {
          tally.charged(buyer, rows);
        }
        boolean cut = affordable < n;
        if (rows != expected) {
          tally.error(kind, q + ": " + rows + " rows, expected " + expected);
        } else if (cut != (w != null && "01N01".equals(w.getSQLState()))) {
          tally.error(kind, q + ": " + (cut ? "cut without its warning" : "a warning: " + w));
        } else if (cut && !w.getMessage().contains(spent(rows))) {
          tally.error(kind, q + ": the warning does not say " + spent(rows) + ": " + w);
        } else {
          timed(start);
          tally.rowsRead.add(rows);
          if (cut) {
            tally.budgetCuts.increment();
          }
        }
      }
    }
  }

  /** How the budget warning writes what {@code rows} priced rows cost. */
  private static String spent(long rows) {
    long micros = rows * SoakWorld.PRICED_MICROS_PER_ROW;
    return String.format(
        Locale.ROOT, "(%d.%06d USD spent)", micros / 1_000_000, micros % 1_000_000);
  }

  private void loads() throws Exception {
    try (Connection c = world.connect(SoakWorld.PROVIDER_USER);
        Statement s = c.createStatement()) {
      for (long k = 0; running(); k++) {
        String sql;
        long expected;
        if (k % 2 == 0) {
          sql =
              "COPY INTO company_data.feed FROM 'loads/part-"
                  + (k / 2 % SoakWorld.LOAD_FILES)
                  + ".csv' HEADER = TRUE";
          expected = SoakWorld.LOAD_FILE_ROWS;
        } else {
          StringBuilder b = new StringBuilder("INSERT INTO company_data.feed VALUES ");
          expected = 50;
          for (long i = 0; i < expected; i++) {
            long id = 1_000_000_000L + index * 10_000_000L + k * 100 + i;
            b.append(i == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "(%d, '%s', %d.00, 'n%d')", id, "eu", i, id));
          }
          sql = b.toString();
        }
        long start = System.nanoTime();
        try {
          int n = s.executeUpdate(sql);
          if (n != expected) {
            tally.error(kind, "a load of " + expected + " rows reported " + n);
          } else {
            timed(start);
          }
          tally.feedRowsLoaded.addAndGet(n);
        } catch (SQLException e) {
          tally.error(kind, describe(e));
        }
        pause(1_000);
      }
    }
  }

  private void refreshes() throws Exception {
    int view = index / 8; // refresh clients are 7, 15, 23, …: views 0, 1, 2, …
    int owner = view % 2;
    int expected = SoakWorld.viewRows(view);
    try (Connection c = world.connect(SoakWorld.buyerUser(owner));
        Statement s = c.createStatement()) {
      while (running()) {
        long start = System.nanoTime();
        try {
          int n = s.executeUpdate("REFRESH MATERIALIZED VIEW \"" + SoakWorld.view(view) + "\"");
          SQLWarning w = s.getWarnings();
          tally.charged(owner, n);
          boolean cut = expected < SoakWorld.VIEW_ROWS;
          if (n != expected) {
            tally.error(kind, SoakWorld.view(view) + ": " + n + " rows, expected " + expected);
          } else if (cut != (w != null && "01N01".equals(w.getSQLState()))) {
            tally.error(kind, SoakWorld.view(view) + ": warning " + w + ", cut " + cut);
          } else {
            timed(start);
            if (cut) {
              tally.budgetCuts.increment();
            }
          }
        } catch (SQLException e) {
          tally.error(kind, describe(e));
        }
        pause(2_000);
      }
    }
  }

  private void pause(long millis) throws InterruptedException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    Thread.sleep(Math.max(0, Math.min(millis, left)));
  }

  /** SQLSTATE and message of an error, on one line. */
  static String describe(Throwable t) {
    String state = t instanceof SQLException e ? e.getSQLState() + " " : "";
    return state
        + t.getClass().getSimpleName()
        + ": "
        + String.valueOf(t.getMessage()).lines().findFirst().orElse("");
  }
}
