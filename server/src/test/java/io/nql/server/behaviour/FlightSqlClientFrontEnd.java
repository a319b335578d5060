package io.nql.server.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.server.gateway.Gateway;
import io.nql.server.gateway.GatewayConfig;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BasicAuthCredentialWriter;
import org.apache.arrow.flight.auth2.ClientBearerHeaderHandler;
import org.apache.arrow.flight.auth2.ClientIncomingAuthHeaderMiddleware;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The suite's front end over Arrow's {@link FlightSqlClient}: statements and prepared statements
 * (parameters bound by DoPut in the Arrow types of the Java values, see {@link ArrowValues}),
 * updates, {@code GetTables} for metadata; warnings from the final batch's app metadata; errors
 * from the {@code x-nql-sqlstate} trailer. The session budget travels as the {@code budget_usd}
 * call header, on the handshake and on every call.
 */
final class FlightSqlClientFrontEnd implements FrontEnd {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Gateway gateway;
  private final BufferAllocator allocator = new RootAllocator();

  FlightSqlClientFrontEnd(GatewayConfig config) {
    this.gateway = Gateway.start(config);
  }

  @Override
  public Gateway gateway() {
    return gateway;
  }

  @Override
  public String name() {
    return "FlightSqlClient";
  }

  @Override
  public Client open(String user, String password, Map<String, String> properties) throws Failure {
    CallHeaders headers = new FlightCallHeaders();
    properties.forEach(headers::insert);
    HeaderCallOption sessionHeaders = new HeaderCallOption(headers);
    ClientIncomingAuthHeaderMiddleware.Factory bearer =
        new ClientIncomingAuthHeaderMiddleware.Factory(new ClientBearerHeaderHandler());
    BufferAllocator clientMemory = allocator.newChildAllocator(user, 0, Long.MAX_VALUE);
    FlightClient flight =
        FlightClient.builder(
                clientMemory, Location.forGrpcInsecure("127.0.0.1", gateway.flightPort()))
            .intercept(bearer)
            .build();
    try {
      flight.handshake(
          new CredentialCallOption(new BasicAuthCredentialWriter(user, password)), sessionHeaders);
      CallOption[] options = {bearer.getCredentialCallOption(), sessionHeaders};
      return new FlightSqlClientSession(clientMemory, flight, options);
    } catch (FlightRuntimeException e) {
      closeQuietly(flight, clientMemory);
      throw failure(e);
    }
  }

  private static void closeQuietly(FlightClient flight, BufferAllocator memory) {
    try {
      flight.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    memory.close();
  }

  /** Stops the gateway; fails when a stream or a buffer outlived its statement. */
  @Override
  public void close() throws Exception {
    try {
      awaitNoLeaks(gateway);
    } finally {
      gateway.close();
      allocator.close();
    }
  }

  /** Waits for running Flight statements to end; fails when any or any Arrow memory remains. */
  static void awaitNoLeaks(Gateway gateway) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while ((gateway.flightOpenStatements() > 0 || gateway.flightAllocatedBytes() > 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (gateway.flightAllocatedBytes() != 0 || gateway.flightOpenStatements() != 0) {
      throw new IllegalStateException(
          "Flight statements leaked: "
              + gateway.flightOpenStatements()
              + " open, "
              + gateway.flightAllocatedBytes()
              + " bytes");
    }
  }

  /** A Flight error as the suite sees it: the SQLSTATE of the trailer, the message after it. */
  static Failure failure(FlightRuntimeException e) {
    String description = e.status().description();
    String state =
        e.status().metadata() == null ? null : e.status().metadata().get("x-nql-sqlstate");
    if (state == null) {
      state =
          switch (e.status().code()) {
            case UNAUTHENTICATED -> "28000";
            case CANCELLED, TIMED_OUT -> "57014";
            default -> "XX000";
          };
    }
    String message =
        description == null || description.isEmpty() ? e.status().code().name() : description;
    if (message.startsWith(state + ": ")) {
      message = message.substring(state.length() + 2);
    }
    return new Failure(state, message, e);
  }

  /** Reads every batch of the first endpoint: values, then the warnings of the final metadata. */
  static Answer read(FlightSqlClient sql, FlightInfo info, CallOption... options) {
    List<List<Object>> rows = new ArrayList<>();
    List<Map.Entry<String, String>> warnings = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), options)) {
      for (Field f : stream.getSchema().getFields()) {
        names.add(f.getName());
        types.add(ArrowValues.jdbcTypeName(f.getType()));
      }
      while (stream.next()) {
        VectorSchemaRoot root = stream.getRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<Object> row = new ArrayList<>();
          for (FieldVector v : root.getFieldVectors()) {
            row.add(ArrowValues.read(v, r));
          }
          rows.add(row);
        }
        ArrowBuf m = stream.getLatestMetadata();
        if (m != null && m.readableBytes() > 0) {
          warnings = warnings(m);
        }
      }
    } catch (FlightRuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new Answer(names, types, rows, warnings);
  }

  private static List<Map.Entry<String, String>> warnings(ArrowBuf m) throws IOException {
    byte[] bytes = new byte[(int) m.readableBytes()];
    m.getBytes(0, bytes);
    JsonNode json = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (JsonNode w : json.path("warnings")) {
      out.add(Map.entry(w.get("sqlstate").asText(), w.get("message").asText()));
    }
    return out;
  }

  private static final class FlightSqlClientSession implements Client {
    private final BufferAllocator memory;
    private final FlightClient flight;
    private final FlightSqlClient sql;
    private final CallOption[] options;

    FlightSqlClientSession(BufferAllocator memory, FlightClient flight, CallOption[] options) {
      this.memory = memory;
      this.flight = flight;
      this.sql = new FlightSqlClient(flight);
      this.options = options;
    }

    @Override
    public Answer query(String query) throws Failure {
      try {
        return read(sql, sql.execute(query, options), options);
      } catch (FlightRuntimeException e) {
        throw failure(e);
      }
    }

    @Override
    public Prepared prepare(String query) throws Failure {
      try {
        return new FlightPrepared(memory, sql, sql.prepare(query, options), options);
      } catch (FlightRuntimeException e) {
        throw failure(e);
      }
    }

    @Override
    public long update(String statement) throws Failure {
      try {
        return sql.executeUpdate(statement, options);
      } catch (FlightRuntimeException e) {
        throw failure(e);
      }
    }

    @Override
    public List<String> tables(String schema) throws Failure {
      List<String> out = new ArrayList<>();
      forEachTable(
          schema,
          "%",
          false,
          (root, r) ->
              out.add(
                  text(root.getVector("db_schema_name"), r)
                      + "."
                      + text(root.getVector("table_name"), r)));
      out.sort(null);
      return out;
    }

    @Override
    public List<String> columns(String schema, String table) throws Failure {
      List<String> out = new ArrayList<>();
      forEachTable(
          schema,
          table,
          true,
          (root, r) -> {
            byte[] bytes = ((VarBinaryVector) root.getVector("table_schema")).get(r);
            try {
              Schema s =
                  MessageSerializer.deserializeSchema(
                      new ReadChannel(
                          Channels.newChannel(new java.io.ByteArrayInputStream(bytes))));
              for (Field f : s.getFields()) {
                out.add(f.getName() + ":" + ArrowValues.jdbcTypeName(f.getType()));
              }
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          });
      return out;
    }

    private interface RowVisitor {
      void visit(VectorSchemaRoot root, int row);
    }

    private void forEachTable(String schema, String table, boolean includeSchema, RowVisitor v)
        throws Failure {
      try {
        FlightInfo info = sql.getTables(null, schema, table, null, includeSchema, options);
        try (FlightStream stream = sql.getStream(info.getEndpoints().get(0).getTicket(), options)) {
          while (stream.next()) {
            VectorSchemaRoot root = stream.getRoot();
            for (int r = 0; r < root.getRowCount(); r++) {
              v.visit(root, r);
            }
          }
        }
      } catch (FlightRuntimeException e) {
        throw failure(e);
      } catch (Failure e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private static String text(FieldVector v, int r) {
      return new String(((VarCharVector) v).get(r), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Failure {
      try {
        sql.close();
      } catch (Exception e) {
        throw new Failure("XX000", "Cannot close the client: " + e.getMessage(), e);
      } finally {
        memory.close();
      }
    }
  }

  private static final class FlightPrepared implements Prepared {
    private final BufferAllocator memory;
    private final FlightSqlClient sql;
    private final FlightSqlClient.PreparedStatement ps;
    private final CallOption[] options;

    FlightPrepared(
        BufferAllocator memory,
        FlightSqlClient sql,
        FlightSqlClient.PreparedStatement ps,
        CallOption[] options) {
      this.memory = memory;
      this.sql = sql;
      this.ps = ps;
      this.options = options;
    }

    @Override
    public List<String> columns() throws Failure {
      try {
        List<String> out = new ArrayList<>();
        for (Field f : ps.getResultSetSchema().getFields()) {
          out.add(f.getName() + ":" + ArrowValues.jdbcTypeName(f.getType()));
        }
        return out;
      } catch (FlightRuntimeException e) {
        throw failure(e);
      }
    }

    @Override
    public Answer execute(List<Object> parameters) throws Failure {
      try (VectorSchemaRoot root = ArrowValues.parameterRow(memory, parameters)) {
        ps.setParameters(root);
        try {
          return read(sql, ps.execute(options), options);
        } finally {
          ps.clearParameters();
        }
      } catch (FlightRuntimeException e) {
        throw failure(e);
      }
    }

    @Override
    public void close() throws Failure {
      try {
        ps.close(options);
      } catch (FlightRuntimeException e) {
        throw failure(e);
      }
    }
  }
}
