package io.nql.planner.engine;

import io.nql.planner.result.ProgressListener;

/**
 * A user's session: who is asking, and the session properties (e.g. the default budget). Not
 * thread-safe for concurrent statements; {@link #cancel()} may be called from any thread.
 */
public interface NqlSession extends AutoCloseable {

  /** The user's name. */
  String userName();

  /** The slug of the user's company. */
  String companySlug();

  /** Whether the user may run admin statements. */
  boolean isAdmin();

  /**
   * Executes one NQL statement.
   *
   * @throws io.nql.planner.error.NqlException with a SQLSTATE when the statement fails
   */
  StatementResult execute(String sql);

  /**
   * Executes one NQL statement with values for its {@code ?} parameters, in order.
   *
   * @throws io.nql.planner.error.NqlException with a SQLSTATE when the statement fails
   */
  StatementResult execute(String sql, java.util.List<Object> parameters);

  /**
   * Describes a statement without running it: its result columns and parameter types.
   *
   * @throws io.nql.planner.error.NqlException when the statement does not parse or validate
   */
  PreparedInfo prepare(String sql);

  /**
   * Describes a statement that is about to run, as {@link #prepare}: a query not described before
   * (for the caller's current catalog) is planned now, into the plan cache, so that its execution
   * reuses the plan instead of validating it again. Planning takes longer than describing; a {@link
   * #cancel} stops it.
   *
   * @throws io.nql.planner.error.NqlException as {@link #prepare}, and {@code QUERY_CANCELED} when
   *     cancelled while planning
   */
  default PreparedInfo plan(String sql) {
    return prepare(sql);
  }

  /**
   * Loads rows into a dataset of the caller's company in one snapshot, all or nothing: created from
   * the columns when missing (if asked), the rows appended or in place of its rows (see {@link
   * IngestRequest}). A {@link #cancel} stops it with nothing loaded.
   *
   * @param rows the rows, as Java values in the request's column order (Long, Integer, Double,
   *     BigDecimal, String, Boolean, LocalDate, LocalTime, LocalDateTime, Instant or
   *     OffsetDateTime, byte[]); each is read once
   * @return the rows loaded
   * @throws io.nql.planner.error.NqlException with a SQLSTATE when the load fails
   */
  default long ingest(IngestRequest request, java.util.Iterator<Object[]> rows) {
    throw new io.nql.planner.error.NqlException(
        io.nql.planner.error.ErrorCode.NOT_SUPPORTED, "Cannot ingest rows: not supported");
  }

  /** The tables this session's user may query, for metadata calls. */
  java.util.List<VisibleTable> visibleTables();

  /** The schemas this session's user may see: company_data, provider slugs, narrative. */
  java.util.List<String> visibleSchemas();

  /**
   * Sets a session property.
   *
   * @param name the {@link SessionProperty#key() key} of a {@link SessionProperty}
   * @throws io.nql.planner.error.NqlException when the name is unknown or the value refused
   */
  void setProperty(String name, String value);

  /**
   * Names the front end this session's statements come through, for the gateway's metrics only (it
   * grants nothing). The front end that opened the session sets it before the first statement;
   * until then the session counts as {@link FrontEnd#EMBEDDED}.
   */
  default void frontEnd(FrontEnd frontEnd) {}

  /** Receives the progress of this session's long statements (e.g. COPY INTO) until reset. */
  void setProgressListener(ProgressListener listener);

  /** Cancels the statement running in this session, if any. */
  void cancel();

  /** Closes the session; open results are closed. */
  @Override
  void close();
}
