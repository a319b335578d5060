package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Access rules in the metadata store's tables (see V3__access_rules.sql). */
final class JdbcAccessRules implements AccessRules {
  private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");
  private static final String VERSION_COLUMNS =
      "r.id, v.version, r.company_id, r.name, v.dataset_id, v.query_text, v.price_cpm_usd,"
          + " v.share_mode, v.display_name, v.description, v.created_at";

  private final Database db;

  JdbcAccessRules(Database db) {
    this.db = db;
  }

  /** The id and current version of a live rule. */
  private record LiveRule(long id, int version) {}

  @Override
  public AccessRule create(long companyId, String name, boolean replace, AccessRule.Definition d) {
    return db.inCatalogTransaction(
        "create access rule " + name,
        h -> {
          if (name == null || !RULE_NAME.matcher(name).matches()) {
            throw NqlException.of(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot create access rule %s: a rule name has 1 to 128 letters, digits and"
                    + " underscores and starts with a letter",
                name);
          }
          if (name.equals(JdbcDatasets.RESERVED_NAME)) {
            throw NqlException.of(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot create access rule %s: the name is reserved for the Rosetta Stone",
                name);
          }
          if (h.exists(
              "SELECT 1 FROM datasets WHERE company_id = ? AND name = ?", companyId, name)) {
            throw NqlException.of(
                ErrorCode.DUPLICATE_TABLE,
                "Cannot create access rule %s: a dataset of your company has this name",
                name);
          }
          Optional<LiveRule> live = liveRule(h, companyId, name);
          OffsetDateTime now = Database.now();
          long id;
          int version;
          if (live.isPresent()) {
            if (!replace) {
              throw NqlException.of(
                  ErrorCode.DUPLICATE_TABLE,
                  "Cannot create access rule %s: a rule with this name exists (use CREATE OR"
                      + " REPLACE ACCESS RULE to publish a new version)",
                  name);
            }
            id = live.get().id();
            version = live.get().version() + 1;
            h.update("UPDATE access_rules SET current_version = ? WHERE id = ?", version, id);
          } else {
            id = h.nextval("access_rule_ids");
            version = 1;
            h.update(
                "INSERT INTO access_rules (id, company_id, name, current_version, live_key,"
                    + " created_at) VALUES (?, ?, ?, 1, 0, ?)",
                id,
                companyId,
                name,
                now);
          }
          h.update(
              "INSERT INTO access_rule_versions (rule_id, version, dataset_id, query_text,"
                  + " price_cpm_usd, share_mode, display_name, description, created_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              id,
              version,
              d.datasetId(),
              d.queryText(),
              d.priceCpmUsd(),
              d.shareMode().dbValue(),
              d.displayName(),
              d.description(),
              now);
          for (Long company : d.audience()) {
            h.update(
                "INSERT INTO access_rule_audience (rule_id, version, company_id) VALUES (?, ?, ?)",
                id,
                version,
                company);
          }
          return new AccessRule(
              id,
              version,
              companyId,
              name,
              d.datasetId(),
              d.queryText(),
              d.priceCpmUsd(),
              d.shareMode(),
              d.audience(),
              d.displayName(),
              d.description(),
              now.toInstant());
        });
  }

  /** The live rule of this name, locking its row for the transaction. */
  private static Optional<LiveRule> liveRule(Handle h, long companyId, String name)
      throws SQLException {
    return h.first(
        "SELECT id, current_version FROM access_rules"
            + " WHERE company_id = ? AND name = ? AND live_key = 0 FOR UPDATE",
        rs -> new LiveRule(rs.getLong(1), rs.getInt(2)),
        companyId,
        name);
  }

  @Override
  public Optional<AccessRule> rule(long companyId, String name) {
    return db.read(
        "read access rule " + name,
        h ->
            first(
                query(
                    h,
                    "WHERE r.company_id = ? AND r.name = ? AND r.live_key = 0"
                        + " AND v.version = r.current_version",
                    companyId,
                    name)));
  }

  @Override
  public List<AccessRule> rules(long companyId) {
    return db.read(
        "list access rules",
        h ->
            query(
                h,
                "WHERE r.company_id = ? AND r.live_key = 0 AND v.version = r.current_version"
                    + " ORDER BY r.name",
                companyId));
  }

  @Override
  public List<AccessRule> sharedWith(long companyId) {
    return db.read(
        "list access rules shared with a company",
        h ->
            query(
                    h,
                    "WHERE r.company_id <> ? AND r.live_key = 0 AND v.version = r.current_version"
                        + " AND v.share_mode <> 'none' ORDER BY r.company_id, r.name",
                    companyId)
                .stream()
                .filter(r -> r.sharedWith(companyId))
                .toList());
  }

  @Override
  public Optional<AccessRule> version(long ruleId, int version) {
    return db.read(
        "read access rule version",
        h -> first(query(h, "WHERE r.id = ? AND v.version = ?", ruleId, version)));
  }

  @Override
  public void drop(long companyId, String name) {
    db.inCatalogTransaction(
        "drop access rule " + name,
        h -> {
          Optional<LiveRule> live = liveRule(h, companyId, name);
          if (live.isEmpty()) {
            throw NqlException.of(
                ErrorCode.UNKNOWN_TABLE,
                "Unknown table or insufficient table permissions: %s",
                name);
          }
          h.update(
              "UPDATE access_rules SET live_key = id, dropped_at = ? WHERE id = ?",
              Database.now(),
              live.get().id());
          return null;
        });
  }

  private static Optional<AccessRule> first(List<AccessRule> rules) {
    return rules.isEmpty() ? Optional.empty() : Optional.of(rules.get(0));
  }

  /**
   * The rule versions matching {@code where} (over {@code r}, the rule, and {@code v}, the
   * version).
   */
  private static List<AccessRule> query(Handle h, String where, Object... args)
      throws SQLException {
    return h.list(
        "SELECT "
            + VERSION_COLUMNS
            + " FROM access_rules r JOIN access_rule_versions v ON v.rule_id = r.id "
            + where,
        rs -> {
          long id = rs.getLong(1);
          int version = rs.getInt(2);
          return new AccessRule(
              id,
              version,
              rs.getLong(3),
              rs.getString(4),
              rs.getLong(5),
              rs.getString(6),
              rs.getBigDecimal(7),
              AccessRule.ShareMode.fromDb(rs.getString(8)),
              audience(h, id, version),
              rs.getString(9),
              rs.getString(10),
              rs.getObject(11, OffsetDateTime.class).toInstant());
        },
        args);
  }

  private static List<Long> audience(Handle h, long ruleId, int version) throws SQLException {
    return h.list(
        "SELECT company_id FROM access_rule_audience WHERE rule_id = ? AND version = ?"
            + " ORDER BY company_id",
        rs -> rs.getLong(1),
        ruleId,
        version);
  }
}
