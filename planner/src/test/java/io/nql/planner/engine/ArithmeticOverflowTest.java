package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import io.nql.planner.store.LedgerEntry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exact integer arithmetic never wraps around: a result that does not fit its type fails with
 * {@code 22003} and a one-line message naming the operation and the type, never a value; SUM of
 * integers is a BIGINT (as in PostgreSQL) and SUM of BIGINT is exact or fails; AVG never overflows
 * its internal sum. The same on the vector path and the row engine (the vector path leaves
 * arithmetic to the row engine). An overflow on a rule row is an evaluation error: it charges the
 * row it fails on, exactly as a division by zero does, and a row the rule hides never fails.
 *
 * <p>Every expected value is computed here with {@link BigInteger}, not copied from an output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArithmeticOverflowTest {
  static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

  /** Values of the data: none may appear in an error message. */
  static final List<String> DATA_VALUES =
      List.of("2147483647", "2147483648", "9223372036854775807", "9223372036854775808");

  @TempDir static Path dir;
  NqlEngine engine;
  NqlSession acme;
  NqlSession buyer;
  NqlSession buyerAtZero;
  long buyerId;

  @BeforeAll
  void setUp() throws Exception {
    Path ingest = dir.resolve("ingest");
    Path src = Files.createDirectories(ingest.resolve("acme"));
    // id 6 has NULLs
    Files.writeString(
        src.resolve("nums.csv"),
        "id,i,b\n"
            + "1,"
            + INT_MAX
            + ","
            + LONG_MAX
            + "\n2,1,1\n3,"
            + INT_MIN
            + ","
            + LONG_MIN
            + "\n4,"
            + INT_MAX
            + ","
            + LONG_MAX
            + "\n5,-1,-1\n6,,\n");
    StringBuilder events = new StringBuilder("id,n\n");
    for (int i = 1; i <= 20; i++) {
      events.append(i).append(',').append(i * 10).append('\n');
    }
    Files.writeString(src.resolve("events.csv"), events);
    engine =
        NqlEngine.open(
            new EngineConfig(dir.resolve("wh"), null, null, null, List.of(ingest), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "buyer_co")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    acme = engine.trusted("acme_user");
    acme.execute("CREATE DATASET \"nums\" (id BIGINT, i INTEGER, b BIGINT)").close();
    acme.execute("COPY INTO company_data.nums FROM '" + src.resolve("nums.csv") + "'").close();
    acme.execute("CREATE DATASET \"events\" (id BIGINT, n INTEGER)").close();
    acme.execute("COPY INTO company_data.events FROM '" + src.resolve("events.csv") + "'").close();
    // rows 6..20 (n = 60..200) are the rule's; rows 1..5 (n = 10..50) it hides
    acme.execute(
            "CREATE ACCESS RULE \"events_n\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT e.id, e.n FROM company_data.events e WHERE e.id > 5")
        .close();
    // the rule's filter guards its multiplication: only row 2 (i = 1) reaches it
    acme.execute(
            "CREATE ACCESS RULE \"guarded\" PRICE_CPM_USD = 1000 SHARE WITH COMPANIES (buyer_co)"
                + " AS SELECT e.id FROM company_data.nums e"
                + " WHERE CASE WHEN e.i BETWEEN 0 AND 100 THEN e.i * 100000000 > 5 ELSE FALSE END")
        .close();
    buyer = engine.trusted("buyer_co_user");
    buyer.setProperty("budget_usd", "100");
    buyerAtZero = engine.trusted("buyer_co_user");
    buyerId = engine.store().company("buyer_co").orElseThrow().id();
  }

  @AfterAll
  void tearDown() {
    buyerAtZero.close();
    buyer.close();
    acme.close();
    engine.close();
  }

  // ------------------------------------------------------------------------------------ SUM, AVG

  @ParameterizedTest(name = "vector={0}")
  @ValueSource(booleans = {true, false})
  void sumOfIntegersIsAnExactBigint(boolean vector) throws Exception {
    // the example of the issue: INTEGER wrapped to -2147483648
    assertSingle(vector, "SELECT SUM(x) FROM (VALUES (2147483647), (1)) t(x)", "BIGINT")
        .isEqualTo(INT_MAX.add(BigInteger.ONE).longValueExact());
    assertSingle(vector, "SELECT SUM(i) FROM company_data.nums WHERE id IN (1, 4)", "BIGINT")
        .isEqualTo(INT_MAX.add(INT_MAX).longValueExact());
    assertSingle(vector, "SELECT SUM(i) FROM company_data.nums", "BIGINT")
        .isEqualTo(
            INT_MAX
                .add(BigInteger.ONE)
                .add(INT_MIN)
                .add(INT_MAX)
                .add(BigInteger.ONE.negate())
                .longValueExact());
    BigInteger smallMax = BigInteger.valueOf(Short.MAX_VALUE);
    assertSingle(
            vector,
            "SELECT SUM(x) FROM (VALUES (CAST(32767 AS SMALLINT)), (CAST(32767 AS SMALLINT))) t(x)",
            "BIGINT")
        .isEqualTo(smallMax.add(smallMax).longValueExact());
    assertSingle(vector, "SELECT SUM(i) FROM company_data.nums WHERE id > 100", "BIGINT").isNull();
    // DISTINCT, FILTER, GROUP BY
    assertSingle(vector, "SELECT SUM(DISTINCT i) FROM company_data.nums", "BIGINT")
        .isEqualTo(INT_MAX.add(BigInteger.ONE).add(INT_MIN).subtract(BigInteger.ONE).longValue());
    assertSingle(
            vector, "SELECT SUM(i) FILTER (WHERE id IN (1, 4)) FROM company_data.nums", "BIGINT")
        .isEqualTo(INT_MAX.add(INT_MAX).longValueExact());
    assertThat(
            run(
                    session(vector),
                    "SELECT id > 2 AS k, SUM(i) FROM company_data.nums GROUP BY id > 2 ORDER BY k")
                .rows())
        .containsExactly(
            List.of(false, INT_MAX.add(BigInteger.ONE).longValueExact()),
            List.of(true, INT_MIN.add(INT_MAX).subtract(BigInteger.ONE).longValueExact()));
    // as a window aggregate, and through Arrow batches
    Result w =
        run(
            session(vector),
            "SELECT id, SUM(i) OVER (ORDER BY id) FROM company_data.nums WHERE id IN (1, 4)"
                + " ORDER BY id");
    assertThat(w.types()).containsExactly("BIGINT", "BIGINT");
    assertThat(w.rows())
        .containsExactly(
            List.of(1L, INT_MAX.longValueExact()), List.of(4L, INT_MAX.add(INT_MAX).longValue()));
    try (StatementResult r =
        session(vector).execute("SELECT SUM(i) FROM company_data.nums WHERE id IN (1, 4)")) {
      assertThat(ResultText.read(r, true, 16))
          .containsExactly(List.of(INT_MAX.add(INT_MAX).toString()));
    }
  }

  @ParameterizedTest(name = "vector={0}")
  @ValueSource(booleans = {true, false})
  void sumOfBigintIsExactOrFails(boolean vector) throws Exception {
    // the example of the issue: BIGINT wrapped to -9223372036854775808
    assertOutOfRange(
        vector,
        "SELECT SUM(x) FROM (VALUES (CAST(9223372036854775807 AS BIGINT)), (CAST(1 AS BIGINT)))"
            + " t(x)",
        "SUM",
        "BIGINT");
    assertOutOfRange(
        vector, "SELECT SUM(b) FROM company_data.nums WHERE id IN (1, 2)", "SUM", "BIGINT");
    // MAX + 1 + MIN + MAX - 1 fits, although a running sum in 64 bits would wrap on the way
    assertSingle(vector, "SELECT SUM(b) FROM company_data.nums", "BIGINT")
        .isEqualTo(
            LONG_MAX
                .add(BigInteger.ONE)
                .add(LONG_MIN)
                .add(LONG_MAX)
                .subtract(BigInteger.ONE)
                .longValueExact());
    assertOutOfRange(
        vector,
        "SELECT SUM(b) OVER (ORDER BY id) FROM company_data.nums WHERE id IN (1, 2)",
        "SUM",
        "BIGINT");
    // exact whatever the order of the rows: MAX + 1 - 1 fits although MAX + 1 does not
    assertSingle(vector, "SELECT SUM(b) FROM company_data.nums WHERE id IN (1, 2, 5)", "BIGINT")
        .isEqualTo(LONG_MAX.add(BigInteger.ONE).subtract(BigInteger.ONE).longValueExact());
    assertSingle(vector, "SELECT SUM(b) FROM company_data.nums WHERE id IN (5, 2, 1)", "BIGINT")
        .isEqualTo(LONG_MAX.longValueExact());
    assertSingle(vector, "SELECT SUM(b) FROM company_data.nums WHERE id IN (1, 3)", "BIGINT")
        .isEqualTo(LONG_MAX.add(LONG_MIN).longValueExact());
  }

  @ParameterizedTest(name = "vector={0}")
  @ValueSource(booleans = {true, false})
  void avgOfIntegersNeverOverflowsItsSum(boolean vector) throws Exception {
    BigInteger two = BigInteger.TWO;
    // AVG of integers keeps its type and truncates toward zero, as before (BigInteger.divide)
    assertSingle(vector, "SELECT AVG(i) FROM company_data.nums WHERE id IN (1, 4)", "INTEGER")
        .isEqualTo(INT_MAX.add(INT_MAX).divide(two).intValueExact());
    assertSingle(vector, "SELECT AVG(i) FROM company_data.nums WHERE id IN (1, 2)", "INTEGER")
        .isEqualTo(INT_MAX.add(BigInteger.ONE).divide(two).intValueExact());
    assertSingle(vector, "SELECT AVG(i) FROM company_data.nums WHERE id IN (3, 5)", "INTEGER")
        .isEqualTo(INT_MIN.subtract(BigInteger.ONE).divide(two).intValueExact());
    assertSingle(vector, "SELECT AVG(b) FROM company_data.nums WHERE id IN (1, 4)", "BIGINT")
        .isEqualTo(LONG_MAX.add(LONG_MAX).divide(two).longValueExact());
    assertSingle(vector, "SELECT AVG(b) FROM company_data.nums WHERE id IN (1, 2)", "BIGINT")
        .isEqualTo(LONG_MAX.add(BigInteger.ONE).divide(two).longValueExact());
    assertSingle(vector, "SELECT AVG(b) FROM company_data.nums WHERE id > 100", "BIGINT").isNull();
    Result w =
        run(
            session(vector),
            "SELECT AVG(i) OVER (), AVG(b) OVER () FROM company_data.nums WHERE id IN (1, 4)");
    assertThat(w.types()).containsExactly("INTEGER", "BIGINT");
    assertThat(w.rows())
        .containsExactly(
            List.of(Integer.MAX_VALUE, Long.MAX_VALUE), List.of(Integer.MAX_VALUE, Long.MAX_VALUE));
  }

  @ParameterizedTest(name = "vector={0}")
  @ValueSource(booleans = {true, false})
  void variancesOfIntegersNeverWrapAround(boolean vector) throws Exception {
    // Calcite's reduction squares in the argument's type: 50000 * 50000 wrapped and STDDEV_POP
    // answered 0. Expected: (Σx² - (Σx)² / n) / d in integers, truncated toward zero (Calcite's
    // formula and type), and its square root truncated.
    BigInteger a = BigInteger.valueOf(50000);
    BigInteger b = BigInteger.valueOf(60000);
    BigInteger s1 = a.add(b);
    BigInteger diff =
        a.multiply(a).add(b.multiply(b)).subtract(s1.multiply(s1).divide(BigInteger.TWO));
    BigInteger varPop = diff.divide(BigInteger.TWO);
    BigInteger varSamp = diff.divide(BigInteger.ONE);
    Result r =
        run(
            session(vector),
            "SELECT STDDEV_POP(x), VAR_POP(x), STDDEV_SAMP(x), VAR_SAMP(x), STDDEV(x),"
                + " VARIANCE(x) FROM (VALUES (50000), (60000)) t(x)");
    assertThat(r.types()).containsOnly("INTEGER");
    assertThat(r.rows())
        .containsExactly(
            List.of(
                varPop.sqrt().intValueExact(),
                varPop.intValueExact(),
                varSamp.sqrt().intValueExact(),
                varSamp.intValueExact(),
                varSamp.sqrt().intValueExact(),
                varSamp.intValueExact()));
    assertThat(
            run(
                    session(vector),
                    "SELECT STDDEV_POP(x) OVER (), VAR_SAMP(x) OVER () FROM (VALUES (50000),"
                        + " (60000)) t(x)")
                .rows())
        .containsExactly(
            List.of(varPop.sqrt().intValueExact(), varSamp.intValueExact()),
            List.of(varPop.sqrt().intValueExact(), varSamp.intValueExact()));
    // MAX and 1: the variance (about 2^60) does not fit INTEGER, its square root does
    BigInteger m = INT_MAX;
    BigInteger sum = m.add(BigInteger.ONE);
    BigInteger v =
        m.multiply(m)
            .add(BigInteger.ONE)
            .subtract(sum.multiply(sum).divide(BigInteger.TWO))
            .divide(BigInteger.TWO);
    assertOutOfRange(
        vector,
        "SELECT VAR_POP(i) FROM company_data.nums WHERE id IN (1, 2)",
        "VAR_POP",
        "INTEGER");
    assertSingle(
            vector, "SELECT STDDEV_POP(i) FROM company_data.nums WHERE id IN (1, 2)", "INTEGER")
        .isEqualTo(v.sqrt().intValueExact());
    assertSingle(vector, "SELECT STDDEV_POP(b) FROM company_data.nums WHERE id IN (1, 4)", "BIGINT")
        .isEqualTo(0L);
    assertSingle(vector, "SELECT VAR_SAMP(i) FROM company_data.nums WHERE id = 2", "INTEGER")
        .isNull();
    assertSingle(vector, "SELECT VAR_POP(b) FROM company_data.nums WHERE id > 100", "BIGINT")
        .isNull();
  }

  // ------------------------------------------------------------------------ scalar arithmetic

  static Stream<Arguments> overflows() {
    String nums = " FROM company_data.nums WHERE id = ";
    return Stream.of(
        // the example of the issue
        Arguments.of("SELECT x + 1 FROM (VALUES (2147483647)) t(x)", "+", "INTEGER"),
        Arguments.of("SELECT 2147483647 + 1", "+", "INTEGER"),
        Arguments.of("SELECT 9223372036854775807 + 1", "+", "BIGINT"),
        Arguments.of("SELECT i + 1" + nums + 1, "+", "INTEGER"),
        Arguments.of("SELECT i - 1" + nums + 3, "-", "INTEGER"),
        Arguments.of("SELECT i * i" + nums + 1, "*", "INTEGER"),
        Arguments.of("SELECT i * 2" + nums + 3, "*", "INTEGER"),
        Arguments.of("SELECT -i" + nums + 3, "-", "INTEGER"),
        Arguments.of("SELECT -(-i)" + nums + 3, "-", "INTEGER"),
        Arguments.of("SELECT i / -1" + nums + 3, "/", "INTEGER"),
        Arguments.of("SELECT ABS(i)" + nums + 3, "ABS", "INTEGER"),
        Arguments.of("SELECT b + 1" + nums + 1, "+", "BIGINT"),
        Arguments.of("SELECT b - 1" + nums + 3, "-", "BIGINT"),
        Arguments.of("SELECT b * b" + nums + 1, "*", "BIGINT"),
        Arguments.of("SELECT -b" + nums + 3, "-", "BIGINT"),
        Arguments.of("SELECT b / -1" + nums + 3, "/", "BIGINT"),
        Arguments.of("SELECT ABS(b)" + nums + 3, "ABS", "BIGINT"),
        Arguments.of("SELECT i + b" + nums + 1, "+", "BIGINT"),
        Arguments.of("SELECT CAST(32767 AS SMALLINT) + CAST(1 AS SMALLINT)", "+", "SMALLINT"),
        Arguments.of("SELECT CAST(-128 AS TINYINT) * CAST(-1 AS TINYINT)", "*", "TINYINT"),
        // in a filter, under IS NOT NULL (which must not be folded away), grouped, nested
        Arguments.of("SELECT id FROM company_data.nums WHERE i + 1 > 0", "+", "INTEGER"),
        Arguments.of("SELECT id FROM company_data.nums WHERE (i + 1) IS NOT NULL", "+", "INTEGER"),
        Arguments.of(
            "SELECT i * 2 AS k, COUNT(*) FROM company_data.nums GROUP BY i * 2", "*", "INTEGER"),
        Arguments.of("SELECT (SELECT MAX(b) + 1 FROM company_data.nums)", "+", "BIGINT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overflows")
  void arithmeticThatOverflowsFails22003(String sql, String operation, String type) {
    for (boolean vector : new boolean[] {true, false}) {
      assertOutOfRange(vector, sql, operation, type);
    }
  }

  static Stream<Arguments> narrowingCasts() {
    String nums = " FROM company_data.nums WHERE id = ";
    return Stream.of(
        Arguments.of("SELECT CAST(3000000000 AS INTEGER)", "INTEGER"),
        Arguments.of("SELECT CAST(b AS INTEGER)" + nums + 1, "INTEGER"),
        Arguments.of("SELECT CAST(b AS INTEGER)" + nums + 3, "INTEGER"),
        Arguments.of("SELECT CAST(i AS SMALLINT)" + nums + 1, "SMALLINT"),
        Arguments.of("SELECT CAST(b AS TINYINT)" + nums + 3, "TINYINT"),
        Arguments.of("SELECT CAST(3000000000.5 AS INTEGER)", "INTEGER"),
        Arguments.of("SELECT CAST(1e19 AS BIGINT)", "BIGINT"),
        Arguments.of("SELECT CAST(CAST(b AS DECIMAL(20, 0)) + 1 AS BIGINT)" + nums + 1, "BIGINT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("narrowingCasts")
  void narrowingCastsThatOverflowFail22003(String sql, String type) {
    for (boolean vector : new boolean[] {true, false}) {
      assertOutOfRange(vector, sql, "CAST", type);
    }
  }

  @ParameterizedTest(name = "vector={0}")
  @ValueSource(booleans = {true, false})
  void arithmeticThatFitsIsUnchanged(boolean vector) throws Exception {
    NqlSession s = session(vector);
    String nums = " FROM company_data.nums WHERE id = ";
    assertThat(
            run(
                    s,
                    "SELECT i + 1, i - 1, i * 3, -i, 7 / i, i / 2, ABS(-i), -7 / 2, MOD(-7, 2),"
                        + " CAST(b AS INTEGER), b + i, CAST(i AS SMALLINT) + CAST(1 AS SMALLINT)"
                        + nums
                        + 2)
                .rows())
        .containsExactly(List.of(2, 0, 3, -1, 7, 0, 1, -3, -1, 1, 2L, (short) 2));
    BigInteger one = BigInteger.ONE;
    assertThat(
            run(
                    s,
                    "SELECT i - 1, i + 0, -i, i / -1, i * 1, b - 1, -b, CAST(i AS BIGINT) + 1,"
                        + " CAST(b AS DECIMAL(19, 0)) + 1, i + 0.5, CAST(i AS DOUBLE) * 2"
                        + nums
                        + 1)
                .rows())
        .containsExactly(
            List.of(
                INT_MAX.subtract(one).intValueExact(),
                INT_MAX.intValueExact(),
                INT_MAX.negate().intValueExact(),
                INT_MAX.negate().intValueExact(),
                INT_MAX.intValueExact(),
                LONG_MAX.subtract(one).longValueExact(),
                LONG_MAX.negate().longValueExact(),
                INT_MAX.add(one).longValueExact(),
                new BigDecimal(LONG_MAX.add(one)),
                new BigDecimal(INT_MAX).add(new BigDecimal("0.5")),
                INT_MAX.doubleValue() * 2));
    assertThat(
            run(
                    s,
                    "SELECT i + 1, i / 1, ABS(i + 1), CAST(i AS BIGINT) * 2, -(i + 1), b + 1,"
                        + " CAST(b AS INTEGER) FROM company_data.nums WHERE id = 5"
                        + " UNION ALL SELECT i + 1, i / 1, ABS(i + 1), CAST(i AS BIGINT) * 2,"
                        + " -(i + 1), b + 1, 0"
                        + nums
                        + 3)
                .rows())
        .containsExactlyInAnyOrder(
            List.of(0, -1, 0, -2L, 0, 0L, -1),
            List.of(
                INT_MIN.add(one).intValueExact(),
                INT_MIN.intValueExact(),
                INT_MIN.add(one).abs().intValueExact(),
                INT_MIN.multiply(BigInteger.TWO).longValueExact(),
                INT_MIN.add(one).negate().intValueExact(),
                LONG_MIN.add(one).longValueExact(),
                0));
    assertThat(run(s, "SELECT i + 1, -b, ABS(i), CAST(b AS INTEGER)" + nums + 6).rows())
        .containsExactly(Arrays.asList(null, null, null, null));
  }

  @Test
  void theVectorPathLeavesArithmeticToTheRowEngine() throws Exception {
    acme.setProperty("vector_execution", "true");
    assertThat(run(acme, "SELECT id FROM company_data.nums WHERE id = 2").vectorized()).isTrue();
    Result r = run(acme, "SELECT i + 1 FROM company_data.nums WHERE id = 2");
    assertThat(r.vectorized()).isFalse();
    assertThat(r.rows()).containsExactly(List.of(2));
  }

  // -------------------------------------------------------------------- payment, confidentiality

  @ParameterizedTest(name = "vector={0}")
  @ValueSource(booleans = {true, false})
  void anOverflowOnARuleRowChargesThatRowLikeADivisionByZero(boolean vector) {
    buyer.setProperty("vector_execution", Boolean.toString(vector));
    // the first row the rule delivers (n = 60) fails: 60 * 100000000 does not fit in INTEGER
    long overflow = charged("SELECT id FROM acme.events_n WHERE n * 100000000 > 0", "22003");
    long division = charged("SELECT id FROM acme.events_n WHERE 1 / (60 - n) > 0", "22012");
    assertThat(overflow).isEqualTo(division).isEqualTo(1);
    // n = 60 and 70 pass (1.8e9, 2.1e9), n = 80 fails (2.4e9 > 2^31 - 1): three rows
    assertThat(BigInteger.valueOf(70L * 30000000).compareTo(INT_MAX)).isNegative();
    assertThat(BigInteger.valueOf(80L * 30000000).compareTo(INT_MAX)).isPositive();
    overflow = charged("SELECT id FROM acme.events_n WHERE n * 30000000 > 0", "22003");
    division = charged("SELECT id FROM acme.events_n WHERE 1 / (80 - n) >= 0", "22012");
    assertThat(overflow).isEqualTo(division).isEqualTo(3);
  }

  @ParameterizedTest(name = "vector={0}")
  @ValueSource(booleans = {true, false})
  void anOverflowOnARowTheRuleHidesNeverSurfaces(boolean vector) throws Exception {
    buyer.setProperty("vector_execution", Boolean.toString(vector));
    // (100 - n) * 30000000 overflows on the hidden rows n = 10, 20 (2.7e9, 2.4e9), fits on the
    // rule's rows 6..12 (n = 60..120)
    long before = rowsCharged();
    assertThat(
            run(
                    buyer,
                    "SELECT id FROM acme.events_n WHERE id <= 12 AND (100 - n) * 30000000 > 0"
                        + " ORDER BY id")
                .rows())
        .containsExactly(List.of(6L), List.of(7L), List.of(8L), List.of(9L));
    assertThat(rowsCharged() - before).isEqualTo(4);
  }

  @ParameterizedTest(name = "vector={0}")
  @ValueSource(booleans = {true, false})
  void aCaseGuardingArithmeticKeepsGuardingIt(boolean vector) throws Exception {
    // i * 100000000 overflows on rows 1, 3 and 4; the CASE never evaluates it there (PostgreSQL
    // neither). Calcite 1.42's simplifier would flatten the CASE into AND with its own checked
    // operators and evaluate the product on every row.
    String guarded = "CASE WHEN i BETWEEN 0 AND 100 THEN i * 100000000 > 5 ELSE FALSE END";
    assertThat(run(session(vector), "SELECT id FROM company_data.nums WHERE " + guarded).rows())
        .containsExactly(List.of(2L));
    assertThat(
            run(session(vector), "SELECT id, " + guarded + " FROM company_data.nums ORDER BY id")
                .rows())
        .hasSize(6);
    // in a rule's filter: the rows the rule hides must not fail the buyer's statement
    buyer.setProperty("vector_execution", Boolean.toString(vector));
    assertThat(run(buyer, "SELECT id FROM acme.guarded").rows()).containsExactly(List.of(2L));
  }

  @ParameterizedTest(name = "vector={0}")
  @ValueSource(booleans = {true, false})
  void atBudgetZeroNothingIsReadSoNothingOverflows(boolean vector) throws Exception {
    buyerAtZero.setProperty("vector_execution", Boolean.toString(vector));
    long before = rowsCharged();
    try (StatementResult r =
        buyerAtZero.execute("SELECT id FROM acme.events_n WHERE n * 100000000 > 0")) {
      assertThat(r.next()).isNull();
      assertThat(r.warnings())
          .singleElement()
          .satisfies(w -> assertThat(w.sqlState()).isEqualTo("01N01"));
    }
    assertThat(rowsCharged() - before).isZero();
  }

  // ------------------------------------------------------------------------------------ helpers

  record Result(List<String> types, List<List<Object>> rows, boolean vectorized) {}

  NqlSession session(boolean vector) {
    acme.setProperty("vector_execution", Boolean.toString(vector));
    return acme;
  }

  static Result run(NqlSession session, String sql) throws Exception {
    try (StatementResult r = session.execute(sql)) {
      List<String> types = new ArrayList<>();
      ((QueryStatementResult) r).columns().forEach(c -> types.add(c.typeName()));
      List<List<Object>> rows = new ArrayList<>();
      for (Object[] row; (row = r.next()) != null; ) {
        rows.add(Arrays.asList(row));
      }
      return new Result(types, rows, ((QueryStatementResult) r).vectorized());
    }
  }

  org.assertj.core.api.ObjectAssert<Object> assertSingle(boolean vector, String sql, String type)
      throws Exception {
    Result r = run(session(vector), sql);
    assertThat(r.types()).as(sql).containsExactly(type);
    assertThat(r.rows()).as(sql).hasSize(1);
    return assertThat(r.rows().get(0).get(0)).as(sql);
  }

  void assertOutOfRange(boolean vector, String sql, String operation, String type) {
    for (int run = 0; run < 2; run++) {
      // twice: a compiled plan that failed must fail the same way when it is reused
      NqlException e = fails(session(vector), sql);
      assertThat(e.sqlState()).as("%s: %s", sql, e.getMessage()).isEqualTo("22003");
      assertThat(e.getMessage())
          .as(sql)
          .startsWith("Numeric value out of range")
          .contains(operation, type)
          .doesNotContain("\n", "Exception", "java.", "org.apache");
      for (String value : DATA_VALUES) {
        assertThat(e.getMessage()).as(sql).doesNotContain(value);
      }
    }
  }

  private long charged(String sql, String sqlState) {
    long before = rowsCharged();
    assertThat(fails(buyer, sql).sqlState()).as(sql).isEqualTo(sqlState);
    return rowsCharged() - before;
  }

  private long rowsCharged() {
    long rows = 0;
    for (LedgerEntry e : engine.store().ledger().entriesOf(buyerId)) {
      rows += e.rows();
    }
    return rows;
  }

  private static NqlException fails(NqlSession session, String sql) {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () -> {
              try (StatementResult r = session.execute(sql)) {
                List<Object[]> rows = new ArrayList<>();
                for (Object[] row; (row = r.next()) != null; ) {
                  rows.add(row);
                }
                throw new AssertionError(
                    sql + " succeeded with " + rows.stream().map(Arrays::toString).toList());
              }
            });
    assertThat(e).as(sql).isNotNull();
    return e;
  }
}
