package io.nql.bench.scan;

import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The Java Flight SQL client on its own connection and allocator, with the bearer token from the
 * Basic handshake. Closing it fails when a buffer it received was not released.
 */
final class FlightScan implements ScanClient {
  private final BufferAllocator allocator = new RootAllocator();
  private final FlightClient client;
  private final FlightSqlClient sql;
  private final CallOption token;
  private final String table;
  private final String name;

  FlightScan(int port, String user, String password, String table) {
    this(port, user, password, table, "Flight SQL");
  }

  /** A client that reports its figures as {@code name}. */
  FlightScan(int port, String user, String password, String table, String name) {
    this.table = table;
    this.name = name;
    client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build();
    token =
        client
            .authenticateBasicToken(user, password)
            .orElseThrow(() -> new IllegalStateException("the handshake returned no token"));
    sql = new FlightSqlClient(client);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Answer run(String scenario) throws Exception {
    boolean groups = scenario.equals(ScanQueries.AGGREGATE);
    Checksum c = new Checksum();
    GroupSums g = new GroupSums();
    FlightInfo info = sql.execute(ScanQueries.sql(table, scenario, ""), token);
    for (FlightEndpoint e : info.getEndpoints()) {
      try (FlightStream stream = sql.getStream(e.getTicket(), token)) {
        while (stream.next()) {
          if (groups) {
            GroupReaders.add(stream.getRoot(), g);
          } else {
            Readers.add(stream.getRoot(), c);
          }
        }
      }
    }
    return groups ? g : c;
  }

  @Override
  public void close() throws Exception {
    try {
      sql.close();
    } finally {
      allocator.close();
    }
  }
}
