package io.nql.planner.store;

/**
 * What a finished statement returned and read.
 *
 * @param rowsReturned rows sent to the client
 * @param filesPlanned data files the scan planned
 * @param filesSkipped data files pruned by statistics or partitions
 * @param bytesScanned bytes read from data files
 * @param rowsScanned rows read from data files
 */
public record QueryStats(
    long rowsReturned, long filesPlanned, long filesSkipped, long bytesScanned, long rowsScanned) {
  /** Statistics of a statement that read and returned nothing. */
  public static final QueryStats NONE = new QueryStats(0, 0, 0, 0, 0);
}
