/**
 * Data planes: storage engines a company's datasets may rest in besides the embedded Iceberg
 * warehouse (today PostgreSQL), their registry and credentials. See docs/architecture.md, "Data
 * planes".
 */
package io.nql.planner.plane;
