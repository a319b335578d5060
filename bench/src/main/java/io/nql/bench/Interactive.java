package io.nql.bench;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The interactive scenarios: point queries over Flight SQL, point queries from many clients at
 * once, and planning times (a kept plan's lookup, and first-time planning) measured in the
 * gateway's own engine.
 */
final class Interactive {
  private Interactive() {}

  /** Many clients' point queries together: every latency, and the wall-clock time they took. */
  record Concurrent(Latencies latencies, long wallNanos, int clients) {
    double queriesPerSecond() {
      return latencies.nanos().length / (wallNanos / 1e9);
    }
  }

  /**
   * {@code clients} connections, each running {@code perClient} prepared point queries at once (ids
   * drawn per client with its own seed), started together.
   */
  static Concurrent concurrentPoints(
      Target target, int clients, int perClient, long totalRows, long seed) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Connection> connections = new ArrayList<>();
      try {
        for (int i = 0; i < clients; i++) {
          connections.add(target.connectAsBuyer());
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Latencies>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          Connection c = connections.get(i);
          long clientSeed = seed + 7919L * i;
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    return points(c, target.pointSql(), perClient, totalRows, clientSeed);
                  }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        List<long[]> all = new ArrayList<>();
        long rows = 0;
        for (Future<Latencies> f : futures) {
          Latencies l = f.get();
          all.add(l.nanos());
          rows += l.rows();
        }
        long wall = System.nanoTime() - t0;
        long[] nanos = all.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        return new Concurrent(new Latencies(nanos, rows), wall, clients);
      } finally {
        for (Connection c : connections) {
          c.close();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Latencies points(Connection c, String sql, int count, long totalRows, long seed)
      throws SQLException {
    SplittableRandom random = new SplittableRandom(seed);
    long[] nanos = new long[count];
    long rows = 0;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < count; i++) {
        ps.setLong(1, 1 + random.nextLong(totalRows));
        long t0 = System.nanoTime();
        try (ResultSet rs = ps.executeQuery()) {
          rows += Scenarios.readPointRows(rs);
        }
        nanos[i] = System.nanoTime() - t0;
      }
    }
    return new Latencies(nanos, rows);
  }

  /**
   * Point queries over Arrow Flight SQL with the Java {@code FlightSqlClient}: one prepared
   * statement, its {@code ?} bound per query from a one-row parameter batch, each result streamed
   * to its end (every value read).
   */
  static Latencies flightPoints(
      int port, String user, String password, String sql, int count, long totalRows, long seed)
      throws Exception {
    return flightPoints(port, user, password, sql, count, totalRows, seed, false);
  }

  /**
   * Point queries over Arrow Flight SQL, prepared ({@code literal} false: the {@code ?} bound by a
   * {@code DoPut} of a one-row parameter batch, then {@code GetFlightInfo} and {@code DoGet}) or
   * plain with the id written into the SQL ({@code GetFlightInfo} and {@code DoGet} only; the
   * gateway's plan cache turns the literal into a parameter). Arrow's Java client busy-waits in
   * {@code DoPut} until the call's stream is ready, which on two cores takes CPU from the gateway;
   * the plain form has no {@code DoPut}.
   */
  static Latencies flightPoints(
      int port,
      String user,
      String password,
      String sql,
      int count,
      long totalRows,
      long seed,
      boolean literal)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    long[] nanos = new long[count];
    long rows = 0;
    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client =
            FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build()) {
      CallOption token =
          client
              .authenticateBasicToken(user, password)
              .orElseThrow(() -> new IllegalStateException("the handshake returned no token"));
      FlightSqlClient flight = new FlightSqlClient(client);
      if (literal) {
        String text = sql.replace("?", "%d");
        for (int i = 0; i < count; i++) {
          long t0 = System.nanoTime();
          FlightInfo info =
              flight.execute(String.format(text, 1 + random.nextLong(totalRows)), token);
          rows += readAll(flight, info, token);
          nanos[i] = System.nanoTime() - t0;
        }
        return new Latencies(nanos, rows);
      }
      FlightSqlClient.PreparedStatement ps = flight.prepare(sql, token);
      try (VectorSchemaRoot params = VectorSchemaRoot.create(ps.getParameterSchema(), allocator)) {
        BigIntVector id = (BigIntVector) params.getVector(0);
        for (int i = 0; i < count; i++) {
          long t0 = System.nanoTime();
          id.setSafe(0, 1 + random.nextLong(totalRows));
          params.setRowCount(1);
          ps.setParameters(params);
          FlightInfo info = ps.execute(token);
          rows += readAll(flight, info, token);
          nanos[i] = System.nanoTime() - t0;
        }
      } finally {
        // closed on the server with the caller's token (close() without it is refused)
        ps.close(token);
      }
    }
    return new Latencies(nanos, rows);
  }

  /** Streams every endpoint of a result, reading every value; returns the rows. */
  private static long readAll(FlightSqlClient flight, FlightInfo info, CallOption token)
      throws Exception {
    long rows = 0;
    for (FlightEndpoint e : info.getEndpoints()) {
      try (FlightStream stream = flight.getStream(e.getTicket(), token)) {
        while (stream.next()) {
          VectorSchemaRoot root = stream.getRoot();
          for (int r = 0; r < root.getRowCount(); r++) {
            for (int c = 0; c < root.getFieldVectors().size(); c++) {
              root.getVector(c).getObject(r);
            }
            rows++;
          }
        }
      }
    }
    return rows;
  }

  /**
   * Planning times of kept plans (hits) and of statements planned the first time (misses), and the
   * whole in-process time of the kept-plan statements (execute and read every row, no front end:
   * what the engine adds to a point query over either protocol).
   */
  record Planning(
      Latencies hits, Latencies misses, Latencies engine, long hitCount, long missCount) {}

  /**
   * Times planning in the gateway's engine, as the executor measures it: {@code count} plain point
   * statements with a new literal each (the first plans, the others use the kept plan) and {@code
   * count} statements of new shapes (a new column alias each: never seen, so planned).
   */
  static Planning planning(
      NqlSession buyer, String pointSql, int count, long totalRows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String literal = pointSql.replace("?", "%d");
    run(buyer, String.format(literal, 1L));
    long[] hits = new long[count];
    long[] engine = new long[count];
    long hitCount = 0;
    long rows = 0;
    for (int i = 0; i < count; i++) {
      String sql = String.format(literal, 1 + random.nextLong(totalRows));
      long t0 = System.nanoTime();
      try (StatementResult r = buyer.execute(sql)) {
        while (r.next() != null) {
          rows++;
        }
        hits[i] = r.planningNanos();
        hitCount += r.planCacheHit() ? 1 : 0;
      }
      engine[i] = System.nanoTime() - t0;
    }
    long[] misses = new long[count];
    long missCount = 0;
    String shape = literal.replaceFirst("SELECT id", "SELECT id AS id_%d");
    long unique = System.nanoTime();
    for (int i = 0; i < count; i++) {
      try (StatementResult r =
          buyer.execute(String.format(shape, unique + i, 1 + random.nextLong(totalRows)))) {
        misses[i] = r.planningNanos();
        missCount += r.planCacheHit() ? 0 : 1;
      }
    }
    return new Planning(
        new Latencies(hits, 0),
        new Latencies(misses, 0),
        new Latencies(engine, rows),
        hitCount,
        missCount);
  }

  private static void run(NqlSession session, String sql) {
    try (StatementResult r = session.execute(sql)) {
      while (r.next() != null) {
        // read to the end
      }
    }
  }
}
