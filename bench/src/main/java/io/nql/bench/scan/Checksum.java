package io.nql.bench.scan;

/**
 * What a client read of a result, every value touched: the row count and per-column sums. Every
 * system must report the same checksum for the same query, so a fast wrong answer cannot pass. Sums
 * wrap around on overflow, identically everywhere.
 */
final class Checksum implements Answer {
  long rows;
  long ids;
  long userIds;
  long amountCents;
  long nullAmounts;
  long stringBytes;
  long timestampMicros;

  void add(Checksum o) {
    rows += o.rows;
    ids += o.ids;
    userIds += o.userIds;
    amountCents += o.amountCents;
    nullAmounts += o.nullAmounts;
    stringBytes += o.stringBytes;
    timestampMicros += o.timestampMicros;
  }

  /** Bytes of the values read: 8 id + 4 user_id + 16 decimal + 8 timestamp per row, plus text. */
  long logicalBytes() {
    return rows * (8 + 4 + 16 + 8) + stringBytes;
  }

  boolean sameAs(Checksum o) {
    return rows == o.rows
        && ids == o.ids
        && userIds == o.userIds
        && amountCents == o.amountCents
        && nullAmounts == o.nullAmounts
        && stringBytes == o.stringBytes
        && timestampMicros == o.timestampMicros;
  }

  @Override
  public long rowsReturned() {
    return rows;
  }

  @Override
  public long rowsCounted() {
    return rows;
  }

  @Override
  public long valueBytes() {
    return logicalBytes();
  }

  @Override
  public String differenceFrom(Answer other) {
    if (other instanceof Checksum c && sameAs(c)) {
      return null;
    }
    return this + " vs " + other;
  }

  @Override
  public String toString() {
    return String.format(
        "rows=%d ids=%d user_ids=%d amount_cents=%d null_amounts=%d string_bytes=%d ts=%d",
        rows, ids, userIds, amountCents, nullAmounts, stringBytes, timestampMicros);
  }
}
