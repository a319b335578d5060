/**
 * {@code COPY INTO … FROM POSTGRES}: reading a PostgreSQL table or query through a read-only
 * cursor, with the connection URL checked and the hosts limited by the operator.
 */
package io.nql.planner.ingest.postgres;
