package io.nql.planner.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.engine.ArrowRows;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.calcite.avatica.Meta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a result is cut into frames: sizes from the row width, the fetch size and the row cap;
 * offsets that only the next rows of this very result match; failures that stay failures; Arrow
 * memory given back (the allocator is closed after each test, so a leak fails it).
 */
class ResultFramesTest {
  private static final List<ResultColumn> COLUMNS =
      List.of(ResultColumn.bigint("id", false), ResultColumn.varchar("s"));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeak() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  /** {@code count} rows {@code (i, "row i" + padding)}; production fails at row {@code failAt}. */
  private static final class Rows implements StatementResult {
    private final int count;
    private final int failAt;
    private final String padding;
    private int produced;
    boolean closed;

    Rows(int count, int failAt, int padding) {
      this.count = count;
      this.failAt = failAt;
      this.padding = "x".repeat(padding);
    }

    @Override
    public String statementId() {
      return "test";
    }

    @Override
    public boolean isQuery() {
      return true;
    }

    @Override
    public List<ResultColumn> columns() {
      return COLUMNS;
    }

    @Override
    public long updateCount() {
      return -1;
    }

    @Override
    public Object[] next() {
      if (produced == failAt) {
        throw new NqlException(ErrorCode.DIVISION_BY_ZERO, "Division by zero");
      }
      if (produced == count) {
        return null;
      }
      long i = produced++;
      return new Object[] {i, "row " + i + padding};
    }

    @Override
    public ArrowReader arrow(BufferAllocator allocator, int batchRows) {
      return ArrowRows.reader(COLUMNS, this::next, this::close, allocator, batchRows);
    }

    @Override
    public List<StatementWarning> warnings() {
      return List.of();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private ResultFrames columnar(Rows rows, FrameSizes sizes) {
    return ResultFrames.columnar(rows, sizes, allocator);
  }

  private static long rowsOf(Meta.Frame f) {
    if (f instanceof ColumnarFrame c) {
      return c.rowCount();
    }
    List<Object> rows = new ArrayList<>();
    f.rows.forEach(rows::add);
    return rows.size();
  }

  /** Reads every frame; returns the row count of each. */
  private static List<Long> readAll(ResultFrames frames, int fetchRows) {
    List<Long> sizes = new ArrayList<>();
    Meta.Frame f = frames.first(fetchRows);
    long base = f.offset;
    long read = rowsOf(f);
    sizes.add(read);
    while (!f.done) {
      f = frames.next(base + read, fetchRows);
      assertThat(f.offset).isEqualTo(base + read);
      read += rowsOf(f);
      sizes.add(rowsOf(f));
    }
    return sizes;
  }

  @Test
  void framesHoldAboutTheTargetBytesAndNoMoreRowsThanAsked() {
    Rows rows = new Rows(20_000, -1, 0);
    List<Long> sizes;
    try (ResultFrames frames = columnar(rows, new FrameSizes(64 << 10, 0))) {
      sizes = readAll(frames, 0);
    }
    assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
    // about 20 bytes a row: frames of 64 KiB hold some 3,000 rows
    assertThat(sizes.get(1)).isBetween(2_000L, 4_096L);
    assertThat(rows.closed).isTrue();

    try (ResultFrames frames = columnar(new Rows(1_000, -1, 0), new FrameSizes(64 << 10, 0))) {
      assertThat(readAll(frames, 100)).hasSize(11).allMatch(n -> n == 100 || n == 0);
    }
    try (ResultFrames frames = columnar(new Rows(1_000, -1, 0), new FrameSizes(64 << 10, 300))) {
      assertThat(readAll(frames, 0)).containsExactly(300L, 300L, 300L, 100L);
    }
    try (ResultFrames frames =
        ResultFrames.standard(new Rows(1_000, -1, 0), new FrameSizes(64 << 10, 300))) {
      assertThat(readAll(frames, 250)).containsExactly(250L, 250L, 250L, 250L, 0L);
    }
  }

  @Test
  void aRowWiderThanAFrameComesAlone() {
    try (ResultFrames frames = columnar(new Rows(5, -1, 10_000), new FrameSizes(4096, 0))) {
      assertThat(readAll(frames, 0)).containsExactly(1L, 1L, 1L, 1L, 1L, 0L);
    }
  }

  @Test
  void onlyTheNextRowsOfThisResultCanBeFetched() {
    try (ResultFrames a = columnar(new Rows(10_000, -1, 0), new FrameSizes(4096, 0));
        ResultFrames b = columnar(new Rows(10_000, -1, 0), new FrameSizes(4096, 0))) {
      Meta.Frame fa = a.first(0);
      Meta.Frame fb = b.first(0);
      // each columnar result draws its own base: a fetch meant for one never matches the other
      assertThat(fa.offset).isNotEqualTo(fb.offset).isPositive();
      assertThat(rowsOf(fa)).isEqualTo(rowsOf(fb));
      long nextOfA = fa.offset + rowsOf(fa);
      assertThatThrownBy(() -> b.next(nextOfA, 0))
          .isInstanceOfSatisfying(
              NqlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_SUPPORTED));
      assertThatThrownBy(() -> a.next(nextOfA + 1, 0)).isInstanceOf(NqlException.class);
      assertThatThrownBy(() -> a.next(fa.offset, 0)).isInstanceOf(NqlException.class);
      // the refused requests took nothing
      long read = rowsOf(fa);
      Meta.Frame f = fa;
      while (!f.done) {
        f = a.next(fa.offset + read, 0);
        read += rowsOf(f);
      }
      assertThat(read).isEqualTo(10_000);
    }
    try (ResultFrames standard = ResultFrames.standard(new Rows(10, -1, 0), FrameSizes.DEFAULT)) {
      // Avatica's clients count from 0
      assertThat(standard.first(0).offset).isZero();
    }
  }

  @Test
  void aFailureIsFinalNeverAnEnd() {
    for (boolean col : new boolean[] {true, false}) {
      Rows rows = new Rows(10_000, 5_000, 0);
      FrameSizes sizes = new FrameSizes(4096, 0);
      try (ResultFrames frames = col ? columnar(rows, sizes) : ResultFrames.standard(rows, sizes)) {
        Meta.Frame f = frames.first(0);
        long base = f.offset;
        long read = rowsOf(f);
        NqlException failure = null;
        try {
          while (!f.done) {
            f = frames.next(base + read, 0);
            read += rowsOf(f);
          }
        } catch (NqlException e) {
          failure = e;
        }
        assertThat(failure).isNotNull();
        assertThat(failure.code()).isEqualTo(ErrorCode.DIVISION_BY_ZERO);
        assertThat(read).isLessThan(5_000);
        long at = base + read;
        NqlException first = failure;
        assertThatThrownBy(() -> frames.next(at, 0)).isSameAs(first);
        assertThat(frames.done()).isFalse();
        assertThat(rows.closed).isTrue();
      }
    }
  }

  @Test
  void anAbandonedFrameEndsEarlyAndIsNotTheLast() {
    try (ResultFrames frames = columnar(new Rows(10_000, -1, 0), FrameSizes.DEFAULT)) {
      frames.abandon();
      Meta.Frame f = frames.first(0);
      assertThat(f.done).isFalse();
      assertThat(rowsOf(f)).isZero();
    }
  }
}
