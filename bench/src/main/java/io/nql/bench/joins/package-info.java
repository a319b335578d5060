/**
 * The join benchmark ({@code bench/joins}): {@code select5}-like joins of many ten-row tables, each
 * behind an access rule, through NQL's gateway and through PostgreSQL row-level security.
 */
package io.nql.bench.joins;
