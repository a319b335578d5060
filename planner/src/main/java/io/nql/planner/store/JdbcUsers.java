package io.nql.planner.store;

import static io.nql.planner.store.Database.display;
import static io.nql.planner.store.MetadataStore.ADMIN_USER;
import static io.nql.planner.store.MetadataStore.OPERATOR_COMPANY;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Users and their authentication in the metadata store's {@code users} table (see V1__init.sql);
 * only salted password hashes are kept.
 */
final class JdbcUsers {
  private static final int MAX_USER_NAME_LENGTH = 128;
  private static final int GENERATED_PASSWORD_LENGTH = 24;
  private static final String USER_COLUMNS = "id, name, company_id, is_admin";

  private final Database db;
  private final String unmatchableHash = PasswordHasher.unmatchableHash();

  JdbcUsers(Database db) {
    this.db = db;
  }

  User create(String name, long companyId, char[] password, boolean admin) {
    validateUserName(name);
    if (password == null || password.length == 0) {
      throw NqlException.of(
          ErrorCode.INVALID_PARAMETER_VALUE, "Cannot create user %s: the password is empty", name);
    }
    String hash = PasswordHasher.hash(password);
    return db.inCatalogTransaction(
        "create user " + name,
        h -> {
          if (JdbcCompanies.find(h, companyId).isEmpty()) {
            throw NqlException.of(
                ErrorCode.UNDEFINED_OBJECT,
                "Cannot create user %s: no company has id %d",
                name,
                companyId);
          }
          return insert(h, name, companyId, hash, admin);
        });
  }

  private static User insert(Handle h, String name, long companyId, String hash, boolean admin)
      throws SQLException {
    if (find(h, name).isPresent()) {
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

  Optional<User> byName(String name) {
    return db.read("read user " + display(name), h -> find(h, name).map(UserRow::user));
  }

  List<User> ofCompany(long companyId) {
    return db.read(
        "list users",
        h ->
            h.list(
                "SELECT " + USER_COLUMNS + " FROM users WHERE company_id = ? ORDER BY name",
                JdbcUsers::toUser,
                companyId));
  }

  Optional<User> authenticate(String name, char[] password) {
    Optional<UserRow> row =
        name == null ? Optional.empty() : db.read("authenticate user", h -> find(h, name));
    // Unknown users are checked against a hash of the same cost, so timing reveals nothing.
    String hash = row.map(UserRow::passwordHash).orElse(unmatchableHash);
    boolean matches = PasswordHasher.verify(password, hash);
    return matches && row.isPresent() ? row.map(UserRow::user) : Optional.empty();
  }

  void drop(String name) {
    db.inCatalogTransaction(
        "drop user " + display(name),
        h -> {
          if (h.update("DELETE FROM users WHERE name = ?", name) == 0) {
            throw NqlException.of(
                ErrorCode.UNDEFINED_OBJECT, "Cannot drop user %s: no such user", display(name));
          }
          return null;
        });
  }

  private static Optional<UserRow> find(Handle h, String name) throws SQLException {
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

  BootstrapResult bootstrapAdmin(String password) {
    Optional<String> existing = db.read("look up admin", JdbcUsers::anyAdmin);
    if (existing.isPresent()) {
      return new BootstrapResult(false, existing.get(), null);
    }
    boolean generate = password == null || password.isEmpty();
    String actual =
        generate ? PasswordHasher.generatePassword(GENERATED_PASSWORD_LENGTH) : password;
    char[] chars = actual.toCharArray();
    String hash = PasswordHasher.hash(chars);
    Arrays.fill(chars, '\0');
    return db.inCatalogTransaction(
        "create admin user " + ADMIN_USER,
        h -> {
          Optional<String> admin = anyAdmin(h);
          if (admin.isPresent()) {
            return new BootstrapResult(false, admin.get(), null);
          }
          Company operator = JdbcCompanies.find(h, OPERATOR_COMPANY).orElse(null);
          if (operator == null) {
            operator = JdbcCompanies.insert(h, OPERATOR_COMPANY);
          }
          if (find(h, ADMIN_USER).isPresent()) {
            throw NqlException.of(
                ErrorCode.DUPLICATE_OBJECT,
                "Cannot create admin user %s: a user with this name exists and is not an admin",
                ADMIN_USER);
          }
          insert(h, ADMIN_USER, operator.id(), hash, true);
          return new BootstrapResult(true, ADMIN_USER, generate ? actual : null);
        });
  }

  private static Optional<String> anyAdmin(Handle h) throws SQLException {
    return h.first(
        "SELECT MIN(name) AS name FROM users WHERE is_admin", rs -> rs.getString("name"));
  }
}
