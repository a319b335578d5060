package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
  static final int MAX_SQL_TEXT_LENGTH = 100_000;
  static final int MAX_ERROR_MESSAGE_LENGTH = 2_000;
  private static final int GENERATED_PASSWORD_LENGTH = 24;

  static final String UNIQUE_VIOLATION = "23505";

  private static final String COMPANY_COLUMNS = "id, slug";
  private static final String USER_COLUMNS = "id, name, company_id, is_admin";
  private static final String DATASET_COLUMNS =
      "id, company_id, name, iceberg_namespace, iceberg_name, created_at";

  private final Database db;
  private final AccessRules accessRules = new JdbcAccessRules(this);
  private final Ledger ledger = new JdbcLedger(this);
  private final JdbcQueryLog queryLog = new JdbcQueryLog(this);
  private final String unmatchableHash = PasswordHasher.unmatchableHash();

  private JdbcMetadataStore(Database db) {
    this.db = db;
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
    return inTransaction(
        "create company " + display(slug),
        c -> {
          try {
            return insertCompany(c, slug);
          } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw duplicateCompany(slug, e);
            }
            throw e;
          }
        });
  }

  private static Company insertCompany(Connection c, String slug) throws SQLException {
    if (findCompany(c, slug).isPresent()) {
      throw duplicateCompany(slug, null);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO companies (slug, created_at) VALUES (?, ?)", new String[] {"id"})) {
      ps.setString(1, slug);
      ps.setObject(2, Database.now());
      ps.executeUpdate();
      return new Company(generatedId(ps), slug);
    }
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
    return read("read company " + display(slug), c -> findCompany(c, slug));
  }

  @Override
  public Optional<Company> company(long id) {
    return read("read company " + id, c -> findCompany(c, id));
  }

  @Override
  public List<Company> companies() {
    return read(
        "list companies",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COMPANY_COLUMNS + " FROM companies ORDER BY slug")) {
            return list(ps, JdbcMetadataStore::toCompany);
          }
        });
  }

  private static Optional<Company> findCompany(Connection c, String slug) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COMPANY_COLUMNS + " FROM companies WHERE slug = ?")) {
      ps.setString(1, slug);
      return first(ps, JdbcMetadataStore::toCompany);
    }
  }

  private static Optional<Company> findCompany(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COMPANY_COLUMNS + " FROM companies WHERE id = ?")) {
      ps.setLong(1, id);
      return first(ps, JdbcMetadataStore::toCompany);
    }
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
    return inTransaction(
        "create user " + name,
        c -> {
          if (findCompany(c, companyId).isEmpty()) {
            throw NqlException.of(
                ErrorCode.UNDEFINED_OBJECT,
                "Cannot create user %s: no company has id %d",
                name,
                companyId);
          }
          try {
            return insertUser(c, name, companyId, hash, admin);
          } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw duplicateUser(name, e);
            }
            throw e;
          }
        });
  }

  private static User insertUser(
      Connection c, String name, long companyId, String hash, boolean admin) throws SQLException {
    if (findUser(c, name).isPresent()) {
      throw duplicateUser(name, null);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO users (name, company_id, password_hash, is_admin, created_at)"
                + " VALUES (?, ?, ?, ?, ?)",
            new String[] {"id"})) {
      ps.setString(1, name);
      ps.setLong(2, companyId);
      ps.setString(3, hash);
      ps.setBoolean(4, admin);
      ps.setObject(5, Database.now());
      ps.executeUpdate();
      return new User(generatedId(ps), name, companyId, admin);
    }
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
    return read("read user " + display(name), c -> findUser(c, name).map(UserRow::user));
  }

  @Override
  public List<User> users(long companyId) {
    return read(
        "list users",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + USER_COLUMNS + " FROM users WHERE company_id = ? ORDER BY name")) {
            ps.setLong(1, companyId);
            return list(ps, JdbcMetadataStore::toUser);
          }
        });
  }

  @Override
  public Optional<User> authenticate(String name, char[] password) {
    Optional<UserRow> row =
        name == null ? Optional.empty() : read("authenticate user", c -> findUser(c, name));
    // Unknown users are checked against a hash of the same cost, so timing reveals nothing.
    String hash = row.map(UserRow::passwordHash).orElse(unmatchableHash);
    boolean matches = PasswordHasher.verify(password, hash);
    return matches && row.isPresent() ? row.map(UserRow::user) : Optional.empty();
  }

  @Override
  public void dropUser(String name) {
    inTransaction(
        "drop user " + display(name),
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
            ps.setString(1, name);
            if (ps.executeUpdate() == 0) {
              throw NqlException.of(
                  ErrorCode.UNDEFINED_OBJECT, "Cannot drop user %s: no such user", display(name));
            }
          }
          return null;
        });
  }

  private static Optional<UserRow> findUser(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + USER_COLUMNS + ", password_hash FROM users WHERE name = ?")) {
      ps.setString(1, name);
      return first(ps, rs -> new UserRow(toUser(rs), rs.getString("password_hash")));
    }
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
    Optional<String> existing = read("look up admin", JdbcMetadataStore::anyAdmin);
    if (existing.isPresent()) {
      return new BootstrapResult(false, existing.get(), null);
    }
    boolean generate = password == null || password.isEmpty();
    String actual =
        generate ? PasswordHasher.generatePassword(GENERATED_PASSWORD_LENGTH) : password;
    char[] chars = actual.toCharArray();
    String hash = PasswordHasher.hash(chars);
    Arrays.fill(chars, '\0');
    return inTransaction(
        "create admin user " + ADMIN_USER,
        c -> {
          Optional<String> admin = anyAdmin(c);
          if (admin.isPresent()) {
            return new BootstrapResult(false, admin.get(), null);
          }
          Company operator = findCompany(c, OPERATOR_COMPANY).orElse(null);
          if (operator == null) {
            operator = insertCompany(c, OPERATOR_COMPANY);
          }
          if (findUser(c, ADMIN_USER).isPresent()) {
            throw NqlException.of(
                ErrorCode.DUPLICATE_OBJECT,
                "Cannot create admin user %s: a user with this name exists and is not an admin",
                ADMIN_USER);
          }
          insertUser(c, ADMIN_USER, operator.id(), hash, true);
          return new BootstrapResult(true, ADMIN_USER, generate ? actual : null);
        });
  }

  private static Optional<String> anyAdmin(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT MIN(name) AS name FROM users WHERE is_admin")) {
      return first(ps, rs -> rs.getString("name")).filter(n -> n != null);
    }
  }

  // Datasets

  @Override
  public Dataset createDataset(long companyId, String name, DatasetAction beforeCommit) {
    return inTransaction(
        "create dataset " + display(name),
        c -> {
          Company owner =
              findCompany(c, companyId)
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
          if (findDataset(c, companyId, name).isPresent()) {
            throw duplicateDataset(qualified, null);
          }
          if (liveRuleNamed(c, companyId, name)) {
            throw NqlException.of(
                ErrorCode.DUPLICATE_TABLE,
                "Cannot create dataset %s: an access rule of your company has this name",
                qualified);
          }
          long id = nextDatasetId(c);
          Dataset dataset =
              new Dataset(id, companyId, name, "c" + companyId, "d" + id, instant(Database.now()));
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO datasets (" + DATASET_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, companyId);
            ps.setString(3, name);
            ps.setString(4, dataset.icebergNamespace());
            ps.setString(5, dataset.icebergName());
            ps.setObject(6, dataset.createdAt().atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
          } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw duplicateDataset(qualified, e);
            }
            throw e;
          }
          beforeCommit.run(dataset);
          return dataset;
        });
  }

  private static boolean liveRuleNamed(Connection c, long companyId, String name)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM access_rules WHERE company_id = ? AND name = ? AND live_key = 0")) {
      ps.setLong(1, companyId);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static NqlException duplicateDataset(String qualified, Throwable cause) {
    return new NqlException(
        ErrorCode.DUPLICATE_TABLE,
        "Cannot create dataset " + qualified + ": a dataset with this name already exists",
        cause);
  }

  private static long nextDatasetId(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT nextval('dataset_ids')");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public Optional<Dataset> dataset(long companyId, String name) {
    return read("read dataset " + display(name), c -> findDataset(c, companyId, name));
  }

  @Override
  public Optional<Dataset> datasetById(long companyId, long id) {
    return read(
        "read dataset " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + DATASET_COLUMNS + " FROM datasets WHERE company_id = ? AND id = ?")) {
            ps.setLong(1, companyId);
            ps.setLong(2, id);
            return first(ps, JdbcMetadataStore::toDataset);
          }
        });
  }

  @Override
  public List<Dataset> datasets(long companyId) {
    return read(
        "list datasets",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + DATASET_COLUMNS
                      + " FROM datasets WHERE company_id = ? ORDER BY name")) {
            ps.setLong(1, companyId);
            return list(ps, JdbcMetadataStore::toDataset);
          }
        });
  }

  @Override
  public void deleteDataset(Dataset dataset, DatasetAction beforeCommit) {
    inTransaction(
        "drop dataset " + display(dataset.name()),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM datasets WHERE company_id = ? AND id = ?")) {
            ps.setLong(1, dataset.companyId());
            ps.setLong(2, dataset.id());
            if (ps.executeUpdate() == 0) {
              throw NqlException.of(
                  ErrorCode.UNKNOWN_TABLE,
                  "Cannot drop dataset %s: no such dataset",
                  display(dataset.name()));
            }
          }
          beforeCommit.run(dataset);
          return null;
        });
  }

  private static Optional<Dataset> findDataset(Connection c, long companyId, String name)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + DATASET_COLUMNS + " FROM datasets WHERE company_id = ? AND name = ?")) {
      ps.setLong(1, companyId);
      ps.setString(2, name);
      return first(ps, JdbcMetadataStore::toDataset);
    }
  }

  private static Dataset toDataset(ResultSet rs) throws SQLException {
    return new Dataset(
        rs.getLong("id"),
        rs.getLong("company_id"),
        rs.getString("name"),
        rs.getString("iceberg_namespace"),
        rs.getString("iceberg_name"),
        instant(rs.getObject("created_at", OffsetDateTime.class)));
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

  // Plumbing

  /** One row of a result set to a value. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  <T> T read(String what, Database.Work<T> work) {
    return db.read(what, work);
  }

  <T> T inTransaction(String what, Database.Work<T> work) {
    return db.inTransaction(what, work);
  }

  static <T> Optional<T> first(PreparedStatement ps, RowMapper<T> mapper) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
    }
  }

  static <T> List<T> list(PreparedStatement ps, RowMapper<T> mapper) throws SQLException {
    List<T> result = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        result.add(mapper.map(rs));
      }
    }
    return List.copyOf(result);
  }

  private static long generatedId(PreparedStatement ps) throws SQLException {
    try (ResultSet keys = ps.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("no generated key", "XX000");
      }
      return keys.getLong(1);
    }
  }

  static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  static Instant instant(OffsetDateTime t) {
    return t.toInstant();
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  /** A user-supplied name made safe for a one-line message. */
  static String display(String s) {
    if (s == null) {
      return "(null)";
    }
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    return shown
        .codePoints()
        .map(cp -> Character.isISOControl(cp) ? '?' : cp)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? "I/O error" : Database.firstLine(e.getMessage());
  }
}
