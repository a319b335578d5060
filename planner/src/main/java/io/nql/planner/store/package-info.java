/**
 * The metadata store: companies, users, datasets and the query log in a relational database (an
 * embedded H2 file or PostgreSQL) whose schema is owned by Flyway migrations.
 */
package io.nql.planner.store;
