package io.nql.planner.plane.spark;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.net.URI;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.apache.spark.connect.proto.UserContext;

/**
 * A connection to a Spark Connect server: one gRPC channel and one Spark session, in which {@link
 * #query} runs SQL statements and streams their rows back as Arrow record batches. Thread-safe;
 * queries may run concurrently.
 *
 * <p>Each query is an {@code ExecutePlan} call whose plan is a single {@code SQL} relation; the
 * server answers with a stream of responses, some of which carry an Arrow IPC stream ({@code
 * arrow_batch}), which {@link SparkQuery} decodes with Arrow Java. Closing a query before its end
 * cancels the call, which makes the server interrupt the statement.
 */
public final class SparkConnectClient implements AutoCloseable {
  /** Spark Connect's default port. */
  public static final int DEFAULT_PORT = 15002;

  /** Largest response accepted: Spark's own server-side default for a message. */
  private static final int MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

  private static final String CLIENT_TYPE = "nql-gateway";

  private final String address;
  private final ManagedChannel channel;
  private final SparkConnectServiceGrpc.SparkConnectServiceBlockingStub stub;
  private final String sessionId = UUID.randomUUID().toString();
  private final UserContext user;

  private SparkConnectClient(String host, int port, String userId) {
    this.address = host + ":" + port;
    this.channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .build();
    this.stub = SparkConnectServiceGrpc.newBlockingStub(channel);
    this.user = UserContext.newBuilder().setUserId(userId).setUserName(userId).build();
  }

  /**
   * Connects to the server at {@code url}, {@code sc://host[:port]} (Spark Connect's URL form;
   * parameters after the path are ignored), as {@code userId}. The channel connects lazily: an
   * unreachable server fails the first query.
   *
   * @throws NqlException INVALID_PARAMETER_VALUE for a URL of another form
   */
  public static SparkConnectClient connect(String url, String userId) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(userId, "userId");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || !"sc".equals(uri.getScheme()) || uri.getHost() == null) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot connect to Spark plane %s: the URL must be sc://host[:port]",
          url);
    }
    return new SparkConnectClient(
        uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), userId);
  }

  /** {@code host:port} of the server. */
  public String address() {
    return address;
  }

  /**
   * Starts running {@code sql} (one Spark SQL statement) in this client's session and returns its
   * result, to be read batch by batch and closed by the caller. Nothing is charged or filtered
   * here: the statement is run as given.
   */
  public SparkQuery query(String sql, BufferAllocator allocator) {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(allocator, "allocator");
    ExecutePlanRequest request =
        ExecutePlanRequest.newBuilder()
            .setSessionId(sessionId)
            .setUserContext(user)
            .setClientType(CLIENT_TYPE)
            .setOperationId(UUID.randomUUID().toString())
            .setPlan(
                Plan.newBuilder()
                    .setRoot(Relation.newBuilder().setSql(SQL.newBuilder().setQuery(sql))))
            .build();
    return SparkQuery.start(address, stub, request, allocator);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
