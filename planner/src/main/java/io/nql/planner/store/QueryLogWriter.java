package io.nql.planner.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Group commit of the query log: statements' starts and ends are queued and written by one thread,
 * everything queued in one transaction, so a small statement does not wait for two commits of its
 * own. A statement that ends before its start was written is written once, already finished.
 *
 * <p>Reads of the log {@link #flush} first, so they see every statement logged before them. What is
 * still queued when the process is killed is lost (at most one batch, written within milliseconds);
 * the ledger does not go through here and keeps its own guarantees. A batch the store refuses is
 * retried once, then dropped with a warning: the log must never hold statements back.
 */
final class QueryLogWriter implements AutoCloseable {
  /** A statement's start, its end, or both, waiting to be written. */
  static final class Pending {
    Started start;
    Finished finish;
  }

  record Started(long companyId, long userId, String sqlText, Instant startedAt) {}

  record Finished(
      QueryStatus status,
      Instant finishedAt,
      String sqlState,
      String errorMessage,
      QueryStats stats) {}

  private final GroupCommit<Pending> commits;

  QueryLogWriter(GroupCommit.Sink<Pending> sink) {
    this.commits = new GroupCommit<>("nql-query-log", Pending::new, sink);
  }

  void started(String statementId, Started start) {
    commits.enqueue(statementId, p -> p.start = start);
  }

  void finished(String statementId, Finished finish) {
    commits.enqueue(statementId, p -> p.finish = finish);
  }

  /** Waits until everything queued before this call is written (or given up). */
  void flush() {
    commits.flush();
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    commits.close();
  }

  /** The statements of a batch split by what must be written: inserts and updates. */
  static List<List<Object[]>> rows(Map<String, Pending> batch) {
    List<Object[]> inserts = new ArrayList<>();
    List<Object[]> updates = new ArrayList<>();
    for (Map.Entry<String, Pending> e : batch.entrySet()) {
      Pending p = e.getValue();
      Finished f = p.finish;
      QueryStats s = f == null || f.stats() == null ? QueryStats.NONE : f.stats();
      if (p.start != null) {
        Started st = p.start;
        inserts.add(
            new Object[] {
              e.getKey(),
              st.companyId(),
              st.userId(),
              st.sqlText(),
              st.startedAt(),
              f == null ? null : f.finishedAt(),
              (f == null ? QueryStatus.RUNNING : f.status()).dbValue(),
              f == null ? null : f.sqlState(),
              f == null ? null : f.errorMessage(),
              s.rowsReturned(),
              s.filesPlanned(),
              s.filesSkipped(),
              s.bytesScanned(),
              s.rowsScanned()
            });
      } else if (f != null) {
        updates.add(
            new Object[] {
              f.finishedAt(),
              f.status().dbValue(),
              f.sqlState(),
              f.errorMessage(),
              s.rowsReturned(),
              s.filesPlanned(),
              s.filesSkipped(),
              s.bytesScanned(),
              s.rowsScanned(),
              e.getKey()
            });
      }
    }
    return List.of(inserts, updates);
  }
}
