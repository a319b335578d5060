package io.nql.planner.plane.spark;

import io.grpc.Context;
import io.grpc.Status;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result of one statement on a Spark Connect server, read one Arrow record batch at a time:
 * {@link #loadNextBatch} fills {@link #root} with the next batch of at least one row, which stays
 * valid until the next call or {@link #close}. Not thread-safe.
 *
 * <p>Each {@code arrow_batch} response holds a whole Arrow IPC stream (schema, then one or more
 * batches); a result without rows still brings one such stream (with an empty batch), so {@link
 * #root} has the result's schema and no rows once {@link #loadNextBatch} has returned false.
 *
 * <p>Errors name the server and Spark's error class only: Spark's own message may quote values of
 * the rows it read, and it goes to the log instead.
 */
public final class SparkQuery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SparkQuery.class);
  private static final Pattern ERROR_CLASS = Pattern.compile("^\\[([A-Z0-9_.]+)\\]");

  private final String address;
  private final Context.CancellableContext context;
  private final Iterator<ExecutePlanResponse> responses;
  private final BufferAllocator allocator;
  private ArrowStreamReader reader;
  private long rows;
  private boolean done;

  private SparkQuery(
      String address,
      Context.CancellableContext context,
      Iterator<ExecutePlanResponse> responses,
      BufferAllocator allocator) {
    this.address = address;
    this.context = context;
    this.responses = responses;
    this.allocator = allocator;
  }

  static SparkQuery start(
      String address,
      SparkConnectServiceGrpc.SparkConnectServiceBlockingStub stub,
      ExecutePlanRequest request,
      BufferAllocator allocator) {
    Context.CancellableContext context = Context.current().withCancellation();
    Iterator<ExecutePlanResponse> responses;
    try {
      // The call belongs to the context it starts in: cancelling the context cancels the call.
      responses = context.call(() -> stub.executePlan(request));
    } catch (Exception e) {
      context.cancel(null);
      throw failure(address, e);
    }
    return new SparkQuery(address, context, responses, allocator);
  }

  /**
   * Loads the next record batch into {@link #root}.
   *
   * @return false at the end of the result
   * @throws NqlException EXTERNAL_CONNECTION_FAILED when the server cannot be reached,
   *     EXTERNAL_SOURCE_ERROR when it reports an error
   */
  public boolean loadNextBatch() {
    if (done) {
      return false;
    }
    try {
      while (true) {
        if (reader != null && reader.loadNextBatch()) {
          int count = reader.getVectorSchemaRoot().getRowCount();
          if (count == 0) {
            continue; // Spark sends an empty batch for an empty result
          }
          rows += count;
          return true;
        }
        ExecutePlanResponse response = nextArrowResponse();
        if (response == null) {
          done = true;
          if (reader != null) {
            reader.getVectorSchemaRoot().setRowCount(0);
          }
          return false;
        }
        ArrowStreamReader next =
            new ArrowStreamReader(response.getArrowBatch().getData().newInput(), allocator);
        try {
          // Reads the stream's schema now, so that a schema-only stream still gives root() columns.
          next.getVectorSchemaRoot();
        } catch (IOException | RuntimeException e) {
          next.close();
          throw e;
        }
        if (reader != null) {
          reader.close();
        }
        reader = next;
      }
    } catch (IOException e) {
      close();
      throw NqlException.of(
          ErrorCode.EXTERNAL_SOURCE_ERROR,
          "Cannot read the result of Spark plane %s: its Arrow data is malformed",
          address);
    } catch (RuntimeException e) {
      if (e instanceof NqlException) {
        throw e;
      }
      close();
      throw failure(address, e);
    }
  }

  private ExecutePlanResponse nextArrowResponse() {
    while (responses.hasNext()) {
      ExecutePlanResponse response = responses.next();
      if (response.hasArrowBatch()) {
        return response;
      }
    }
    return null;
  }

  /**
   * The current batch; after the end, no rows but the result's columns; null when the server sent
   * no Arrow data at all (a statement without a result).
   */
  public VectorSchemaRoot root() {
    try {
      return reader == null ? null : reader.getVectorSchemaRoot();
    } catch (IOException e) {
      throw new IllegalStateException("the schema was read when the stream was opened", e);
    }
  }

  /** Rows loaded so far. */
  public long rows() {
    return rows;
  }

  /** Releases the current batch and, before the end of the result, cancels the statement. */
  @Override
  public void close() {
    done = true;
    context.cancel(null);
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        LOG.debug("Closing a Spark result's Arrow reader failed", e);
      }
      reader = null;
    }
  }

  private static NqlException failure(String address, Throwable e) {
    Status status = Status.fromThrowable(e);
    if (status.getCode() == Status.Code.UNAVAILABLE
        || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      LOG.warn("Spark plane {} is unreachable: {}", address, status);
      return NqlException.of(
          ErrorCode.EXTERNAL_CONNECTION_FAILED,
          "Cannot run statement on Spark plane %s: it cannot be reached",
          address);
    }
    if (status.getCode() == Status.Code.CANCELLED) {
      return NqlException.of(
          ErrorCode.QUERY_CANCELED, "Statement on Spark plane %s was canceled", address);
    }
    String description = status.getDescription() == null ? "" : status.getDescription();
    LOG.warn("Spark plane {} reported an error: {} {}", address, status.getCode(), description);
    Matcher m = ERROR_CLASS.matcher(description);
    return NqlException.of(
        ErrorCode.EXTERNAL_SOURCE_ERROR,
        "Statement on Spark plane %s failed: %s",
        address,
        m.find() ? m.group(1) : "error " + status.getCode());
  }
}
