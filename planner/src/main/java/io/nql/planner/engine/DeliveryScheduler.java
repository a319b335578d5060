package io.nql.planner.engine;

import io.nql.planner.store.WebhookDeliveries;
import io.nql.planner.store.WebhookDeliveries.Delivery;
import io.nql.planner.webhook.WebhookSender;
import io.nql.planner.webhook.WebhookSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers materialized views' new rows to their webhooks: every interval it asks the metadata
 * store for the deliveries with something to send (a finished run not yet delivered, or a batch
 * whose retry wait is over), claims each and sends its batches (see {@link DeliveryWorker}), one
 * delivery after the other. Runs apart from the views' runs: a slow or failing receiver never holds
 * up or fails a run, and a run never waits for its delivery.
 *
 * <p>Gateways sharing a PostgreSQL store share the deliveries: a delivery is worked on only by the
 * gateway that holds its claim, a lease renewed with each attempt, so two gateways never post
 * batches of one delivery at once; a gateway that stops leaves its claim to expire, then another
 * (or itself, restarted) resumes at the first batch not recorded as delivered.
 */
public final class DeliveryScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("gateway");

  /** Most deliveries one pass works on; the rest wait for the next pass. */
  private static final int PER_PASS = 100;

  private final NqlEngine engine;
  private final WebhookSettings settings;
  private final WebhookSender sender;
  private final ScheduledExecutorService timer;
  private final DeliveryWorker worker;

  /** This scheduler's name in claims: unique, so that a restarted gateway is another claimant. */
  private final String claimant = UUID.randomUUID().toString();

  private volatile boolean closing;

  private DeliveryScheduler(
      NqlEngine engine, WebhookSettings settings, ScheduledExecutorService timer) {
    this.engine = engine;
    this.settings = settings;
    this.sender = new WebhookSender(settings);
    this.timer = timer;
    this.worker = new DeliveryWorker(engine, sender, settings, claimant, () -> closing);
  }

  /** A scheduler that runs a pass every {@code interval}, on a thread of its own. */
  public static DeliveryScheduler start(NqlEngine engine, Duration interval) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nql-delivery-scheduler");
              t.setDaemon(true);
              return t;
            });
    DeliveryScheduler scheduler = new DeliveryScheduler(engine, WebhookSettings.DEFAULT, timer);
    long millis = Math.max(1, interval.toMillis());
    timer.scheduleWithFixedDelay(scheduler::passQuietly, millis, millis, TimeUnit.MILLISECONDS);
    return scheduler;
  }

  /** A scheduler without a timer: {@link #pass} runs when called (tests). */
  static DeliveryScheduler manual(NqlEngine engine, WebhookSettings settings) {
    return new DeliveryScheduler(engine, settings, null);
  }

  private void passQuietly() {
    try {
      pass();
    } catch (RuntimeException e) {
      LOG.error("event=delivery_scheduler_failed", e);
    }
  }

  /** Works on every delivery due now; how many batches were delivered. */
  public int pass() {
    WebhookDeliveries store = engine.store().webhookDeliveries();
    int delivered = 0;
    for (Delivery due : store.due(engine.clock().instant(), PER_PASS)) {
      if (closing) {
        break;
      }
      Instant now = engine.clock().instant();
      Optional<Delivery> claimed = store.claim(due.id(), claimant, now, now.plus(settings.lease()));
      if (claimed.isEmpty()) {
        continue; // another gateway works on it
      }
      try {
        delivered += worker.work(claimed.get());
      } catch (RuntimeException e) {
        LOG.error("event=delivery_failed delivery={} company={}", due.name(), due.companyId(), e);
      } finally {
        try {
          store.release(due.id(), claimant);
        } catch (RuntimeException e) {
          LOG.warn("event=delivery_release_failed delivery={}", due.name(), e); // the lease ends
        }
      }
    }
    return delivered;
  }

  /**
   * Stops: no pass starts any more and a delivery in progress stops after its current request
   * (waits up to that request's timeouts).
   */
  @Override
  public void close() {
    closing = true;
    if (timer != null) {
      timer.shutdown();
      try {
        timer.awaitTermination(
            settings.connectTimeout().plus(settings.responseTimeout()).toMillis() + 1000,
            TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer.shutdownNow();
    }
    sender.close();
  }
}
