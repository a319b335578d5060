package io.nql.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nql.planner.engine.FinishedStatement;
import io.nql.planner.engine.Settlement;
import io.nql.planner.engine.StatementListener;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The statement and ledger meters, fed by the engine's {@link StatementListener}. Every label has a
 * bounded set of values: front ends and outcomes are enums, a SQLSTATE is cut to its two-character
 * class, and provider companies are labelled by their numeric id, the first {@value #MAX_PROVIDERS}
 * seen each on its own and the rest as {@code other}. No statement text, user, rule or other name a
 * user chose is ever a label.
 */
public final class StatementMeters implements StatementListener {
  /** Most provider companies labelled by id; later ones count as {@code other}. */
  static final int MAX_PROVIDERS = 50;

  /** Histogram buckets of the latency timers, from 1 ms to 5 minutes. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofMinutes(5)
  };

  private final MeterRegistry registry;
  private final Counter charged;
  private final Counter rowsBought;
  private final Counter budgetCuts;
  private final Map<Long, String> providers = new ConcurrentHashMap<>();

  public StatementMeters(MeterRegistry registry) {
    this.registry = registry;
    this.charged =
        Counter.builder("nql.ledger.charged")
            .baseUnit("microusd")
            .description("Amount charged to buyers in the ledger, in micro-USD")
            .register(registry);
    this.rowsBought =
        Counter.builder("nql.ledger.rows.bought")
            .description("Rows delivered through priced access rules of other companies")
            .register(registry);
    this.budgetCuts =
        Counter.builder("nql.budget.cuts")
            .description("Queries whose delivery a budget stopped early")
            .register(registry);
  }

  @Override
  public void finished(FinishedStatement s) {
    String frontEnd = s.frontEnd().label();
    String outcome = s.outcome().name().toLowerCase(Locale.ROOT);
    Counter.builder("nql.statements")
        .description("Statements ended, by front end, outcome and SQLSTATE class")
        .tag("frontend", frontEnd)
        .tag("status", outcome)
        .tag("sqlstate_class", sqlStateClass(s.sqlState()))
        .register(registry)
        .increment();
    timer("nql.statement.duration", "From a statement's start to its end", frontEnd, outcome)
        .record(s.totalNanos(), TimeUnit.NANOSECONDS);
    timer("nql.statement.execution", "A statement's time after planning", frontEnd, outcome)
        .record(s.executionNanos(), TimeUnit.NANOSECONDS);
    if (s.planningNanos() >= 0) {
      timer("nql.statement.planning", "Planning a query, or finding its kept plan", frontEnd, null)
          .record(s.planningNanos(), TimeUnit.NANOSECONDS);
    }
    if (s.firstRowNanos() >= 0) {
      timer("nql.statement.first.row", "From a query's start to its first row", frontEnd, null)
          .record(s.firstRowNanos(), TimeUnit.NANOSECONDS);
    }
    if (s.rows() > 0) {
      Counter.builder("nql.result.rows")
          .description("Rows handed to clients in query results")
          .tag("frontend", frontEnd)
          .register(registry)
          .increment(s.rows());
    }
  }

  @Override
  public void settled(Settlement s) {
    charged.increment(s.micros());
    rowsBought.increment(s.rowsBought());
    if (s.budgetCut()) {
      budgetCuts.increment();
    }
    s.microsByProvider()
        .forEach(
            (company, micros) ->
                Counter.builder("nql.ledger.provider.charged")
                    .baseUnit("microusd")
                    .description("Amount charged for the rules of a provider company, by its id")
                    .tag("provider_company", provider(company))
                    .register(registry)
                    .increment(micros));
  }

  private Timer timer(String name, String description, String frontEnd, String outcome) {
    Timer.Builder b =
        Timer.builder(name)
            .description(description)
            .serviceLevelObjectives(BUCKETS)
            .tag("frontend", frontEnd);
    if (outcome != null) {
      b.tag("status", outcome);
    }
    return b.register(registry);
  }

  /** The label of a provider company: its id while fewer than the bound have one, else other. */
  private String provider(long companyId) {
    String known = providers.get(companyId);
    if (known != null) {
      return known;
    }
    synchronized (providers) {
      if (providers.size() < MAX_PROVIDERS) {
        return providers.computeIfAbsent(companyId, String::valueOf);
      }
    }
    return "other";
  }

  /**
   * The class of a SQLSTATE: its first two characters, {@code 00} for success, {@code XX} for
   * anything that is not a SQLSTATE.
   */
  static String sqlStateClass(String sqlState) {
    if (sqlState == null) {
      return "00";
    }
    if (sqlState.length() == 5
        && sqlState.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
      return sqlState.substring(0, 2).toUpperCase(Locale.ROOT);
    }
    return "XX";
  }
}
