/**
 * The directory load benchmark ({@code bench/copydir}): {@code COPY INTO} from a directory of many
 * files, on one thread and on several, and an {@code INCREMENTAL} run that finds nothing new.
 */
package io.nql.bench.copydir;
