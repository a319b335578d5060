package io.nql.planner.warehouse;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.Lineage;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Iceberg warehouse: one Iceberg table per dataset, registered in an Iceberg {@link
 * JdbcCatalog} that lives in the metadata store's database, with files under {@code
 * <root>/data/c<companyId>/d<datasetId>}.
 *
 * <p>The dataset row and its table are created and dropped together: a dataset never exists without
 * its table. Thread-safe.
 */
public final class Warehouse implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);
  private static final String CATALOG_NAME = "nql";

  /**
   * Parquet row-group size of new datasets' files (Iceberg's default is 128 MiB). A row group is
   * the unit that statistics let a filtered scan skip, and the generic Parquet reader decodes a
   * whole row group it cannot skip, so a point query reads about one row group: small ones keep it
   * short, at little cost to full scans of local files. Changeable per table through Iceberg's
   * {@code write.parquet.row-group-size-bytes}.
   */
  public static final long DEFAULT_ROW_GROUP_BYTES = 2L * 1024 * 1024;

  /**
   * Parquet page row limit of new datasets' files (Iceberg's default is 20,000). A page is the unit
   * the page index lets a filtered read skip within a row group, so a point lookup decodes about
   * one page of each column it reads. Measured on a million rows of six columns: 20,000-row pages
   * cost a point lookup about 2.1 ms of CPU, 2,000-row pages 0.6 ms (1,000 no less: the offset
   * index to decode grows), for 15 % more CPU in a full scan (docs/architecture.md, "Point
   * lookups"). Changeable per table through Iceberg's {@code write.parquet.page-row-limit}.
   */
  public static final int DEFAULT_PAGE_ROW_LIMIT = 2000;

  /** Iceberg table properties every new dataset's table starts with. */
  static final Map<String, String> TABLE_DEFAULTS =
      Map.of(
          TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
          Long.toString(DEFAULT_ROW_GROUP_BYTES),
          TableProperties.PARQUET_PAGE_ROW_LIMIT,
          Integer.toString(DEFAULT_PAGE_ROW_LIMIT),
          TableProperties.FORMAT_VERSION,
          Integer.toString(Lineage.FORMAT_VERSION));

  /** The file whose presence says every table of the warehouse has row lineage. */
  static final String LINEAGE_MARKER = "row-lineage";

  private final Path root;
  private final Path dataDir;
  private final MetadataStore store;
  private final boolean ownsStore;
  private final LocalFileIO io = new LocalFileIO();
  private final JdbcCatalog catalog;

  private Warehouse(Path root, MetadataStore store, boolean ownsStore) {
    this.root = root.toAbsolutePath().normalize();
    this.dataDir = this.root.resolve("data");
    this.store = Objects.requireNonNull(store, "store");
    this.ownsStore = ownsStore;
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw NqlException.of(
          ErrorCode.IO_ERROR, "Cannot open warehouse %s: cannot create its data directory", root);
    }
    this.catalog = openCatalog(store.config());
    upgradeTables();
  }

  /**
   * Gives the rows of tables created before row lineage their ids ({@link Lineage#upgrade}), so
   * that incremental reads can tell new rows from old. A table that cannot be upgraded stays
   * readable; incremental reads of it are refused. A pass that met no error leaves {@value
   * #LINEAGE_MARKER} in the warehouse's data directory, and later opens skip the pass (this version
   * creates every table with lineage).
   */
  private void upgradeTables() {
    Path marker = dataDir.resolve(LINEAGE_MARKER);
    if (Files.exists(marker)) {
      return;
    }
    int upgraded = 0;
    boolean failed = false;
    for (Namespace namespace : catalog.listNamespaces()) {
      for (TableIdentifier id : catalog.listTables(namespace)) {
        try {
          if (Lineage.upgrade(catalog.loadTable(id))) {
            upgraded++;
          }
        } catch (RuntimeException e) {
          failed = true;
          LOG.warn("Cannot give the rows of table {} lineage; incremental reads of it fail", id, e);
        }
      }
    }
    if (upgraded > 0) {
      LOG.info("Upgraded {} table(s) to Iceberg format v3 (row lineage)", upgraded);
    }
    if (!failed) {
      try {
        Files.writeString(marker, "format v3 (row lineage) for every table\n");
      } catch (IOException e) {
        LOG.warn("Cannot write {}: the next start checks every table again", marker, e);
      }
    }
  }

  /**
   * Opens the warehouse in {@code root} over an open metadata store. Closing the warehouse leaves
   * the store open.
   */
  public static Warehouse open(Path root, MetadataStore store) {
    return new Warehouse(root, store, false);
  }

  /**
   * Opens the warehouse in {@code root} with its embedded metadata store ({@code
   * <root>/metadata/}), which closing the warehouse closes too.
   */
  public static Warehouse embedded(Path root) {
    MetadataStore store = MetadataStore.embedded(root);
    try {
      return new Warehouse(root, store, true);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private JdbcCatalog openCatalog(StoreConfig config) {
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.URI, config.url());
    props.put(JdbcCatalog.PROPERTY_PREFIX + "user", config.user());
    props.put(JdbcCatalog.PROPERTY_PREFIX + "password", config.password());
    props.put(CatalogProperties.WAREHOUSE_LOCATION, location(dataDir));
    // The catalog's tables come from the store's migrations (see V2__iceberg_catalog.sql).
    props.put(JdbcCatalog.PROPERTY_PREFIX + "init-catalog-tables", "false");
    props.put(JdbcCatalog.PROPERTY_PREFIX + "schema-version", "V1");
    JdbcCatalog jdbcCatalog = new JdbcCatalog(ignored -> io, null, false);
    try {
      jdbcCatalog.initialize(CATALOG_NAME, props);
    } catch (RuntimeException e) {
      LOG.error("Cannot open the Iceberg catalog of warehouse {}", root, e);
      throw NqlException.of(
          ErrorCode.IO_ERROR, "Cannot open warehouse %s: the Iceberg catalog failed", root);
    }
    return jdbcCatalog;
  }

  /** The warehouse directory. */
  public Path root() {
    return root;
  }

  /** The metadata store the warehouse's datasets are registered in. */
  public MetadataStore store() {
    return store;
  }

  /** The Iceberg catalog; tables are named {@code c<companyId>.d<datasetId>}. */
  public Catalog catalog() {
    return catalog;
  }

  /** The file IO of the warehouse's tables. */
  public FileIO io() {
    return io;
  }

  /**
   * Creates a dataset and its empty Iceberg table, atomically: when the table cannot be created,
   * the dataset does not exist either.
   *
   * @param owner the owning company
   * @param name letters, digits and underscores, at most 128 characters
   * @param schema the table schema
   * @param spec the partition spec, built for {@code schema} (e.g. by {@link PartitionSpecs}); null
   *     for none
   * @throws NqlException DUPLICATE_TABLE when the owner already has a dataset with this name,
   *     INVALID_PARAMETER_VALUE for a bad name, IO_ERROR when the table cannot be created
   */
  public Dataset createDataset(Company owner, String name, Schema schema, PartitionSpec spec) {
    return createDataset(owner, name, schema, spec, SortOrder.unsorted(), List.of());
  }

  /**
   * Creates a dataset and its empty Iceberg table with a sort order and bloom filters, atomically:
   * when the table cannot be created, the dataset does not exist either.
   *
   * @param owner the owning company
   * @param name letters, digits and underscores, at most 128 characters
   * @param schema the table schema
   * @param spec the partition spec, built for {@code schema}; null for none
   * @param sortOrder the order in which writes sort each data file's rows, built for {@code schema}
   *     ({@link SortOrder#unsorted()} for none)
   * @param bloomFilterColumns columns whose Parquet column chunks carry a bloom filter
   * @throws NqlException as {@link #createDataset(Company, String, Schema, PartitionSpec)}
   */
  public Dataset createDataset(
      Company owner,
      String name,
      Schema schema,
      PartitionSpec spec,
      SortOrder sortOrder,
      Collection<String> bloomFilterColumns) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(sortOrder, "sortOrder");
    for (org.apache.iceberg.types.Types.NestedField f : schema.columns()) {
      if (Lineage.RESERVED.contains(f.name())) {
        throw NqlException.of(
            ErrorCode.INVALID_NAME,
            "Cannot create dataset %s: column name %s is reserved for row lineage",
            name,
            f.name());
      }
    }
    PartitionSpec partitioning = spec == null ? PartitionSpec.unpartitioned() : spec;
    Map<String, String> properties = new LinkedHashMap<>(TABLE_DEFAULTS);
    for (String column : bloomFilterColumns) {
      properties.put(TableProperties.PARQUET_BLOOM_FILTER_COLUMN_ENABLED_PREFIX + column, "true");
    }
    AtomicBoolean tableCreated = new AtomicBoolean();
    Dataset[] pending = new Dataset[1];
    try {
      return store.createDataset(
          owner.id(),
          name,
          dataset -> {
            pending[0] = dataset;
            createTable(owner, dataset, schema, partitioning, sortOrder, properties);
            tableCreated.set(true);
          });
    } catch (RuntimeException e) {
      // The row was rolled back; a table created before the commit failed must go too.
      if (tableCreated.get()) {
        dropTableQuietly(pending[0]);
      }
      throw e;
    }
  }

  private void createTable(
      Company owner,
      Dataset dataset,
      Schema schema,
      PartitionSpec spec,
      SortOrder sortOrder,
      Map<String, String> properties) {
    TableIdentifier id = identifier(dataset);
    Path location = tableDir(dataset);
    try {
      ensureNamespace(id.namespace());
      catalog
          .buildTable(id, schema)
          .withPartitionSpec(spec)
          .withSortOrder(sortOrder)
          .withLocation(location(location))
          .withProperties(properties)
          .create();
    } catch (RuntimeException e) {
      LOG.error("Cannot create Iceberg table {} at {}", id, location, e);
      deleteQuietly(location);
      throw NqlException.of(
          ErrorCode.IO_ERROR,
          "Cannot create dataset %s.%s: the warehouse cannot create its table",
          owner.slug(),
          dataset.name());
    }
  }

  private void ensureNamespace(Namespace namespace) {
    if (catalog.namespaceExists(namespace)) {
      return;
    }
    try {
      catalog.createNamespace(namespace, Map.of());
    } catch (AlreadyExistsException e) {
      // Created concurrently: fine.
    } catch (RuntimeException e) {
      if (!catalog.namespaceExists(namespace)) {
        throw e;
      }
    }
  }

  /**
   * The Iceberg table of a dataset, at its current snapshot.
   *
   * @throws NqlException IO_ERROR when the table is missing from the catalog; NOT_SUPPORTED for a
   *     dataset in a data plane (it has no Iceberg table)
   */
  public Table loadTable(Dataset dataset) {
    if (dataset.inPlane()) {
      // Every statement that needs the rows as Iceberg files (loads, DML, maintenance, exports)
      // comes here: a dataset in a data plane has none.
      throw NqlException.of(
          ErrorCode.NOT_SUPPORTED,
          "Cannot use dataset %s this way: it rests in data plane %s, which only queries read",
          dataset.name(),
          dataset.plane().plane());
    }
    try {
      return catalog.loadTable(identifier(dataset));
    } catch (NoSuchTableException e) {
      throw NqlException.of(
          ErrorCode.IO_ERROR,
          "Cannot load dataset %s: its table is missing from the warehouse",
          dataset.name());
    }
  }

  /**
   * Drops a dataset: its row, its catalog entry and its files. Its id is never reused.
   *
   * @throws NqlException UNKNOWN_TABLE when the dataset does not exist
   */
  public void dropDataset(Dataset dataset) {
    if (dataset.inPlane()) {
      // Its rows rest in the plane's table, which stays: only the dataset's row goes.
      store.deleteDataset(dataset, d -> {});
      return;
    }
    store.deleteDataset(dataset, d -> catalog.dropTable(identifier(d), false));
    // Files go only after the commit: a failed commit must leave a readable dataset.
    deleteQuietly(tableDir(dataset));
  }

  /** The dataset of a company with this name. */
  public Optional<Dataset> dataset(long companyId, String name) {
    return store.dataset(companyId, name);
  }

  /** The dataset of a company with this id. */
  public Optional<Dataset> datasetById(long companyId, long id) {
    return store.datasetById(companyId, id);
  }

  /** The datasets of a company, ordered by name. */
  public List<Dataset> datasets(long companyId) {
    return store.datasets(companyId);
  }

  /** Closes the catalog, and the store when the warehouse opened it. */
  @Override
  public void close() {
    try {
      catalog.close();
    } catch (RuntimeException e) {
      LOG.warn("Cannot close the Iceberg catalog of warehouse {}", root, e);
    } finally {
      if (ownsStore) {
        store.close();
      }
    }
  }

  private static TableIdentifier identifier(Dataset dataset) {
    return TableIdentifier.of(Namespace.of(dataset.icebergNamespace()), dataset.icebergName());
  }

  private Path tableDir(Dataset dataset) {
    return dataDir.resolve("c" + dataset.companyId()).resolve("d" + dataset.id());
  }

  private static String location(Path dir) {
    String uri = dir.toUri().toString();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  private void dropTableQuietly(Dataset dataset) {
    try {
      catalog.dropTable(identifier(dataset), false);
    } catch (RuntimeException e) {
      LOG.warn("Cannot drop Iceberg table of dataset {}", dataset.id(), e);
    }
    deleteQuietly(tableDir(dataset));
  }

  private static void deleteQuietly(Path dir) {
    try {
      LocalFileIO.deleteRecursively(dir);
    } catch (RuntimeException e) {
      LOG.warn("Cannot delete {}", dir, e);
    }
  }
}
