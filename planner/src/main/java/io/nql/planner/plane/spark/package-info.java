/**
 * The Spark plane's client: SQL sent to a Spark Connect server over gRPC, results received as Arrow
 * record batches. Spark runs in its own JVM ({@code .ci/spark.sh} starts a local one), its Iceberg
 * catalog pointed at the warehouse's catalog tables, so it reads the tables the embedded engine
 * writes. Only the published generated classes of Spark Connect's protocol ({@code
 * spark-connect-common}) are used; Spark itself is not on the gateway's class path.
 */
package io.nql.planner.plane.spark;
