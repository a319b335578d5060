package io.nql.planner.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One statement in the query log.
 *
 * @param id numeric id
 * @param statementId the statement's UUID
 * @param companyId the company the caller acted for
 * @param userId the caller (users may be dropped later; the log keeps the id)
 * @param sqlText the statement text
 * @param startedAt when the statement started
 * @param finishedAt when it finished, empty while running
 * @param status its state
 * @param sqlState SQLSTATE of the error, null unless {@code status} is ERROR or CANCELLED
 * @param errorMessage the client-visible error message, or null
 * @param stats what it returned and read (zeros while running)
 */
public record QueryLogEntry(
    long id,
    String statementId,
    long companyId,
    long userId,
    String sqlText,
    Instant startedAt,
    Optional<Instant> finishedAt,
    QueryStatus status,
    String sqlState,
    String errorMessage,
    QueryStats stats) {}
