package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.assertj.core.api.ThrowableAssert;

/** Helpers for tests of the Flight SQL endpoint through Arrow's own {@link FlightSqlClient}. */
final class FlightClients {
  private FlightClients() {}

  /** A logged-in client: its Flight SQL client and the bearer token option of its calls. */
  record Login(FlightClient flight, FlightSqlClient sql, CallOption auth) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      sql.close();
    }
  }

  /** A prepared statement closed with its owner's credentials. */
  record Prepared(FlightSqlClient.PreparedStatement ps, CallOption auth) implements AutoCloseable {
    @Override
    public void close() {
      ps.close(auth);
    }
  }

  static Prepared prepare(Login login, String sql) {
    return new Prepared(login.sql().prepare(sql, login.auth()), login.auth());
  }

  static FlightClient client(BufferAllocator allocator, int port) {
    return FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build();
  }

  static Login login(BufferAllocator allocator, int port, String user, String password) {
    FlightClient flight = client(allocator, port);
    CredentialCallOption auth =
        flight
            .authenticateBasicToken(user, password)
            .orElseThrow(() -> new AssertionError("no bearer token for " + user));
    return new Login(flight, new FlightSqlClient(flight), auth);
  }

  /** The rows of every endpoint of a FlightInfo as text, plus the last app metadata seen. */
  record Read(
      List<String> rows, String metadata, org.apache.arrow.vector.types.pojo.Schema schema) {}

  static Read read(FlightSqlClient sql, FlightInfo info, CallOption... options) throws Exception {
    List<String> rows = new ArrayList<>();
    String metadata = null;
    org.apache.arrow.vector.types.pojo.Schema schema = null;
    try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), options)) {
      schema = stream.getSchema();
      while (stream.next()) {
        VectorSchemaRoot root = stream.getRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<String> cells = new ArrayList<>();
          for (FieldVector v : root.getFieldVectors()) {
            Object o = v.getObject(r);
            cells.add(o instanceof byte[] b ? hex(b) : String.valueOf(o));
          }
          rows.add(String.join("|", cells));
        }
        ArrowBuf m = stream.getLatestMetadata();
        if (m != null) {
          byte[] bytes = new byte[(int) m.readableBytes()];
          m.getBytes(0, bytes);
          metadata = new String(bytes, StandardCharsets.UTF_8);
        }
      }
    }
    return new Read(rows, metadata, schema);
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  /** Asserts the call fails with the status code and, when given, the SQLSTATE trailer. */
  static FlightRuntimeException fails(
      ThrowableAssert.ThrowingCallable call, FlightStatusCode code, String sqlState) {
    try {
      call.call();
    } catch (FlightRuntimeException e) {
      assertThat(e.status().code()).as(e.getMessage()).isEqualTo(code);
      if (sqlState != null) {
        assertThat(e.status().metadata().get("x-nql-sqlstate")).isEqualTo(sqlState);
        assertThat(e.status().description()).startsWith(sqlState + ": ");
      }
      assertThat(String.valueOf(e.status().description()))
          .doesNotContain("Exception")
          .doesNotContain("\tat ")
          .doesNotContain("io.nql.");
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a Flight " + code + " error, got " + t, t);
    }
    throw new AssertionError("expected a Flight " + code + " error, but the call succeeded");
  }
}
