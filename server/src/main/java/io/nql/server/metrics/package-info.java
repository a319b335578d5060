/**
 * The gateway's metrics and health endpoint: Prometheus exposition of its statements, ledger, plan
 * cache, endpoints, JVM and metadata-store pool through Micrometer, and liveness and readiness
 * checks, served over plain HTTP on the metrics port.
 */
package io.nql.server.metrics;
