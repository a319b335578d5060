package io.nql.server.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.policy.harness.Budget;
import io.nql.planner.policy.harness.Difference;
import io.nql.planner.policy.harness.HarnessReport;
import io.nql.planner.policy.harness.HarnessSettings;
import io.nql.planner.policy.harness.HarnessStatement;
import io.nql.planner.policy.harness.HarnessWorld;
import io.nql.planner.policy.harness.Observation;
import io.nql.planner.policy.harness.Observation.Aspect;
import io.nql.planner.policy.harness.StatementGenerator;
import io.nql.planner.policy.harness.WorldData;
import io.nql.server.behaviour.FrontEnd.Answer;
import io.nql.server.behaviour.FrontEnd.Client;
import io.nql.server.behaviour.FrontEnd.Failure;
import io.nql.server.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sample of the planner's noninterference harness ({@code NoninterferenceHarnessTest}) through
 * the real front ends: {@code jdbc:nql} through {@link java.sql.DriverManager}, Arrow's {@code
 * FlightSqlClient} and the official Arrow Flight SQL JDBC driver, each against gateways started on
 * port 0 over three worlds set up by {@link HarnessWorld}: the base world, a world differing in
 * everything no budget can buy (hidden rows, hidden columns, other companies: {@link
 * WorldData#withAllUnseenChanged()}), and a world whose priced rules show other rows (checked with
 * statements at budget 0).
 *
 * <p>Per front end, each statement must give the same observation in the base world and in the
 * other world: columns (name and the front end's type name), rows, the error (SQLSTATE and
 * message), the warnings the front end delivers (JDBC {@code SQLWarning}s, Flight metadata), and
 * the statement's rows of {@code company_data._ledger} read through the same front end, which must
 * all be {@code final} once the statement ended. Statements with {@code ?} parameters run as
 * prepared statements, their budget as the {@code budget_usd} connection property. Count: {@code
 * -Dnql.harness.statements} (default 50); seed: {@code -Dnql.harness.seed}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontEndNoninterferenceTest {
  static final int DEFAULT_STATEMENTS = 50;

  @TempDir static Path dir;

  private HarnessSettings settings;
  private final List<HarnessStatement> statements = new ArrayList<>();
  private Map<String, String> tables;
  private Path base;
  private Path unseen;
  private Path unpaid;

  @BeforeAll
  void setUp() {
    settings = HarnessSettings.fromSystemProperties(DEFAULT_STATEMENTS);
    WorldData data = WorldData.base();
    base = dir.resolve("base");
    unseen = dir.resolve("unseen");
    unpaid = dir.resolve("unpaid");
    StatementGenerator generator;
    try (HarnessWorld w = HarnessWorld.create(base, data)) {
      tables = w.tables();
      generator = new StatementGenerator(settings.seed(), w.catalog());
    }
    HarnessWorld.create(unseen, data.withAllUnseenChanged()).close();
    HarnessWorld.create(unpaid, Difference.UNPAID_ROWS.apply(data)).close();
    for (int i = 0; i < settings.statements(); i++) {
      statements.add(
          generator.next(
              i % 4 == 3
                  ? StatementGenerator.Mode.ZERO_BUDGET
                  : StatementGenerator.Mode.ANY_BUDGET));
    }
  }

  static Stream<Arguments> frontEnds() {
    Function<GatewayConfig, FrontEnd> jdbc = JdbcFrontEnd::new;
    Function<GatewayConfig, FrontEnd> flight = FlightSqlClientFrontEnd::new;
    Function<GatewayConfig, FrontEnd> flightJdbc = FlightJdbcFrontEnd::new;
    return Stream.of(
        Arguments.of("jdbc:nql", jdbc),
        Arguments.of("FlightSqlClient", flight),
        Arguments.of("Arrow Flight SQL JDBC", flightJdbc));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frontEnds")
  void buyerCannotTellTheWorldsApart(String name, Function<GatewayConfig, FrontEnd> start)
      throws Exception {
    HarnessReport report = new HarnessReport("noninterference over " + name, settings.seed());
    Set<Aspect> compared = EnumSet.complementOf(EnumSet.of(Aspect.CHARGE));
    try (FrontEnd b = start.apply(config(base));
        FrontEnd u = start.apply(config(unseen));
        FrontEnd p = start.apply(config(unpaid));
        Buyer inBase = new Buyer(b);
        Buyer inUnseen = new Buyer(u);
        Buyer inUnpaid = new Buyer(p)) {
      for (HarnessStatement s : statements) {
        boolean zero = s.mode() == StatementGenerator.Mode.ZERO_BUDGET;
        Observation left = inBase.observe(s);
        Observation right = (zero ? inUnpaid : inUnseen).observe(s);
        report.statement();
        report.compared();
        for (Observation o : List.of(left, right)) {
          if (o.ledgerLeftOpen()) {
            report.expectation(Observation.LEDGER_NOT_FINAL, name, s, tables, o.ledgerNotFinal());
            break;
          }
        }
        Set<Aspect> diff = left.differences(right, compared);
        if (!diff.isEmpty()) {
          String other = zero ? "unpaid rows" : "unseen";
          report.difference(other, name, s, tables, diff, "base", left, other, right);
        }
      }
    }
    System.out.println(report.summary(0));
    Path file = report.write(Path.of("target", "nql-harness"));
    assertThat(report.isEmpty())
        .withFailMessage(() -> report.summary(3) + "\nEvery failure: " + file.toAbsolutePath())
        .isTrue();
  }

  private static GatewayConfig config(Path world) {
    return GatewayConfig.builder(HarnessWorld.warehouse(world))
        .jdbcPort(0)
        .flightPort(0)
        .metricsPort(0)
        .bindAddress("127.0.0.1")
        .adminPassword(HarnessWorld.ADMIN_PASSWORD)
        .build();
  }

  /** The buyer of one world through one front end: a client per session budget. */
  private final class Buyer implements AutoCloseable {
    private final FrontEnd frontEnd;
    private final Map<String, Client> clients = new HashMap<>();
    private final Set<String> seenStatements = new HashSet<>();
    private boolean primed;

    Buyer(FrontEnd frontEnd) {
      this.frontEnd = frontEnd;
    }

    private Client client(String budgetUsd) throws Failure {
      String key = budgetUsd == null ? "" : budgetUsd;
      Client c = clients.get(key);
      if (c == null) {
        Map<String, String> properties =
            budgetUsd == null ? Map.of() : Map.of("budget_usd", budgetUsd);
        c = frontEnd.open(HarnessWorld.BUYER, HarnessWorld.PASSWORD, properties);
        clients.put(key, c);
      }
      return c;
    }

    Observation observe(HarnessStatement s) throws Failure {
      if (!primed) {
        ledger(); // the entries of earlier runs over this warehouse are not this statement's
        primed = true;
      }
      HarnessStatement.Rendered r = s.render(tables);
      Budget budget = s.budget();
      Client client = client(budget.sessionUsd());
      List<String> columns = new ArrayList<>();
      List<String> rows = new ArrayList<>();
      List<String> warnings = new ArrayList<>();
      String error = null;
      try {
        Answer a;
        if (r.params().isEmpty()) {
          a = client.query(r.sql());
        } else {
          try (FrontEnd.Prepared ps = client.prepare(r.sql())) {
            a = ps.execute(r.params());
          }
        }
        for (int i = 0; i < a.columnNames().size(); i++) {
          columns.add(a.columnNames().get(i) + ":" + a.columnTypes().get(i));
        }
        for (List<Object> row : a.rows()) {
          rows.add(Observation.row(row));
        }
        for (Map.Entry<String, String> w : a.warnings()) {
          warnings.add(w.getKey() + " " + Observation.normalize(w.getValue()));
        }
      } catch (Failure f) {
        error = f.sqlState() + " " + Observation.normalize(f.getMessage());
      }
      return new Observation(columns, rows, s.ordered(), error, warnings, null, ledger());
    }

    /** The ledger rows of statements not seen before, as the buyer reads them. */
    private List<String> ledger() throws Failure {
      Answer a =
          client(null)
              .query(
                  "SELECT statement_id, provider, rule, rule_version, rows_delivered,"
                      + " amount_micros, status FROM company_data._ledger");
      List<String> out = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (List<Object> row : a.rows()) {
        String id = (String) row.get(0);
        if (seenStatements.contains(id)) {
          continue;
        }
        ids.add(id);
        out.add(
            "provider "
                + row.get(1)
                + " rule "
                + row.get(2)
                + " v"
                + row.get(3)
                + " rows="
                + row.get(4)
                + " micros="
                + row.get(5)
                + " "
                + row.get(6));
      }
      seenStatements.addAll(ids);
      out.sort(null);
      return out;
    }

    @Override
    public void close() throws Failure {
      for (Client c : clients.values()) {
        c.close();
      }
    }
  }
}
