package io.nql.flight;

import io.nql.planner.error.NqlException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a deferred query and streams an execution's rows to a DoGet as bounded record batches,
 * on a thread of its own so the gRPC call's callbacks (ready, cancelled) keep flowing. Each batch
 * waits until the client can take it (backpressure: a slow reader holds one batch on the server,
 * not the result). Arrow memory comes from a child allocator of the statement with a hard limit;
 * whatever happens (end, failure, cancel, client gone) the result, its session and the allocator
 * are closed.
 */
final class ResultStreamer {
  private static final Logger LOG = LoggerFactory.getLogger(ResultStreamer.class);

  private final BufferAllocator root;
  private final long memoryLimit;
  private final int batchRows;
  private final Registry registry;
  private final ExecutorService threads;
  private final Traffic traffic;

  ResultStreamer(
      BufferAllocator root,
      long memoryLimit,
      int batchRows,
      Registry registry,
      ExecutorService threads,
      Traffic traffic) {
    this.traffic = traffic;
    this.root = root;
    this.memoryLimit = memoryLimit;
    this.batchRows = batchRows;
    this.registry = registry;
    this.threads = threads;
  }

  /** Starts streaming; returns at once. */
  void start(Execution execution, ServerStreamListener listener) {
    Ready ready = new Ready(listener);
    listener.setOnReadyHandler(ready::signal);
    listener.setOnCancelHandler(
        () -> {
          execution.cancel();
          ready.signal();
        });
    threads.execute(() -> run(execution, listener, ready));
  }

  private void run(Execution execution, ServerStreamListener listener, Ready ready) {
    BufferAllocator allocator = null;
    traffic.streamStarted();
    try {
      execution.start();
      allocator = root.newChildAllocator("statement-" + execution.handle.id(), 0, memoryLimit);
      stream(execution, listener, ready, allocator);
    } catch (Throwable t) {
      if (!listener.isCancelled()) {
        try {
          listener.error(error(t, execution));
        } catch (RuntimeException ignored) {
          // the call is already gone
        }
      }
    } finally {
      traffic.streamEnded();
      registry.finish(execution);
      if (allocator != null) {
        close(allocator);
      }
    }
  }

  private void stream(
      Execution execution, ServerStreamListener listener, Ready ready, BufferAllocator allocator)
      throws Exception {
    long rows = 0;
    try (ArrowReader first = execution.current().arrow(allocator, batchRows)) {
      VectorSchemaRoot out = first.getVectorSchemaRoot();
      listener.start(out);
      while (first.loadNextBatch()) {
        rows += out.getRowCount();
        send(listener, ready, null);
      }
      VectorLoader loader = new VectorLoader(out);
      while (execution.advance()) {
        try (ArrowReader next = execution.current().arrow(allocator, batchRows)) {
          while (next.loadNextBatch()) {
            try (ArrowRecordBatch batch =
                new VectorUnloader(next.getVectorSchemaRoot()).getRecordBatch()) {
              loader.load(batch);
            }
            rows += out.getRowCount();
            send(listener, ready, null);
          }
        }
      }
      out.setRowCount(0);
      byte[] json =
          ResultMetadata.json(
              execution.current().statementId(), rows, execution.charge(), execution.warnings());
      ArrowBuf metadata = allocator.buffer(json.length);
      metadata.writeBytes(json);
      send(listener, ready, metadata);
      listener.completed();
    }
  }

  /** Sends the root's batch once the client can take it; the metadata buffer is handed over. */
  private void send(ServerStreamListener listener, Ready ready, ArrowBuf metadata) {
    try {
      ready.await();
    } catch (RuntimeException e) {
      if (metadata != null) {
        metadata.close();
      }
      throw e;
    }
    listener.putNext(metadata);
  }

  private FlightRuntimeException error(Throwable t, Execution execution) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryException) {
        return FlightErrors.status(
            FlightErrors.OUT_OF_MEMORY,
            "Cannot deliver the result of statement "
                + (execution.current() == null ? "" : execution.current().statementId())
                + ": it needs more than the per-statement memory limit of "
                + memoryLimit
                + " bytes");
      }
      if (c instanceof NqlException || c instanceof FlightRuntimeException) {
        return execution.deadline().error(c);
      }
    }
    return FlightErrors.of(t);
  }

  private static void close(BufferAllocator allocator) {
    try {
      allocator.close();
    } catch (IllegalStateException e) {
      // Outstanding buffers or a child allocator still open; the reason says which.
      LOG.error(
          "event=flight_statement_leak allocator={} bytes={} reason={}",
          allocator.getName(),
          allocator.getAllocatedMemory(),
          e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** Waits until the client can take a batch; fails when the call was cancelled. */
  private static final class Ready {
    private final ServerStreamListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    Ready(ServerStreamListener listener) {
      this.listener = listener;
    }

    void signal() {
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void await() {
      lock.lock();
      try {
        while (!listener.isReady()) {
          if (listener.isCancelled()) {
            throw FlightErrors.status("57014", "The client cancelled the stream");
          }
          // The timeout only guards against a missed signal.
          changed.await(100, TimeUnit.MILLISECONDS);
        }
        if (listener.isCancelled()) {
          throw FlightErrors.status("57014", "The client cancelled the stream");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw FlightErrors.status("57014", "The stream was interrupted");
      } finally {
        lock.unlock();
      }
    }
  }
}
