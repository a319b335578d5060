package io.nql.planner.store;

import static io.nql.planner.store.Database.display;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@link MetadataStore} over JDBC, for PostgreSQL and for H2 in PostgreSQL mode. */
final class JdbcMetadataStore implements MetadataStore {
  private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9_]*");
  private static final int MAX_SLUG_LENGTH = 63;
  private static final Pattern DATASET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_]{0,127}");
  private static final int MAX_USER_NAME_LENGTH = 128;
  private static final int GENERATED_PASSWORD_LENGTH = 24;

  private static final String COMPANY_COLUMNS = "id, slug";
  private static final String USER_COLUMNS = "id, name, company_id, is_admin";
  private static final String DATASET_COLUMNS =
      "id, company_id, name, iceberg_namespace, iceberg_name, created_at";

  private final Database db;
  private final AccessRules accessRules;
  private final Ledger ledger;
  private final JdbcQueryLog queryLog;
  private final String unmatchableHash = PasswordHasher.unmatchableHash();

  private JdbcMetadataStore(Database db) {
    this.db = db;
    this.accessRules = new JdbcAccessRules(db);
    this.ledger = new JdbcLedger(db);
    this.queryLog = new JdbcQueryLog(db);
  }

  /** The configuration of the embedded H2 database of a warehouse. */
  static StoreConfig embeddedConfig(Path warehouseDir) {
    Path dir = warehouseDir.toAbsolutePath().normalize().resolve("metadata");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw NqlException.of(
          ErrorCode.IO_ERROR, "Cannot create metadata directory %s: %s", dir, reason(e));
    }
    // WRITE_DELAY=0: a commit reaches the file before it returns. H2 otherwise keeps commits in
    // memory for up to a second, and a killed gateway would forget budget reservations it had
    // already delivered rows against (CrashReconciliationTest).
    String url =
        "jdbc:h2:file:"
            + dir.resolve("nql")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    return new StoreConfig(url, "nql", "");
  }

  /** Migrates the database to the current schema and opens the store. */
  static JdbcMetadataStore open(StoreConfig config) {
    return open(config, Database.CONNECTION_TIMEOUT);
  }

  /** As {@link #open(StoreConfig)}, waiting at most {@code connectionTimeout} for a connection. */
  static JdbcMetadataStore open(StoreConfig config, Duration connectionTimeout) {
    return new JdbcMetadataStore(Database.open(config, connectionTimeout));
  }

  @Override
  public StoreConfig config() {
    return db.config();
  }

  // Companies

  @Override
  public Company createCompany(String slug) {
    validateSlug(slug);
    return db.inTransaction("create company " + display(slug), h -> insertCompany(h, slug));
  }

  private static Company insertCompany(Handle h, String slug) throws SQLException {
    if (findCompany(h, slug).isPresent()) {
      throw duplicateCompany(slug, null);
    }
    long id =
        h.insertReturningId(
            e -> duplicateCompany(slug, e),
            "INSERT INTO companies (slug, created_at) VALUES (?, ?)",
            slug,
            Database.now());
    return new Company(id, slug);
  }

  private static NqlException duplicateCompany(String slug, Throwable cause) {
    return new NqlException(
        ErrorCode.DUPLICATE_OBJECT,
        "Cannot create company " + slug + ": a company with this slug already exists",
        cause);
  }

  private static void validateSlug(String slug) {
    if (slug == null || slug.isEmpty()) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE, "Cannot create company: the slug is empty");
    }
    if (slug.length() > MAX_SLUG_LENGTH) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create company %s: a slug has at most %d characters",
          display(slug),
          MAX_SLUG_LENGTH);
    }
    if (!SLUG.matcher(slug).matches()) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create company %s: a slug starts with a lower-case letter and has only"
              + " lower-case letters, digits and underscores",
          display(slug));
    }
    if (RESERVED_SLUGS.contains(slug)) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create company %s: the name is reserved for a built-in schema",
          slug);
    }
  }

  @Override
  public Optional<Company> company(String slug) {
    return db.read("read company " + display(slug), h -> findCompany(h, slug));
  }

  @Override
  public Optional<Company> company(long id) {
    return db.read("read company " + id, h -> findCompany(h, id));
  }

  @Override
  public List<Company> companies() {
    return db.read(
        "list companies",
        h ->
            h.list(
                "SELECT " + COMPANY_COLUMNS + " FROM companies ORDER BY slug",
                JdbcMetadataStore::toCompany));
  }

  private static Optional<Company> findCompany(Handle h, String slug) throws SQLException {
    return h.first(
        "SELECT " + COMPANY_COLUMNS + " FROM companies WHERE slug = ?",
        JdbcMetadataStore::toCompany,
        slug);
  }

  private static Optional<Company> findCompany(Handle h, long id) throws SQLException {
    return h.first(
        "SELECT " + COMPANY_COLUMNS + " FROM companies WHERE id = ?",
        JdbcMetadataStore::toCompany,
        id);
  }

  private static Company toCompany(ResultSet rs) throws SQLException {
    return new Company(rs.getLong("id"), rs.getString("slug"));
  }

  // Users

  @Override
  public User createUser(String name, long companyId, char[] password, boolean admin) {
    validateUserName(name);
    if (password == null || password.length == 0) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE, "Cannot create user %s: the password is empty", name);
    }
    String hash = PasswordHasher.hash(password);
    return db.inTransaction(
        "create user " + name,
        h -> {
          if (findCompany(h, companyId).isEmpty()) {
            throw NqlException.of(
                ErrorCode.UNDEFINED_OBJECT,
                "Cannot create user %s: no company has id %d",
                name,
                companyId);
          }
          return insertUser(h, name, companyId, hash, admin);
        });
  }

  private static User insertUser(Handle h, String name, long companyId, String hash, boolean admin)
      throws SQLException {
    if (findUser(h, name).isPresent()) {
      throw duplicateUser(name, null);
    }
    long id =
        h.insertReturningId(
            e -> duplicateUser(name, e),
            "INSERT INTO users (name, company_id, password_hash, is_admin, created_at)"
                + " VALUES (?, ?, ?, ?, ?)",
            name,
            companyId,
            hash,
            admin,
            Database.now());
    return new User(id, name, companyId, admin);
  }

  private static NqlException duplicateUser(String name, Throwable cause) {
    return new NqlException(
        ErrorCode.DUPLICATE_OBJECT,
        "Cannot create user " + name + ": a user with this name already exists",
        cause);
  }

  private static void validateUserName(String name) {
    if (name == null || name.isEmpty()) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE, "Cannot create user: the name is empty");
    }
    if (name.length() > MAX_USER_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE,
          "Cannot create user %s: a user name has 1 to %d characters and no control characters",
          display(name),
          MAX_USER_NAME_LENGTH);
    }
  }

  @Override
  public Optional<User> user(String name) {
    return db.read("read user " + display(name), h -> findUser(h, name).map(UserRow::user));
  }

  @Override
  public List<User> users(long companyId) {
    return db.read(
        "list users",
        h ->
            h.list(
                "SELECT " + USER_COLUMNS + " FROM users WHERE company_id = ? ORDER BY name",
                JdbcMetadataStore::toUser,
                companyId));
  }

  @Override
  public Optional<User> authenticate(String name, char[] password) {
    Optional<UserRow> row =
        name == null ? Optional.empty() : db.read("authenticate user", h -> findUser(h, name));
    // Unknown users are checked against a hash of the same cost, so timing reveals nothing.
    String hash = row.map(UserRow::passwordHash).orElse(unmatchableHash);
    boolean matches = PasswordHasher.verify(password, hash);
    return matches && row.isPresent() ? row.map(UserRow::user) : Optional.empty();
  }

  @Override
  public void dropUser(String name) {
    db.inTransaction(
        "drop user " + display(name),
        h -> {
          if (h.update("DELETE FROM users WHERE name = ?", name) == 0) {
            throw NqlException.of(
                ErrorCode.UNDEFINED_OBJECT, "Cannot drop user %s: no such user", display(name));
          }
          return null;
        });
  }

  private static Optional<UserRow> findUser(Handle h, String name) throws SQLException {
    return h.first(
        "SELECT " + USER_COLUMNS + ", password_hash FROM users WHERE name = ?",
        rs -> new UserRow(toUser(rs), rs.getString("password_hash")),
        name);
  }

  private static User toUser(ResultSet rs) throws SQLException {
    return new User(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getLong("company_id"),
        rs.getBoolean("is_admin"));
  }

  private record UserRow(User user, String passwordHash) {}

  @Override
  public BootstrapResult bootstrapAdmin(String password) {
    Optional<String> existing = db.read("look up admin", JdbcMetadataStore::anyAdmin);
    if (existing.isPresent()) {
      return new BootstrapResult(false, existing.get(), null);
    }
    boolean generate = password == null || password.isEmpty();
    String actual =
        generate ? PasswordHasher.generatePassword(GENERATED_PASSWORD_LENGTH) : password;
    char[] chars = actual.toCharArray();
    String hash = PasswordHasher.hash(chars);
    Arrays.fill(chars, '\0');
    return db.inTransaction(
        "create admin user " + ADMIN_USER,
        h -> {
          Optional<String> admin = anyAdmin(h);
          if (admin.isPresent()) {
            return new BootstrapResult(false, admin.get(), null);
          }
          Company operator = findCompany(h, OPERATOR_COMPANY).orElse(null);
          if (operator == null) {
            operator = insertCompany(h, OPERATOR_COMPANY);
          }
          if (findUser(h, ADMIN_USER).isPresent()) {
            throw NqlException.of(
                ErrorCode.DUPLICATE_OBJECT,
                "Cannot create admin user %s: a user with this name exists and is not an admin",
                ADMIN_USER);
          }
          insertUser(h, ADMIN_USER, operator.id(), hash, true);
          return new BootstrapResult(true, ADMIN_USER, generate ? actual : null);
        });
  }

  private static Optional<String> anyAdmin(Handle h) throws SQLException {
    return h.first(
        "SELECT MIN(name) AS name FROM users WHERE is_admin", rs -> rs.getString("name"));
  }

  // Datasets

  @Override
  public Dataset createDataset(long companyId, String name, DatasetAction beforeCommit) {
    return db.inTransaction(
        "create dataset " + display(name),
        h -> {
          Company owner =
              findCompany(h, companyId)
                  .orElseThrow(
                      () ->
                          NqlException.of(
                              ErrorCode.UNDEFINED_OBJECT,
                              "Cannot create dataset %s: no company has id %d",
                              display(name),
                              companyId));
          String qualified = owner.slug() + "." + display(name);
          if (name == null || !DATASET_NAME.matcher(name).matches()) {
            throw NqlException.of(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot create dataset %s: a dataset name has 1 to 128 letters, digits and"
                    + " underscores, and does not start with an underscore (reserved)",
                qualified);
          }
          if (name.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            // company_data."17" names the dataset with id 17: a name must never read as an id.
            throw NqlException.of(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot create dataset %s: a dataset name must not be only digits (company_data.\"<n>\""
                    + " names the dataset with id n)",
                qualified);
          }
          if (findDataset(h, companyId, name).isPresent()) {
            throw duplicateDataset(qualified, null);
          }
          if (h.exists(
              "SELECT 1 FROM access_rules WHERE company_id = ? AND name = ? AND live_key = 0",
              companyId,
              name)) {
            throw NqlException.of(
                ErrorCode.DUPLICATE_TABLE,
                "Cannot create dataset %s: an access rule of your company has this name",
                qualified);
          }
          long id = h.nextval("dataset_ids");
          Dataset dataset =
              new Dataset(
                  id, companyId, name, "c" + companyId, "d" + id, Database.now().toInstant());
          h.insert(
              e -> duplicateDataset(qualified, e),
              "INSERT INTO datasets (" + DATASET_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
              id,
              companyId,
              name,
              dataset.icebergNamespace(),
              dataset.icebergName(),
              dataset.createdAt());
          beforeCommit.run(dataset);
          return dataset;
        });
  }

  private static NqlException duplicateDataset(String qualified, Throwable cause) {
    return new NqlException(
        ErrorCode.DUPLICATE_TABLE,
        "Cannot create dataset " + qualified + ": a dataset with this name already exists",
        cause);
  }

  @Override
  public Optional<Dataset> dataset(long companyId, String name) {
    return db.read("read dataset " + display(name), h -> findDataset(h, companyId, name));
  }

  @Override
  public Optional<Dataset> datasetById(long companyId, long id) {
    return db.read(
        "read dataset " + id,
        h ->
            h.first(
                "SELECT " + DATASET_COLUMNS + " FROM datasets WHERE company_id = ? AND id = ?",
                JdbcMetadataStore::toDataset,
                companyId,
                id));
  }

  @Override
  public List<Dataset> datasets(long companyId) {
    return db.read(
        "list datasets",
        h ->
            h.list(
                "SELECT " + DATASET_COLUMNS + " FROM datasets WHERE company_id = ? ORDER BY name",
                JdbcMetadataStore::toDataset,
                companyId));
  }

  @Override
  public void deleteDataset(Dataset dataset, DatasetAction beforeCommit) {
    db.inTransaction(
        "drop dataset " + display(dataset.name()),
        h -> {
          int deleted =
              h.update(
                  "DELETE FROM datasets WHERE company_id = ? AND id = ?",
                  dataset.companyId(),
                  dataset.id());
          if (deleted == 0) {
            throw NqlException.of(
                ErrorCode.UNKNOWN_TABLE,
                "Cannot drop dataset %s: no such dataset",
                display(dataset.name()));
          }
          beforeCommit.run(dataset);
          return null;
        });
  }

  private static Optional<Dataset> findDataset(Handle h, long companyId, String name)
      throws SQLException {
    return h.first(
        "SELECT " + DATASET_COLUMNS + " FROM datasets WHERE company_id = ? AND name = ?",
        JdbcMetadataStore::toDataset,
        companyId,
        name);
  }

  private static Dataset toDataset(ResultSet rs) throws SQLException {
    return new Dataset(
        rs.getLong("id"),
        rs.getLong("company_id"),
        rs.getString("name"),
        rs.getString("iceberg_namespace"),
        rs.getString("iceberg_name"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  // Query log (see JdbcQueryLog)

  @Override
  public void logQueryStarted(
      String statementId, long companyId, long userId, String sqlText, Instant startedAt) {
    queryLog.started(statementId, companyId, userId, sqlText, startedAt);
  }

  @Override
  public void logQueryFinished(
      String statementId,
      QueryStatus status,
      Instant finishedAt,
      String sqlState,
      String errorMessage,
      QueryStats stats) {
    queryLog.finished(statementId, status, finishedAt, sqlState, errorMessage, stats);
  }

  @Override
  public List<QueryLogEntry> queryLog(long companyId, int limit) {
    return queryLog.entries(companyId, limit);
  }

  @Override
  public Optional<QueryLogEntry> queryLogEntry(String statementId) {
    return queryLog.entry(statementId);
  }

  @Override
  public AccessRules accessRules() {
    return accessRules;
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  @Override
  public void close() {
    db.close();
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? "I/O error" : Database.firstLine(e.getMessage());
  }
}
