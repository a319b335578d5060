package io.nql.bench.scan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The groups of the aggregate scenario as one client read them: per {@code (country, label)} the
 * count, the sum of {@code amount}, the smallest {@code user_id} and the latest {@code event_ts}.
 * Two answers are the same when they hold the same groups with the same values, in any order:
 * decimals compared by value (exactly: {@code 12.50} equals {@code 12.5}, nothing is rounded), and
 * timestamps as the same instant whatever unit a client delivered.
 */
final class GroupSums implements Answer {
  private final Map<String, String> groups = new TreeMap<>();
  private long rowsCounted;

  /**
   * Adds one group.
   *
   * @param sum {@code SUM(amount)} as delivered, null when every amount of the group is NULL
   * @param maxMicros {@code MAX(event_ts)} in microseconds since 1970-01-01 00:00 UTC
   * @throws IllegalStateException when the group was already added (a result with a key twice)
   */
  void add(
      String country, String label, long count, BigDecimal sum, long minUserId, long maxMicros) {
    String key = country + " | " + label;
    String value =
        "count "
            + count
            + ", sum "
            + decimal(sum)
            + ", min user_id "
            + minUserId
            + ", max event_ts "
            + Instant.EPOCH.plus(maxMicros, ChronoUnit.MICROS);
    if (groups.put(key, value) != null) {
      throw new IllegalStateException("group " + key + " came twice");
    }
    rowsCounted += count;
  }

  /** The value's canonical text: two decimal places when exact, else every digit it has. */
  static String decimal(BigDecimal d) {
    if (d == null) {
      return "NULL";
    }
    try {
      return d.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    } catch (ArithmeticException e) {
      return d.stripTrailingZeros().toPlainString();
    }
  }

  /**
   * An order-independent 64-bit checksum: the wrapping sum of a hash of each group's key and
   * values, so that it is the same however a system orders its groups.
   */
  long checksum() {
    long sum = 0;
    for (Map.Entry<String, String> e : groups.entrySet()) {
      sum += mix(e.getKey() + " = " + e.getValue());
    }
    return sum;
  }

  private static long mix(String s) {
    long h = 0xcbf29ce484222325L; // FNV-1a, then a 64-bit finalizer
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public long rowsReturned() {
    return groups.size();
  }

  @Override
  public long rowsCounted() {
    return rowsCounted;
  }

  @Override
  public long valueBytes() {
    return 0;
  }

  @Override
  public String differenceFrom(Answer other) {
    if (!(other instanceof GroupSums o)) {
      return "a scan's answer where groups were expected: " + other;
    }
    for (Map.Entry<String, String> e : groups.entrySet()) {
      String theirs = o.groups.get(e.getKey());
      if (!e.getValue().equals(theirs)) {
        return "group "
            + e.getKey()
            + ": "
            + e.getValue()
            + " vs "
            + (theirs == null ? "no such group" : theirs)
            + " ("
            + this
            + " vs "
            + o
            + ")";
      }
    }
    for (String key : o.groups.keySet()) {
      if (!groups.containsKey(key)) {
        return "group " + key + " missing (" + this + " vs " + o + ")";
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return String.format(
        "%d groups of %d rows, checksum %016x", groups.size(), rowsCounted, checksum());
  }
}
