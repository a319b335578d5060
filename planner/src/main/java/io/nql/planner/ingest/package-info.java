/**
 * Loading files into Iceberg tables ({@code COPY INTO}): path sandboxing, CSV / Parquet /
 * JSON-lines readers, schema inference, value conversion and all-or-nothing appends.
 */
package io.nql.planner.ingest;
