package io.nql.server.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.testing.CanonicalRows;
import io.nql.server.behaviour.FrontEnd.Answer;
import io.nql.server.behaviour.FrontEnd.Client;
import io.nql.server.behaviour.FrontEnd.Prepared;
import io.nql.server.behaviour.FrontEnd.TypedNull;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parameters of every NQL type, against {@code company_data.typed} (see {@link BehaviourData}): as
 * a filter (matching row 1, then row 2, then NULL, on one prepared statement), and as a projected
 * value ({@code CAST(? AS type)}) that must come back exactly. Values are given as java.time and as
 * java.sql objects where both exist; {@code timestamptz} values are instants, compared as their UTC
 * wall clock.
 */
abstract class ParameterTypesSuite {
  /** The owner of {@code typed}. */
  abstract Client owner();

  /**
   * One NQL type: its column in {@code typed}, the values of rows 1 and 2 in several Java forms,
   * the value expected back (external form), and the JDBC type name of its NULL.
   */
  record TypeCase(
      String type,
      String column,
      List<Object> row1,
      List<Object> row2,
      Object expected1,
      String nullType) {
    @Override
    public String toString() {
      return type;
    }
  }

  static Stream<TypeCase> types() {
    LocalDateTime ts1 = LocalDateTime.parse("2026-10-01T08:15:30.123");
    LocalDateTime ts2 = LocalDateTime.parse("1999-12-31T23:59:59");
    return Stream.of(
        new TypeCase("BOOLEAN", "b", List.of(true), List.of(false), true, "BOOLEAN"),
        new TypeCase("TINYINT", "i", List.of((byte) 7), List.of((byte) -3), 7, "TINYINT"),
        new TypeCase("SMALLINT", "i", List.of((short) 7), List.of((short) -3), 7, "SMALLINT"),
        new TypeCase("INTEGER", "i", List.of(7), List.of(-3), 7, "INTEGER"),
        new TypeCase(
            "BIGINT", "l", List.of(9_000_000_000L), List.of(-1L), 9_000_000_000L, "BIGINT"),
        new TypeCase("REAL", "r", List.of(1.5f), List.of(-0.5f), 1.5f, "REAL"),
        new TypeCase("DOUBLE", "d", List.of(2.25d), List.of(-1e10d), 2.25d, "DOUBLE"),
        new TypeCase(
            "DECIMAL(12, 4)",
            "num",
            List.of(new BigDecimal("12345678.1234")),
            List.of(new BigDecimal("-0.0001")),
            new BigDecimal("12345678.1234"),
            "DECIMAL"),
        new TypeCase(
            "VARCHAR",
            "s",
            List.of("Zürich ✓ 東京 😀"),
            List.of("plain"),
            "Zürich ✓ 東京 😀",
            "VARCHAR"),
        new TypeCase(
            "DATE",
            "dt",
            List.of(LocalDate.parse("2026-10-01"), utcDate("2026-10-01")),
            List.of(LocalDate.parse("1999-12-31"), utcDate("1999-12-31")),
            LocalDate.parse("2026-10-01"),
            "DATE"),
        new TypeCase(
            "TIME",
            "tm",
            List.of(LocalTime.parse("08:15:30"), utcTime("08:15:30")),
            List.of(LocalTime.parse("23:59:59"), utcTime("23:59:59")),
            LocalTime.parse("08:15:30"),
            "TIME"),
        new TypeCase(
            "TIMESTAMP",
            "ts",
            List.of(ts1, utcTimestamp(ts1)),
            List.of(ts2, utcTimestamp(ts2)),
            ts1,
            "TIMESTAMP"),
        new TypeCase(
            "TIMESTAMP WITH LOCAL TIME ZONE",
            "tstz",
            List.of(
                OffsetDateTime.parse("2026-10-01T10:15:30.123+02:00"),
                Instant.parse("2026-10-01T08:15:30.123Z"),
                utcTimestamp(ts1)),
            List.of(OffsetDateTime.parse("1999-12-31T23:59:59Z"), utcTimestamp(ts2)),
            ts1,
            "TIMESTAMP"),
        new TypeCase(
            "VARBINARY",
            "bin",
            List.of((Object) new byte[] {1, (byte) 0xFF}),
            List.of((Object) new byte[] {0}),
            new byte[] {1, (byte) 0xFF},
            "VARBINARY"));
  }

  /** The instant whose UTC wall clock is {@code t}: how the driver exchanges TIMESTAMP values. */
  static java.sql.Timestamp utcTimestamp(LocalDateTime t) {
    return java.sql.Timestamp.from(t.toInstant(ZoneOffset.UTC));
  }

  static java.sql.Date utcDate(String d) {
    return new java.sql.Date(
        LocalDate.parse(d).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
  }

  static java.sql.Time utcTime(String t) {
    return new java.sql.Time(LocalTime.parse(t).toSecondOfDay() * 1000L);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void aParameterFiltersByValueAndRepeatsWithOtherValues(TypeCase t) throws Exception {
    try (Prepared p =
        owner()
            .prepare(
                "SELECT id FROM company_data.typed WHERE " + t.column() + " = ? ORDER BY id")) {
      for (Object v : t.row1()) {
        assertThat(ids(p.execute(List.of(v)))).as("%s as %s", v, v.getClass()).containsExactly(1);
      }
      for (Object v : t.row2()) {
        assertThat(ids(p.execute(List.of(v)))).as("%s as %s", v, v.getClass()).containsExactly(2);
      }
      assertThat(ids(p.execute(List.of(new TypedNull(t.nullType()))))).isEmpty();
      assertThat(ids(p.execute(List.of(t.row1().get(0))))).containsExactly(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void aNullParameterOfEachTypeIsNull(TypeCase t) throws Exception {
    try (Prepared p =
        owner()
            .prepare(
                "SELECT id FROM company_data.typed WHERE ? IS NULL AND "
                    + t.column()
                    + " IS NULL")) {
      assertThat(ids(p.execute(List.of(new TypedNull(t.nullType()))))).containsExactly(3);
      assertThat(ids(p.execute(List.of(t.row1().get(0))))).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void aProjectedParameterComesBackExactly(TypeCase t) throws Exception {
    try (Prepared p =
        owner()
            .prepare(
                "SELECT CAST(? AS "
                    + t.type()
                    + ") AS v, "
                    + t.column()
                    + " FROM company_data.typed WHERE id = 1")) {
      for (Object v : t.row1()) {
        Answer a = p.execute(List.of(v));
        assertThat(a.rows()).hasSize(1);
        assertThat(CanonicalRows.canonical(a.rows().get(0).get(0)))
            .as("%s as %s", v, v.getClass())
            .isEqualTo(CanonicalRows.canonical(t.expected1()));
        assertThat(CanonicalRows.canonical(a.rows().get(0).get(1)))
            .isEqualTo(CanonicalRows.canonical(t.expected1()));
        if (t.expected1() instanceof BigDecimal d) {
          assertThat(((BigDecimal) a.rows().get(0).get(0)).scale()).isEqualTo(d.scale());
        }
        if (t.expected1() instanceof byte[] b) {
          assertThat(Arrays.equals((byte[]) a.rows().get(0).get(0), b)).isTrue();
        }
      }
      Answer none = p.execute(List.of(new TypedNull(t.nullType())));
      assertThat(none.rows().get(0).get(0)).isNull();
    }
  }

  @org.junit.jupiter.api.Test
  void anUntypedProjectedParameterIsAClearError() {
    FrontEndBehaviourSuite.assertFails(
        () -> owner().prepare("SELECT ? FROM company_data.typed"), "42000", null);
  }

  private static List<Integer> ids(Answer a) {
    List<Integer> out = new ArrayList<>();
    for (List<Object> row : a.rows()) {
      out.add(((Number) row.get(0)).intValue());
    }
    return out;
  }
}
