package io.nql.bench;

import java.sql.Connection;
import java.sql.SQLException;

/** One system under test, loaded and ready: how the buyer connects and what it runs. */
interface Target extends AutoCloseable {

  /** Name in the report. */
  String name();

  /** A new connection as the buyer. */
  Connection connectAsBuyer() throws SQLException;

  /** The full fetch: every visible row, every visible column. */
  String fullFetchSql();

  /** The point query, with one {@code ?} for the id. */
  String pointSql();

  /** Seconds the load (table creation, bulk load, statistics, policy) took. */
  double loadSeconds();

  /**
   * Checks the policy from the buyer's side: the hidden column is refused and the visible row count
   * is as expected.
   *
   * @throws IllegalStateException when the system shows more (or less) than the policy allows
   */
  void checkPolicy(long expectedVisibleRows) throws SQLException;

  @Override
  void close() throws Exception;
}
