package io.nql.planner.store;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Access rules in the metadata store's tables (see V3__access_rules.sql). */
final class JdbcAccessRules implements AccessRules {
  private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");
  private static final String VERSION_COLUMNS =
      "r.id, v.version, r.company_id, r.name, v.dataset_id, v.query_text, v.price_cpm_usd,"
          + " v.share_mode, v.display_name, v.description, v.created_at";

  private final JdbcMetadataStore store;

  JdbcAccessRules(JdbcMetadataStore store) {
    this.store = store;
  }

  @Override
  public AccessRule create(long companyId, String name, boolean replace, AccessRule.Definition d) {
    return store.inTransaction(
        "create access rule " + name,
        c -> {
          if (name == null || !RULE_NAME.matcher(name).matches()) {
            throw NqlException.of(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Cannot create access rule %s: a rule name has 1 to 128 letters, digits and"
                    + " underscores and starts with a letter",
                name);
          }
          if (datasetNamed(c, companyId, name)) {
            throw NqlException.of(
                ErrorCode.DUPLICATE_TABLE,
                "Cannot create access rule %s: a dataset of your company has this name",
                name);
          }
          Optional<long[]> live = liveRule(c, companyId, name);
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
            id = live.get()[0];
            version = (int) live.get()[1] + 1;
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE access_rules SET current_version = ? WHERE id = ?")) {
              ps.setInt(1, version);
              ps.setLong(2, id);
              ps.executeUpdate();
            }
          } else {
            id = nextId(c);
            version = 1;
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO access_rules (id, company_id, name, current_version, live_key,"
                        + " created_at) VALUES (?, ?, ?, 1, 0, ?)")) {
              ps.setLong(1, id);
              ps.setLong(2, companyId);
              ps.setString(3, name);
              ps.setObject(4, now);
              ps.executeUpdate();
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO access_rule_versions (rule_id, version, dataset_id, query_text,"
                      + " price_cpm_usd, share_mode, display_name, description, created_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setInt(2, version);
            ps.setLong(3, d.datasetId());
            ps.setString(4, d.queryText());
            ps.setBigDecimal(5, d.priceCpmUsd());
            ps.setString(6, d.shareMode().dbValue());
            ps.setString(7, d.displayName());
            ps.setString(8, d.description());
            ps.setObject(9, now);
            ps.executeUpdate();
          }
          for (Long company : d.audience()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO access_rule_audience (rule_id, version, company_id)"
                        + " VALUES (?, ?, ?)")) {
              ps.setLong(1, id);
              ps.setInt(2, version);
              ps.setLong(3, company);
              ps.executeUpdate();
            }
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
              JdbcMetadataStore.instant(now));
        });
  }

  private static boolean datasetNamed(Connection c, long companyId, String name)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM datasets WHERE company_id = ? AND name = ?")) {
      ps.setLong(1, companyId);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The id and current version of a live rule, locking its row for the transaction. */
  private static Optional<long[]> liveRule(Connection c, long companyId, String name)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, current_version FROM access_rules"
                + " WHERE company_id = ? AND name = ? AND live_key = 0 FOR UPDATE")) {
      ps.setLong(1, companyId);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new long[] {rs.getLong(1), rs.getInt(2)}) : Optional.empty();
      }
    }
  }

  private static long nextId(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT nextval('access_rule_ids')");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public Optional<AccessRule> rule(long companyId, String name) {
    return store.read(
        "read access rule " + name,
        c ->
            first(
                query(
                    c,
                    "WHERE r.company_id = ? AND r.name = ? AND r.live_key = 0"
                        + " AND v.version = r.current_version",
                    companyId,
                    name)));
  }

  @Override
  public List<AccessRule> rules(long companyId) {
    return store.read(
        "list access rules",
        c ->
            query(
                c,
                "WHERE r.company_id = ? AND r.live_key = 0 AND v.version = r.current_version"
                    + " ORDER BY r.name",
                companyId));
  }

  @Override
  public List<AccessRule> sharedWith(long companyId) {
    return store.read(
        "list access rules shared with a company",
        c -> {
          List<AccessRule> out = new ArrayList<>();
          for (AccessRule r :
              query(
                  c,
                  "WHERE r.company_id <> ? AND r.live_key = 0 AND v.version = r.current_version"
                      + " AND v.share_mode <> 'none' ORDER BY r.company_id, r.name",
                  companyId)) {
            if (r.sharedWith(companyId)) {
              out.add(r);
            }
          }
          return out;
        });
  }

  @Override
  public Optional<AccessRule> version(long ruleId, int version) {
    return store.read(
        "read access rule version",
        c -> first(query(c, "WHERE r.id = ? AND v.version = ?", ruleId, version)));
  }

  @Override
  public void drop(long companyId, String name) {
    store.inTransaction(
        "drop access rule " + name,
        c -> {
          Optional<long[]> live = liveRule(c, companyId, name);
          if (live.isEmpty()) {
            throw NqlException.of(
                ErrorCode.UNKNOWN_TABLE,
                "Unknown table or insufficient table permissions: %s",
                name);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE access_rules SET live_key = id, dropped_at = ? WHERE id = ?")) {
            ps.setObject(1, Database.now());
            ps.setLong(2, live.get()[0]);
            ps.executeUpdate();
          }
          return null;
        });
  }

  private static Optional<AccessRule> first(List<AccessRule> rules) {
    return rules.isEmpty() ? Optional.empty() : Optional.of(rules.get(0));
  }

  private static List<AccessRule> query(Connection c, String where, Object... args)
      throws SQLException {
    Map<String, AccessRule> rules = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + VERSION_COLUMNS
                + " FROM access_rules r JOIN access_rule_versions v ON v.rule_id = r.id "
                + where)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          int version = rs.getInt(2);
          rules.put(
              id + "/" + version,
              new AccessRule(
                  id,
                  version,
                  rs.getLong(3),
                  rs.getString(4),
                  rs.getLong(5),
                  rs.getString(6),
                  rs.getBigDecimal(7),
                  AccessRule.ShareMode.fromDb(rs.getString(8)),
                  audience(c, id, version),
                  rs.getString(9),
                  rs.getString(10),
                  rs.getObject(11, OffsetDateTime.class).toInstant()));
        }
      }
    }
    return new ArrayList<>(rules.values());
  }

  private static List<Long> audience(Connection c, long ruleId, int version) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT company_id FROM access_rule_audience WHERE rule_id = ? AND version = ?"
                + " ORDER BY company_id")) {
      ps.setLong(1, ruleId);
      ps.setInt(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return List.copyOf(out);
  }
}
