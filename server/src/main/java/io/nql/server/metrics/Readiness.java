package io.nql.server.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the gateway can serve: its warehouse directory can be read and its metadata store answers
 * a trivial query, within {@link #TIMEOUT}. One check runs at a time, on a thread of its own: a
 * probe that arrives while one runs waits for that one, so a store that hangs holds one thread, not
 * one per probe. The reasons are fixed sentences, never an error's text (which could hold a path or
 * a URL).
 */
final class Readiness implements AutoCloseable {
  /** How long a probe waits for the check. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  static final String STORE = "the metadata store does not answer";
  static final String WAREHOUSE = "the warehouse directory cannot be read";
  static final String STOPPING = "the gateway is stopping";

  private final Runnable storeCheck;
  private final Path warehouse;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "nql-readiness");
            t.setDaemon(true);
            return t;
          });
  private CompletableFuture<Optional<String>> running;
  private volatile boolean stopping;

  /**
   * @param storeCheck runs a trivial query on the metadata store; throws when it does not answer
   * @param warehouse the warehouse directory
   */
  Readiness(Runnable storeCheck, Path warehouse) {
    this.storeCheck = storeCheck;
    this.warehouse = warehouse;
  }

  /** From now on the gateway is not ready: it is draining before it stops. */
  void stopping() {
    stopping = true;
  }

  /** Empty when ready, else why not. */
  Optional<String> check() {
    if (stopping) {
      return Optional.of(STOPPING);
    }
    CompletableFuture<Optional<String>> check;
    synchronized (this) {
      if (running == null || running.isDone()) {
        running = CompletableFuture.supplyAsync(this::probe, thread);
      }
      check = running;
    }
    try {
      return check.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return Optional.of(STORE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(STORE);
    }
  }

  /** The warehouse first: it answers at once, so a timeout means the store. */
  private Optional<String> probe() {
    if (!readable(warehouse)) {
      return Optional.of(WAREHOUSE);
    }
    try {
      storeCheck.run();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(STORE);
    }
  }

  private static boolean readable(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.iterator().hasNext();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
