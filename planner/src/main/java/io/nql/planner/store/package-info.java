/**
 * The metadata store: companies, users, datasets, access rules, the ledger and the query log in a
 * relational database (an embedded H2 file or PostgreSQL) whose schema is owned by Flyway
 * migrations; one JDBC class per entity over a shared pooled {@code Database}.
 */
package io.nql.planner.store;
