package io.nql.planner.engine;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * A gateway with one ingest root and two companies, {@code acme} and {@code globex}, each with a
 * user and its area: the world of the COPY INTO tests of directories.
 */
final class CopyWorld implements AutoCloseable {
  final Path root;
  final Path warehouse;
  final NqlEngine engine;
  final NqlSession acme;
  final NqlSession globex;

  CopyWorld(Path dir) throws IOException {
    root = Files.createDirectories(dir.resolve("ingest")).toRealPath();
    Files.createDirectories(root.resolve("acme"));
    Files.createDirectories(root.resolve("globex"));
    warehouse = dir.resolve("wh");
    engine = NqlEngine.open(new EngineConfig(warehouse, null, null, null, List.of(root), "pw"));
    try (NqlSession admin = engine.trusted("admin")) {
      for (String c : List.of("acme", "globex")) {
        admin.execute("CREATE COMPANY " + c).close();
        admin.execute("CREATE USER \"" + c + "_user\" COMPANY " + c + " PASSWORD 'pw'").close();
      }
    }
    acme = engine.trusted("acme_user");
    globex = engine.trusted("globex_user");
  }

  /** A company's area. */
  Path area(String company) {
    return root.resolve(company);
  }

  /** Runs a statement and returns its update count. */
  static long update(NqlSession session, String sql) {
    try (StatementResult r = session.execute(sql)) {
      return r.updateCount();
    }
  }

  /** Runs a statement and returns its warnings (notices included). */
  static List<StatementWarning> warnings(NqlSession session, String sql) {
    try (StatementResult r = session.execute(sql)) {
      return r.warnings();
    }
  }

  /** The error of a statement that must fail. */
  static NqlException fails(NqlSession session, String sql) {
    return catchThrowableOfType(NqlException.class, () -> update(session, sql));
  }

  /** The first column of every row of a query, as text. */
  static List<String> column(NqlSession session, String sql) {
    List<String> out = new ArrayList<>();
    try (StatementResult r = session.execute(sql)) {
      for (Object[] row = r.next(); row != null; row = r.next()) {
        out.add(String.valueOf(row[0]));
      }
    }
    return out;
  }

  /** The single value of a query. */
  static Object value(NqlSession session, String sql) {
    try (StatementResult r = session.execute(sql)) {
      return r.next()[0];
    }
  }

  /** The Iceberg table of a dataset of acme's, or null when it does not exist. */
  Table table(String dataset) {
    long id = engine.store().company("acme").orElseThrow().id();
    return engine.warehouse().dataset(id, dataset).map(engine.warehouse()::loadTable).orElse(null);
  }

  /** The snapshots of a dataset of acme's, oldest first. */
  List<Snapshot> snapshots(String dataset) {
    List<Snapshot> out = new ArrayList<>();
    table(dataset).snapshots().forEach(out::add);
    return out;
  }

  /** Files of every table's data below the warehouse (to see that nothing was left behind). */
  List<Path> dataFiles() {
    try (Stream<Path> s = Files.walk(warehouse.resolve("data"))) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Parquet files in a dataset's table directory, referenced or not. */
  List<Path> tableFiles(String dataset) {
    Path location = Path.of(java.net.URI.create(table(dataset).location()));
    try (Stream<Path> s = Files.walk(location)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data files a dataset's current snapshot reads. */
  List<Path> liveFiles(String dataset) {
    List<Path> out = new ArrayList<>();
    try (var tasks = table(dataset).newScan().planFiles()) {
      tasks.forEach(t -> out.add(Path.of(java.net.URI.create(t.file().location()))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.stream().sorted().toList();
  }

  /** Writes {@code rows} CSV rows {@code id,name,amount} with ids from {@code firstId}. */
  static Path csv(Path file, long firstId, int rows) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder sb = new StringBuilder("id,name,amount\n");
    for (long i = firstId; i < firstId + rows; i++) {
      sb.append(i).append(",name ").append(i).append(',').append(i % 100).append(".25\n");
    }
    return Files.writeString(file, sb);
  }

  @Override
  public void close() {
    globex.close();
    acme.close();
    engine.close();
  }
}
