package io.nql.planner.store;

import static io.nql.planner.store.Database.display;
import static io.nql.planner.store.MetadataStore.RESERVED_SLUGS;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Companies in the metadata store's {@code companies} table (see V1__init.sql). */
final class JdbcCompanies {
  private static final Pattern SLUG = Pattern.compile("[a-z][a-z0-9_]*");
  private static final int MAX_SLUG_LENGTH = 63;
  private static final String COMPANY_COLUMNS = "id, slug";

  private final Database db;

  JdbcCompanies(Database db) {
    this.db = db;
  }

  Company create(String slug) {
    validateSlug(slug);
    return db.inCatalogTransaction("create company " + display(slug), h -> insert(h, slug));
  }

  /** Inserts a company in the caller's transaction. */
  static Company insert(Handle h, String slug) throws SQLException {
    if (find(h, slug).isPresent()) {
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

  Optional<Company> bySlug(String slug) {
    return db.read("read company " + display(slug), h -> find(h, slug));
  }

  Optional<Company> byId(long id) {
    return db.read("read company " + id, h -> find(h, id));
  }

  List<Company> all() {
    return db.read(
        "list companies",
        h ->
            h.list(
                "SELECT " + COMPANY_COLUMNS + " FROM companies ORDER BY slug",
                JdbcCompanies::toCompany));
  }

  /** The company with this slug, read in the caller's unit of work. */
  static Optional<Company> find(Handle h, String slug) throws SQLException {
    return h.first(
        "SELECT " + COMPANY_COLUMNS + " FROM companies WHERE slug = ?",
        JdbcCompanies::toCompany,
        slug);
  }

  /** The company with this id, read in the caller's unit of work. */
  static Optional<Company> find(Handle h, long id) throws SQLException {
    return h.first(
        "SELECT " + COMPANY_COLUMNS + " FROM companies WHERE id = ?", JdbcCompanies::toCompany, id);
  }

  private static Company toCompany(ResultSet rs) throws SQLException {
    return new Company(rs.getLong("id"), rs.getString("slug"));
  }
}
