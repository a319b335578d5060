package io.nql.planner.policy;

import io.nql.planner.plan.RowCap;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.roaringbitmap.longlong.Roaring64Bitmap;

/**
 * The rows one statement receives through access rules, and what they cost. Every rule meter of the
 * statement asks {@link #admit} before it lets a row through; a row is admitted only if the
 * statement's spend stays within its budget. Amounts are exact micro-USD: a price of {@code p} USD
 * per 1,000 rows (at most two decimals) costs {@code p × 1000} micro-USD per row, an integer.
 *
 * <p>Thread-safe: meters of one statement may run on different threads.
 */
public final class Deliveries {
  /** Where the executor's DataContext carries the statement's deliveries. */
  public static final String CONTEXT_KEY = "nql.deliveries";

  private static final BigDecimal MICROS_PER_USD = BigDecimal.valueOf(1_000_000);

  /** No budget: every row is admitted. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  /** Rows a priced rule's first reservation covers. */
  static final int RESERVATION_ROWS = 1000;

  /**
   * Rows a reservation covers at most: each reservation of a rule in a statement covers twice the
   * rows of the one before (1,000, 2,000, 4,000, then 8,000 at a time), so a long delivery commits
   * a reservation every 8,000 rows instead of every 1,000, while what is reserved and not yet
   * delivered stays below both 1,000 rows more than were delivered and 8,000 rows (a crash charges
   * at most that beyond what was sent).
   */
  static final int MAX_RESERVATION_ROWS = 8 * RESERVATION_ROWS;

  /** Rows the next reservation of an account covers, after {@code reservations} granted ones. */
  static long reservationRows(int reservations) {
    return Math.min(
        (long) RESERVATION_ROWS << Math.min(reservations, 30), (long) MAX_RESERVATION_ROWS);
  }

  private final BudgetGate gate;
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private long spentMicros;
  private boolean cut;
  private boolean settled;

  /** One rule version's deliveries in this statement. */
  public static final class Account {
    private final long ruleId;
    private final int version;
    private final long ownerCompanyId;
    private final long microsPerRow;
    private long rows;
    private long reservedMicros;
    private long holds;
    private int reservations;
    private Roaring64Bitmap charged;

    Account(long ruleId, int version, long ownerCompanyId, long microsPerRow) {
      this.ruleId = ruleId;
      this.version = version;
      this.ownerCompanyId = ownerCompanyId;
      this.microsPerRow = microsPerRow;
    }

    public long ruleId() {
      return ruleId;
    }

    public int version() {
      return version;
    }

    public long ownerCompanyId() {
      return ownerCompanyId;
    }

    /** Price of one row in micro-USD. */
    public long microsPerRow() {
      return microsPerRow;
    }

    /** Rows delivered so far. */
    public synchronized long rows() {
      return rows;
    }

    /** Amount owed so far, in micro-USD. */
    public synchronized long amountMicros() {
      return rows * microsPerRow;
    }

    /** Budget reserved for this rule so far, in micro-USD (≥ the amount owed). */
    public synchronized long reservedMicros() {
      return reservedMicros;
    }
  }

  /**
   * @param gate grants budget before rows are released, and settles at the end
   */
  public Deliveries(BudgetGate gate) {
    this.gate = gate;
  }

  /** Micro-USD per row for a price in USD per 1,000 rows (exact: at most two decimals). */
  public static long microsPerRow(BigDecimal priceCpmUsd) {
    return priceCpmUsd.multiply(BigDecimal.valueOf(1000)).longValueExact();
  }

  /** Micro-USD of a USD amount, rounded down (a budget never grows by rounding). */
  public static long micros(BigDecimal usd) {
    return usd.multiply(MICROS_PER_USD).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
  }

  /** A micro-USD amount as USD text with six decimals. */
  public static String usd(long micros) {
    return BigDecimal.valueOf(micros).movePointLeft(6).toPlainString();
  }

  /** Declares a rule version the statement reads, at the price this caller pays. */
  public synchronized void register(
      long ruleId, int version, long ownerCompanyId, BigDecimal priceCpmUsd) {
    accounts.computeIfAbsent(
        key(ruleId, version),
        k -> new Account(ruleId, version, ownerCompanyId, microsPerRow(priceCpmUsd)));
  }

  private static String key(long ruleId, int version) {
    return ruleId + "/" + version;
  }

  /**
   * Holds budget for one more row of a rule before a meter pulls it: the budget is checked before a
   * row is read, never after, so whether the budget stops a delivery never depends on whether a
   * next row exists. A meter holds at most one row at a time; the hold becomes a charge when the
   * row is delivered ({@link #admit(long, int, long)}) or is given back ({@link #release}).
   *
   * @return false when the budget cannot pay for one more row: the statement is then cut short (its
   *     warning says so), whatever the rule's data
   */
  public synchronized boolean hold(long ruleId, int version) {
    Account a = account(ruleId, version);
    synchronized (a) {
      if (a.microsPerRow > 0 && !cover(a, 1)) {
        cut = true;
        return false;
      }
      a.holds++;
      return true;
    }
  }

  /** Gives back a hold taken by {@link #hold} when no row came of it. */
  public synchronized void release(long ruleId, int version) {
    Account a = account(ruleId, version);
    synchronized (a) {
      if (a.holds > 0) {
        a.holds--;
      }
    }
  }

  /**
   * Admits the next {@code rows} rows of a rule, the first of them on the meter's {@link #hold}
   * (which the caller must have), the rest as the budget allows, in order.
   *
   * @return the rows admitted, from the first; fewer than {@code rows} when the budget cut the
   *     delivery short
   */
  public synchronized long admit(long ruleId, int version, long rows) {
    Account a = account(ruleId, version);
    synchronized (a) {
      if (a.holds <= 0) {
        throw new IllegalStateException("rule " + ruleId + " admitted without a hold");
      }
      a.holds--;
      if (a.microsPerRow <= 0) {
        a.rows += rows;
        return rows;
      }
      long admitted = 0;
      while (admitted < rows) {
        long covered = covered(a);
        if (covered <= 0) {
          if (!cover(a, 1)) {
            cut = true;
            return admitted;
          }
          covered = covered(a);
        }
        long take = Math.min(covered, rows - admitted);
        a.rows += take;
        spentMicros += take * a.microsPerRow;
        admitted += take;
      }
      return admitted;
    }
  }

  /**
   * Delivers a row that has an id: free if the statement was already charged for it (it is read a
   * second time), else admitted on the meter's hold like any row.
   *
   * @return true when the row was already paid for in this statement (the hold is kept)
   */
  synchronized boolean deliverAgain(long ruleId, int version, long rowId) {
    Account a = account(ruleId, version);
    synchronized (a) {
      if (a.charged != null && a.charged.contains(rowId)) {
        return true;
      }
      if (a.charged == null) {
        a.charged = new Roaring64Bitmap();
      }
      a.charged.addLong(rowId);
      return false;
    }
  }

  private Account account(long ruleId, int version) {
    Account a = accounts.get(key(ruleId, version));
    if (a == null) {
      throw new IllegalStateException("rule " + ruleId + " version " + version + " not registered");
    }
    return a;
  }

  /** Rows the reservation covers beyond the rows delivered and held. */
  private static long covered(Account a) {
    return a.reservedMicros / a.microsPerRow - a.rows - a.holds;
  }

  /** Makes the reservation cover at least {@code rows} more rows; false when the gate refuses. */
  private boolean cover(Account a, long rows) {
    while (covered(a) < rows) {
      long granted = gate.reserve(a, a.microsPerRow * reservationRows(a.reservations));
      if (granted < 0 || granted % a.microsPerRow != 0) {
        throw new IllegalStateException("budget gate granted " + granted + " micro-USD");
      }
      if (granted == 0) {
        return false;
      }
      a.reservedMicros += granted;
      a.reservations++;
    }
    return true;
  }

  /** Settles with the gate once: charges what was delivered, releases the rest. */
  public synchronized void settle() {
    if (!settled) {
      settled = true;
      gate.settle(accounts());
    }
  }

  /** Whether the budget stopped a delivery. */
  public synchronized boolean wasCut() {
    return cut;
  }

  /** Total spent so far, micro-USD. */
  public synchronized long spentMicros() {
    return spentMicros;
  }

  /** The rules read so far, in the order they were declared. */
  public synchronized List<Account> accounts() {
    return new ArrayList<>(accounts.values());
  }

  /** Total rows delivered through rules. */
  public synchronized long rows() {
    long n = 0;
    for (Account a : accounts.values()) {
      n += a.rows();
    }
    return n;
  }

  /**
   * Meters an enumerable of rule rows: called by generated code (see {@link EnumerableRuleMeter}).
   * Without deliveries in the statement's context it refuses to run, so no execution path can
   * release rule rows unmetered or beyond a budget.
   *
   * <p>Before each row is pulled from the rule's plan, budget for it is {@link #hold held}; when
   * none is left the meter ends without reading. An expression of the caller's that fails on a row
   * between the rule's barrier and this meter (a filter the caller wrote) fails on a row the caller
   * did not pay for yet: the row is charged on the hold, then the error goes on. So an error is
   * never free information about a rule row.
   *
   * @param capFixed the literal part of the row cap, or -1 for none (see {@link RowCap})
   * @param capParams comma-separated indices of the {@code ?} parameters added to the cap
   */
  public static <T> Enumerable<T> meter(
      Enumerable<T> input,
      DataContext root,
      long ruleId,
      int version,
      long ownerCompanyId,
      String priceCpmUsd,
      long capFixed,
      String capParams) {
    return metered(
        input, root, ruleId, version, ownerCompanyId, priceCpmUsd, capFixed, capParams, false);
  }

  private static <T> Enumerable<T> metered(
      Enumerable<T> input,
      DataContext root,
      long ruleId,
      int version,
      long ownerCompanyId,
      String priceCpmUsd,
      long capFixed,
      String capParams,
      boolean rowIds) {
    Deliveries deliveries = (Deliveries) root.get(CONTEXT_KEY);
    if (deliveries == null) {
      // Fail closed: rule rows are never released unmetered, whoever runs the plan.
      throw new IllegalStateException(
          "rule " + ruleId + " read without the statement's deliveries; refusing to deliver");
    }
    deliveries.register(ruleId, version, ownerCompanyId, new BigDecimal(priceCpmUsd));
    RowCap cap = RowCap.parse(capFixed, capParams);
    return new AbstractEnumerable<T>() {
      @Override
      public Enumerator<T> enumerator() {
        return new MeteredEnumerator<>(
            input.enumerator(), deliveries, ruleId, version, cap.resolve(root), rowIds);
      }
    };
  }

  /**
   * Meters an enumerable of rule rows that end with their row id ({@link RuleMeter#rowIds()}): as
   * {@link #meter}, and a row read again in this statement (the rule read twice, or re-read by a
   * nested loop) is delivered without a second charge. The id is not passed on: rows come out as
   * {@code Object[]} without it, or as the bare value when one column is left ({@code scalar}).
   */
  public static Enumerable<Object> meterRows(
      Enumerable<Object[]> input,
      DataContext root,
      long ruleId,
      int version,
      long ownerCompanyId,
      String priceCpmUsd,
      long capFixed,
      String capParams,
      boolean scalar) {
    Enumerable<Object[]> metered =
        metered(
            input, root, ruleId, version, ownerCompanyId, priceCpmUsd, capFixed, capParams, true);
    return new AbstractEnumerable<Object>() {
      @Override
      public Enumerator<Object> enumerator() {
        Enumerator<Object[]> in = metered.enumerator();
        return new Enumerator<Object>() {
          @Override
          public Object current() {
            Object[] row = in.current();
            return scalar ? row[0] : java.util.Arrays.copyOf(row, row.length - 1);
          }

          @Override
          public boolean moveNext() {
            return in.moveNext();
          }

          @Override
          public void reset() {
            in.reset();
          }

          @Override
          public void close() {
            in.close();
          }
        };
      }
    };
  }

  /** One enumeration of a metered rule scan. */
  private static final class MeteredEnumerator<T> implements Enumerator<T> {
    private final Enumerator<T> in;
    private final Deliveries deliveries;
    private final long ruleId;
    private final int version;
    private final long maxRows;
    private final boolean rowIds;
    private boolean held;
    private boolean ended;
    private long taken;

    MeteredEnumerator(
        Enumerator<T> in,
        Deliveries deliveries,
        long ruleId,
        int version,
        long maxRows,
        boolean rowIds) {
      this.rowIds = rowIds;
      this.in = in;
      this.deliveries = deliveries;
      this.ruleId = ruleId;
      this.version = version;
      this.maxRows = maxRows;
    }

    @Override
    public T current() {
      return in.current();
    }

    @Override
    public boolean moveNext() {
      // At the cap, stop without pulling (and paying for) a row the query would drop.
      if (ended || (maxRows >= 0 && taken >= maxRows)) {
        return false;
      }
      if (!held) {
        if (!deliveries.hold(ruleId, version)) {
          ended = true;
          return false;
        }
        held = true;
      }
      boolean next;
      try {
        next = in.moveNext();
      } catch (RuntimeException e) {
        if (EvaluationFailures.isOnRow(e)) {
          held = false;
          deliveries.admit(ruleId, version, 1);
        }
        throw e;
      }
      if (!next) {
        ended = true;
        releaseHold();
        return false;
      }
      if (in.current() instanceof Object[] row
          && row.length > 0
          && rowIds
          && deliveries.deliverAgain(ruleId, version, (Long) row[row.length - 1])) {
        taken++; // paid for earlier in this statement: the hold stays for the next row
        return true;
      }
      held = false;
      deliveries.admit(ruleId, version, 1);
      taken++;
      return true;
    }

    private void releaseHold() {
      if (held) {
        held = false;
        deliveries.release(ruleId, version);
      }
    }

    @Override
    public void reset() {
      throw new UnsupportedOperationException("a metered delivery cannot be replayed");
    }

    @Override
    public void close() {
      releaseHold();
      in.close();
    }
  }
}
