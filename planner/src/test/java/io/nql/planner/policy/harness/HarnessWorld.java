package io.nql.planner.policy.harness;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.StatementResult;
import io.nql.planner.engine.StatementWarning;
import io.nql.planner.error.NqlException;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.LedgerEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One world: an engine with its own warehouse, set up by the same statements as every other world
 * from a {@link WorldData}, and a buyer whose statements are observed on either executor.
 *
 * <p>Companies {@code acme} (the provider), {@code buyer_co} and {@code globex} are created in that
 * order, so company ids are the same in every world. The buyer then creates its datasets {@code
 * events}, {@code us_events} and {@code private_events} (named like the provider's rules) and tries
 * to create datasets named by the provider dataset's id (see {@link WorldData#providerDatasetId}),
 * which is refused; the third company creates its padding datasets; the provider creates {@code
 * events} (whose id therefore differs between worlds with different padding) and the rules {@code
 * us_events}, {@code gbr_events}, {@code free_events} (shared with the buyer) and {@code
 * private_events} (not), so rule ids are the same in every world; the third company creates its own
 * datasets and rules last.
 *
 * <p>An <em>oracle</em> world instead gives the buyer, besides its own datasets, one plain dataset
 * per rule holding exactly the rule's visible rows and columns in file order ({@code m_us_events},
 * …).
 *
 * <p>A <em>plane</em> world ({@link #createOnPlane}) holds the provider's {@code events} in a
 * PostgreSQL data plane instead ({@link EventsPlane}: the same rows, read by the same rules); the
 * provider creates the plane just before the dataset, so ids are as in every other world.
 */
public final class HarnessWorld implements AutoCloseable {
  /** Every user's password. */
  public static final String PASSWORD = "harness-pw-1";

  /** The bootstrap admin's password. */
  public static final String ADMIN_PASSWORD = "harness-admin-1";

  /** The buyer's user name (company {@code buyer_co}). */
  public static final String BUYER = "buyer_user";

  private static final String[][] COMPANIES = {
    {"acme", "acme_user"}, {"buyer_co", BUYER}, {"globex", "globex_user"}
  };

  private final NqlEngine engine;
  private final Path dir;
  private final WorldData data;
  private final boolean oracle;
  private final EventsPlane plane;
  private final Map<String, String> tables = new LinkedHashMap<>();
  private final List<String> buyerSetup = new ArrayList<>();
  private final Set<String> seenStatements = new HashSet<>();
  private final Map<Long, String> ruleNames = new TreeMap<>();
  private final Map<String, Long> ruleIds = new TreeMap<>();
  private long buyerCompanyId;
  private long providerCompanyId;
  private Long providerDatasetId;
  private NqlSession vector;
  private NqlSession row;

  private HarnessWorld(
      NqlEngine engine, Path dir, WorldData data, boolean oracle, EventsPlane plane) {
    this.engine = engine;
    this.dir = dir;
    this.data = data;
    this.oracle = oracle;
    this.plane = plane;
  }

  /** Opens an engine under {@code dir} and sets the world up. */
  public static HarnessWorld create(Path dir, WorldData data) {
    return open(dir, data, false, null);
  }

  /**
   * Opens an engine under {@code dir} and sets the world up with the provider's {@code events} in
   * {@code plane} (its own table there, named after {@code dir}); every other dataset is embedded.
   */
  public static HarnessWorld createOnPlane(Path dir, WorldData data, EventsPlane plane) {
    return open(dir, data, false, plane);
  }

  /** Opens an engine under {@code dir} with the oracle world of {@code data}. */
  public static HarnessWorld createOracle(Path dir, WorldData data) {
    return open(dir, data, true, null);
  }

  private static HarnessWorld open(Path dir, WorldData data, boolean oracle, EventsPlane plane) {
    Path ingest = dir.resolve("ingest");
    try {
      java.nio.file.Files.createDirectories(ingest);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    EngineConfig config =
        new EngineConfig(warehouse(dir), null, null, null, List.of(ingest), ADMIN_PASSWORD);
    if (plane != null) {
      config = config.withPostgresImportHosts(List.of(EventsPlane.hostAndPort()));
    }
    NqlEngine engine = NqlEngine.open(config);
    HarnessWorld w = new HarnessWorld(engine, dir, data, oracle, plane);
    try {
      w.setUp(ingest);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    return w;
  }

  /** The warehouse directory of a world created under {@code dir}. */
  public static Path warehouse(Path dir) {
    return dir.resolve("wh");
  }

  public NqlEngine engine() {
    return engine;
  }

  public Path dir() {
    return dir;
  }

  public WorldData data() {
    return data;
  }

  /** Each {@link HarnessSource} token and the name this world's buyer reads it by. */
  public Map<String, String> tables() {
    return tables;
  }

  /** The outcome of each statement the buyer ran during setup (identical in every world). */
  public List<String> buyerSetup() {
    return buyerSetup;
  }

  /** Rule ids of the provider, by rule name. */
  public Map<String, Long> ruleIds() {
    return ruleIds;
  }

  public long providerCompanyId() {
    return providerCompanyId;
  }

  /** The id of the provider's dataset {@code events}, or null in an oracle world. */
  public Long providerDatasetId() {
    return providerDatasetId;
  }

  /**
   * Sessions on the plane's table still connected (none after a statement: each plane scan closes
   * its connection when the statement ends); empty for a world without a plane.
   */
  public List<String> planeSessionsLeft() {
    return plane == null ? List.of() : plane.sessionsLeft(dir.getFileName().toString());
  }

  /** What the generator may name in this world (meaningful for rule worlds). */
  public HarnessCatalog catalog() {
    return HarnessCatalog.of(providerCompanyId, ruleIds);
  }

  // ---------------------------------------------------------------------------------- setup

  private void setUp(Path ingest) {
    try (NqlSession admin = engine.trusted("admin")) {
      for (String[] c : COMPANIES) {
        must(admin, "CREATE COMPANY " + c[0]);
        must(
            admin, "CREATE USER \"" + c[1] + "\" COMPANY " + c[0] + " PASSWORD '" + PASSWORD + "'");
      }
    }
    buyerCompanyId = engine.store().company("buyer_co").orElseThrow().id();
    providerCompanyId = engine.store().company("acme").orElseThrow().id();
    try (NqlSession buyer = engine.trusted(BUYER);
        NqlSession acme = engine.trusted("acme_user");
        NqlSession globex = engine.trusted("globex_user")) {
      ownDataset(buyer, ingest, "events", data.buyerEvents());
      tables.put(HarnessSource.OWN.token(), "company_data.events");
      ownDataset(buyer, ingest, WorldData.D1_NAME, data.buyerDigitRows());
      ownDataset(buyer, ingest, WorldData.D2_NAME, data.buyerDigitRows().subList(0, 12));
      tables.put(HarnessSource.D1.token(), "company_data." + WorldData.D1_NAME);
      tables.put(HarnessSource.D2.token(), "company_data." + WorldData.D2_NAME);
      tables.put(HarnessSource.RS.token(), "narrative.rosetta_stone");
      // The buyer tries to name datasets by the ids the provider's dataset gets in the worlds: a
      // name of digits only is refused (it would be read as an id), the same way in every world.
      for (int padding : new int[] {0, WorldData.OTHER_COMPANY_PADDING}) {
        buyerStep(
            buyer,
            "CREATE DATASET \""
                + WorldData.providerDatasetId(padding)
                + "\" ("
                + OwnRow.COLUMNS
                + ")");
      }
      if (oracle) {
        materializeRules(buyer, ingest);
      } else {
        provider(acme, globex, ingest);
      }
    }
  }

  private void ownDataset(NqlSession buyer, Path ingest, String name, List<OwnRow> rows) {
    String file =
        Staging.stage(
            ingest,
            "buyer_co",
            "own_" + name + ".csv",
            Csv.file(OwnRow.HEADER, rows.stream().map(OwnRow::csv).toList()));
    buyerStep(buyer, "CREATE DATASET \"" + name + "\" (" + OwnRow.COLUMNS + ")");
    buyerStep(buyer, "COPY INTO company_data.\"" + name + "\" FROM '" + file + "'");
  }

  private void provider(NqlSession acme, NqlSession globex, Path ingest) {
    for (int i = 1; i <= data.globexPadding(); i++) {
      must(globex, "CREATE DATASET \"pad_" + i + "\" (x INTEGER)");
    }
    if (plane == null) {
      String events =
          Staging.stage(
              ingest,
              "acme",
              "events.csv",
              Csv.file(
                  ProviderRow.HEADER,
                  data.providerEvents().stream().map(ProviderRow::csv).toList()));
      must(acme, "CREATE DATASET \"events\" (" + ProviderRow.COLUMNS + ")");
      must(acme, "COPY INTO company_data.events FROM '" + events + "'");
    } else {
      must(acme, EventsPlane.createPlane());
      must(acme, plane.createDataset(dir.getFileName().toString(), data.providerEvents()));
    }
    String g =
        Staging.stage(
            ingest,
            "globex",
            "events.csv",
            Csv.file(OwnRow.HEADER, data.globexEvents().stream().map(OwnRow::csv).toList()));
    must(globex, "CREATE DATASET \"events\" (" + OwnRow.COLUMNS + ")");
    must(globex, "COPY INTO company_data.events FROM '" + g + "'");
    must(globex, "CREATE DATASET \"us_events\" (" + OwnRow.COLUMNS + ")");
    must(globex, "COPY INTO company_data.us_events FROM '" + g + "'");
    must(
        acme,
        "CREATE ACCESS RULE \"us_events\" PRICE_CPM_USD = 2.00 SHARE WITH COMPANIES (buyer_co)"
            + " AS SELECT e.id, e.grp, e.qty, e.code, e.big, e.amount, e.label"
            + " FROM company_data.events e WHERE e.country = 'USA'");
    must(
        acme,
        "CREATE ACCESS RULE \"gbr_events\" PRICE_CPM_USD = 1.00 SHARE WITH ALL"
            + " AS SELECT e.id, e.grp, e.amount FROM company_data.events e"
            + " WHERE e.country = 'GBR'");
    must(
        acme,
        "CREATE ACCESS RULE \"free_events\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (buyer_co)"
            + " AS SELECT e.id, e.grp, UPPER(e.label) AS label_up FROM company_data.events e"
            + " WHERE e.country = 'DEU'");
    must(
        acme,
        "CREATE ACCESS RULE \"private_events\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES (globex)"
            + " AS SELECT e.id, e.grp, e.secret, e.country FROM company_data.events e");
    must(
        globex,
        "CREATE ACCESS RULE \"g_events\" PRICE_CPM_USD = 0 SHARE WITH ALL EXCEPT (buyer_co)"
            + " AS SELECT g.id, g.grp, g.tag FROM company_data.events g");
    // The Rosetta Stone over events; the guards keep the mapping checks independent of the rows
    // no rule shares (whose values differ between worlds).
    must(
        acme,
        "CREATE MAPPING ON company_data.events"
            + " ATTRIBUTE age AS CASE WHEN grp BETWEEN 0 AND 130 THEN grp END,"
            + " ATTRIBUTE postal_code AS CASE WHEN code SIMILAR TO '[0-9]{1,9}' THEN 'P' || code"
            + " END,"
            + " ATTRIBUTE iso_3166_1_country AS COUNTRY_CODE_3_TO_2(country)");
    if (data.otherCompanyExtras()) {
      must(acme, "CREATE DATASET \"archive\" (" + OwnRow.COLUMNS + ")");
      // acme stages its own copy: a company reads only its own ingest area.
      String a =
          Staging.stage(
              ingest,
              "acme",
              "archive.csv",
              Csv.file(OwnRow.HEADER, data.globexEvents().stream().map(OwnRow::csv).toList()));
      must(acme, "COPY INTO company_data.archive FROM '" + a + "'");
      must(
          acme,
          "CREATE ACCESS RULE \"archive_rule\" PRICE_CPM_USD = 0.50"
              + " SHARE WITH COMPANIES (globex) AS SELECT a.id, a.grp FROM company_data.archive a");
      must(
          acme,
          "CREATE OR REPLACE ACCESS RULE \"private_events\" PRICE_CPM_USD = 7.00"
              + " SHARE WITH COMPANIES (globex)"
              + " AS SELECT e.id, e.grp, e.hidden_num FROM company_data.events e"
              + " WHERE e.country <> 'USA'");
      must(
          globex,
          "CREATE ACCESS RULE \"g_extra\" PRICE_CPM_USD = 3.00 SHARE WITH ALL EXCEPT (buyer_co)"
              + " AS SELECT g.id, g.grp FROM company_data.us_events g WHERE g.grp > 2");
    }
    for (HarnessSource s : HarnessSource.values()) {
      if (s.isRule()) {
        tables.put(s.token(), "acme." + s.ruleName());
      }
    }
    for (AccessRule r : engine.store().accessRules().rules(providerCompanyId)) {
      ruleIds.put(r.name(), r.id());
    }
    providerDatasetId = engine.warehouse().dataset(providerCompanyId, "events").orElseThrow().id();
  }

  /** The rules' visible rows and columns as the buyer's own datasets, in file order. */
  private void materializeRules(NqlSession buyer, Path ingest) {
    for (HarnessSource s : HarnessSource.values()) {
      if (!s.isRule()) {
        continue;
      }
      List<String> lines = new ArrayList<>();
      for (ProviderRow r : data.providerEvents()) {
        switch (s) {
          case US -> {
            if ("USA".equals(r.country())) {
              lines.add(
                  Csv.line(r.id(), r.grp(), r.qty(), r.code(), r.big(), r.amount(), r.label()));
            }
          }
          case GBR -> {
            if ("GBR".equals(r.country())) {
              lines.add(Csv.line(r.id(), r.grp(), r.amount()));
            }
          }
          case FREE -> {
            if ("DEU".equals(r.country())) {
              String up = r.label() == null ? null : r.label().toUpperCase(Locale.ROOT);
              lines.add(Csv.line(r.id(), r.grp(), up));
            }
          }
          default -> throw new IllegalStateException(s.name());
        }
      }
      String header =
          String.join(",", s.columns().stream().map(HarnessSource.Column::name).toList());
      String name = "m_" + s.ruleName();
      String file = Staging.stage(ingest, "buyer_co", name + ".csv", Csv.file(header, lines));
      must(buyer, "CREATE DATASET \"" + name + "\" (" + s.declaredColumns() + ")");
      must(buyer, "COPY INTO company_data." + name + " FROM '" + file + "'");
      tables.put(s.token(), "company_data." + name);
    }
  }

  private static void must(NqlSession s, String sql) {
    try (StatementResult r = s.execute(sql)) {
      if (r.isQuery()) {
        while (r.next() != null) {
          // drain
        }
      }
    } catch (NqlException e) {
      throw new IllegalStateException("setup statement failed: " + sql + ": " + e, e);
    }
  }

  /** A buyer statement of the setup: its outcome is part of what the buyer observes. */
  private void buyerStep(NqlSession buyer, String sql) {
    String text = sql.replace(dir.toString(), "<dir>");
    try (StatementResult r = buyer.execute(sql)) {
      buyerSetup.add(text + " -> " + r.updateCount());
    } catch (NqlException e) {
      buyerSetup.add(text + " -> " + e.sqlState() + " " + Observation.normalize(e.getMessage()));
    }
  }

  // ---------------------------------------------------------------------------- observing

  /**
   * Runs the statement as the buyer on the vectorized path (where the plan allows; otherwise the
   * engine falls back) or on the row engine, and records what the buyer observes.
   */
  public synchronized Observation observe(HarnessStatement statement, boolean vectorized) {
    NqlSession s = session(vectorized);
    HarnessStatement.Rendered r = statement.render(tables);
    String budget = statement.budget().sessionUsd();
    if (budget != null) {
      s.setProperty("budget_usd", budget);
    }
    try {
      return run(s, r, statement.ordered());
    } finally {
      if (budget != null) {
        s.setProperty("budget_usd", "0");
      }
    }
  }

  /** Runs any buyer query (e.g. a charge count) and returns its rows, or its error. */
  public synchronized Observation query(HarnessStatement.Rendered r) {
    return run(session(false), r, false);
  }

  private NqlSession session(boolean vectorized) {
    if (vector == null) {
      vector = engine.trusted(BUYER);
      vector.setProperty("vector_execution", "true");
      row = engine.trusted(BUYER);
      row.setProperty("vector_execution", "false");
    }
    return vectorized ? vector : row;
  }

  private Observation run(NqlSession s, HarnessStatement.Rendered r, boolean ordered) {
    List<String> columns = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String error = null;
    String charge = null;
    StatementResult result = null;
    try {
      result = r.params().isEmpty() ? s.execute(r.sql()) : s.execute(r.sql(), r.params());
      for (ResultColumn c : result.columns()) {
        columns.add(c.name() + ":" + c.typeName());
      }
      for (Object[] values;
          rows.size() < Observation.MAX_ROWS && (values = result.next()) != null; ) {
        rows.add(Observation.row(java.util.Arrays.asList(values)));
      }
    } catch (NqlException e) {
      error = e.sqlState() + " " + Observation.normalize(e.getMessage());
    } catch (RuntimeException e) {
      error = "not an NqlException: " + e.getClass().getName() + ": " + e.getMessage();
    } finally {
      if (result != null) {
        try {
          result.close();
          for (StatementWarning w : result.warnings()) {
            warnings.add(w.sqlState() + " " + Observation.normalize(w.message()));
          }
          charge = result.charge().toString();
        } catch (RuntimeException e) {
          error = (error == null ? "" : error + "; ") + "close failed: " + e;
        }
      }
    }
    return new Observation(columns, rows, ordered, error, warnings, charge, newLedgerEntries());
  }

  /** The buyer's ledger entries of statements not seen before (the one just run). */
  private List<String> newLedgerEntries() {
    List<String> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (LedgerEntry e : engine.store().ledger().entriesOf(buyerCompanyId)) {
      if (seenStatements.contains(e.statementId())) {
        continue;
      }
      ids.add(e.statementId());
      String rule =
          ruleNames.computeIfAbsent(
              e.ruleId(),
              id ->
                  engine
                      .store()
                      .accessRules()
                      .version(id, e.ruleVersion())
                      .map(AccessRule::name)
                      .orElse("#" + id));
      out.add(
          "company "
              + e.providerCompanyId()
              + " rule "
              + rule
              + " v"
              + e.ruleVersion()
              + " rows="
              + e.rows()
              + " micros="
              + e.amountMicros()
              + " "
              + e.status());
    }
    seenStatements.addAll(ids);
    out.sort(null);
    return out;
  }

  @Override
  public synchronized void close() {
    if (vector != null) {
      vector.close();
      row.close();
    }
    engine.close();
  }
}
