package io.nql.planner.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reservations grow with the delivery (1,000, 2,000, 4,000, then 8,000 rows' worth), never hold
 * more than 1,000 rows beyond the rows already delivered (nor more than 8,000), and a budget still
 * cuts at the exact row.
 */
class DeliveriesTest {
  /** A budget of {@code budgetMicros} that records what was asked. */
  static final class Budget implements BudgetGate {
    final List<Long> asked = new ArrayList<>();
    long left;

    Budget(long budgetMicros) {
      left = budgetMicros;
    }

    @Override
    public long reserve(Deliveries.Account account, long wantMicros) {
      asked.add(wantMicros);
      long granted = Math.min(wantMicros, left - left % account.microsPerRow());
      left -= granted;
      return granted;
    }

    @Override
    public void settle(List<Deliveries.Account> accounts) {}
  }

  /** Delivers {@code rows} rows in batches of {@code batch}, as a meter does. */
  static long deliver(Deliveries d, long rows, int batch) {
    long delivered = 0;
    while (delivered < rows) {
      if (!d.hold(7, 1)) {
        return delivered;
      }
      long want = Math.min(batch, rows - delivered);
      long n = d.admit(7, 1, want);
      delivered += n;
      Deliveries.Account a = d.accounts().get(0);
      // reserved but not delivered: at most 1,000 rows more than were delivered, and 8,000 rows
      assertThat(a.reservedMicros() - a.amountMicros())
          .isLessThanOrEqualTo(Math.min(8000, a.rows() + 1000) * a.microsPerRow());
      if (n < want) {
        return delivered;
      }
    }
    return delivered;
  }

  @Test
  void reservationsDoubleUpToEightThousandRows() {
    Budget budget = new Budget(Long.MAX_VALUE / 4);
    Deliveries d = new Deliveries(budget);
    d.register(7, 1, 3, new BigDecimal("1.50"));
    long perRow = Deliveries.microsPerRow(new BigDecimal("1.50"));
    assertThat(deliver(d, 40_000, 777)).isEqualTo(40_000);
    List<Long> rows = budget.asked.stream().map(m -> m / perRow).toList();
    assertThat(rows).startsWith(1000L, 2000L, 4000L, 8000L, 8000L);
    assertThat(rows).allMatch(r -> r <= 8000);
    // 1 + 2 + 4 + 8 × 4 = 39 thousand rows, then one more reservation for the last thousand
    assertThat(rows).hasSize(8);
    assertThat(d.spentMicros()).isEqualTo(40_000 * perRow);
  }

  @Test
  void aBudgetStillCutsAtTheExactRow() {
    long perRow = Deliveries.microsPerRow(new BigDecimal("2.00"));
    for (long affordable : new long[] {1, 999, 1000, 1001, 2999, 3000, 12_345}) {
      Deliveries d = new Deliveries(new Budget(affordable * perRow + perRow / 2));
      d.register(7, 1, 3, new BigDecimal("2.00"));
      assertThat(deliver(d, 50_000, 500)).as("rows for %s", affordable).isEqualTo(affordable);
      assertThat(d.wasCut()).isTrue();
      assertThat(d.spentMicros()).isEqualTo(affordable * perRow);
    }
  }
}
