package io.nql.planner.policy.harness;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a buyer observes of one statement: result columns (name and type), rows (in order when
 * the statement orders them totally, else as a multiset), the error (SQLSTATE and message) if it
 * failed, warnings (SQLSTATE and message), the statement's charge as the engine reports it (null
 * through a front end, which has no such call), and the statement's ledger entries (rule, version,
 * rows, micro-USD, status; statement ids and times left out).
 */
public record Observation(
    List<String> columns,
    List<String> rows,
    boolean ordered,
    String error,
    List<String> warnings,
    String charge,
    List<String> ledger) {

  /** One observable, for comparing and reporting. */
  public enum Aspect {
    COLUMNS,
    ROWS,
    ERROR,
    WARNINGS,
    CHARGE,
    LEDGER
  }

  /** Rows kept per observation; a statement returning more is cut here in both worlds alike. */
  public static final int MAX_ROWS = 20_000;

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static final Pattern INSTANT =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z");

  private static final Pattern FILE_PATH = Pattern.compile("(\"path\":\")[^\"]*\"");

  /** A message without what differs between any two runs (statement ids). */
  public static String normalize(String message) {
    return message == null ? null : UUID.matcher(message).replaceAll("<statement-id>");
  }

  /**
   * One row as text: {@link io.nql.planner.testing.CanonicalRows#canonical} per value, times as
   * {@code <time>} (they differ between runs, e.g. in SHOW DATASETS and in a forecast's freshness;
   * no generated column holds a time).
   */
  public static String row(Iterable<?> values) {
    StringBuilder sb = new StringBuilder();
    for (Object v : values) {
      boolean time =
          v instanceof java.time.LocalDateTime
              || v instanceof java.time.OffsetDateTime
              || v instanceof java.sql.Timestamp
              || v instanceof java.time.Instant;
      String text = time ? "<time>" : io.nql.planner.testing.CanonicalRows.canonical(v);
      // a forecast in JSON carries its freshness as an ISO instant
      // and the paths of the buyer's own data files (random names, different in every world)
      sb.append(
          v instanceof String
              ? FILE_PATH
                  .matcher(INSTANT.matcher(text).replaceAll("<time>"))
                  .replaceAll("$1<path>\"")
              : text);
      sb.append(" | ");
    }
    return sb.toString();
  }

  /** The rows as they are compared: as returned when ordered, else sorted. */
  public List<String> comparableRows() {
    if (ordered) {
      return rows;
    }
    List<String> sorted = new ArrayList<>(rows);
    sorted.sort(null);
    return sorted;
  }

  /** The aspects (of {@code compared}) in which this observation and {@code other} differ. */
  public Set<Aspect> differences(Observation other, Set<Aspect> compared) {
    Set<Aspect> out = EnumSet.noneOf(Aspect.class);
    for (Aspect a : compared) {
      boolean same =
          switch (a) {
            case COLUMNS -> columns.equals(other.columns);
            case ROWS -> comparableRows().equals(other.comparableRows());
            case ERROR -> Objects.equals(error, other.error);
            case WARNINGS -> warnings.equals(other.warnings);
            case CHARGE -> charge == null || other.charge == null || charge.equals(other.charge);
            case LEDGER -> ledger.equals(other.ledger);
          };
      if (!same) {
        out.add(a);
      }
    }
    return out;
  }

  /** The observation for a report: the first rows only. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("columns ").append(columns).append('\n');
    sb.append("      rows (").append(rows.size()).append(ordered ? ", ordered" : "").append(")");
    List<String> shown = comparableRows();
    for (int i = 0; i < Math.min(shown.size(), 8); i++) {
      sb.append("\n        ").append(shown.get(i));
    }
    if (shown.size() > 8) {
      sb.append("\n        …");
    }
    sb.append("\n      error ").append(error);
    sb.append("\n      warnings ").append(warnings);
    sb.append("\n      charge ").append(charge);
    sb.append("\n      ledger ").append(ledger);
    return sb.toString();
  }

  /** The check that a statement's ledger entries are final once it ended. */
  public static final String LEDGER_NOT_FINAL = "ledger entry not final after the statement";

  /** Whether a ledger entry of the statement is still open (not final) once it ended. */
  public boolean ledgerLeftOpen() {
    return ledger().stream().anyMatch(e -> !e.endsWith(" final"));
  }

  /** The message of a {@link #LEDGER_NOT_FINAL} failure: the statement's error and its ledger. */
  public String ledgerNotFinal() {
    return (error() == null ? "no error" : error()) + "; ledger " + ledger();
  }
}
