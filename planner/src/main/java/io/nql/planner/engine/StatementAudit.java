package io.nql.planner.engine;

import io.nql.planner.error.NqlException;
import io.nql.planner.parser.SqlCreateAccessRule;
import io.nql.planner.parser.SqlCreateAttribute;
import io.nql.planner.parser.SqlCreateCompany;
import io.nql.planner.parser.SqlCreateDataset;
import io.nql.planner.parser.SqlCreateDelivery;
import io.nql.planner.parser.SqlCreateMapping;
import io.nql.planner.parser.SqlCreateMaterializedView;
import io.nql.planner.parser.SqlCreateSecret;
import io.nql.planner.parser.SqlCreateUser;
import io.nql.planner.parser.SqlDropAccessRule;
import io.nql.planner.parser.SqlDropAttribute;
import io.nql.planner.parser.SqlDropDataset;
import io.nql.planner.parser.SqlDropDelivery;
import io.nql.planner.parser.SqlDropMapping;
import io.nql.planner.parser.SqlDropMaterializedView;
import io.nql.planner.parser.SqlDropObject;
import io.nql.planner.parser.SqlDropSecret;
import io.nql.planner.parser.SqlDropUser;
import io.nql.planner.parser.SqlResumeDelivery;
import io.nql.planner.store.AccessRule;
import io.nql.planner.store.AuditEvent;
import io.nql.planner.store.Company;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.store.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.util.Util;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Appends an audit event for each definition statement of a session (CREATE/DROP of companies,
 * users, datasets, materialized views, access rules, secrets, deliveries, mappings, attributes),
 * whether it succeeded or failed, with the object's id as the store knows it (read before a DROP,
 * after a CREATE). The event holds names, ids and versions only: never a password, a secret's value
 * or a webhook URL.
 *
 * <p>The event is appended after the statement commits, in its own transaction: should the store
 * fail between the two, the event is lost and the failure logged (a definition is not undone).
 */
final class StatementAudit {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(StatementAudit.class);

  private final MetadataStore store;
  private final User user;
  private final Company company;

  StatementAudit(MetadataStore store, User user, Company company) {
    this.store = store;
    this.user = user;
    this.company = company;
  }

  /** What a statement does to which object: kind and name as written, owning company. */
  private record Subject(String kind, String action, String objectKind, String name, Long owner) {}

  /**
   * The name of the object a statement chose while it ran, for a statement whose object the text
   * does not name ({@code APPLY RECOMMENDATION <n>}: the dataset of the n-th recommendation). Set
   * through {@link #resolved} on the statement's own thread, which runs the body of {@link #run}.
   */
  private static final ThreadLocal<String> RESOLVED = new ThreadLocal<>();

  /** Names the object of the statement running on this thread (see {@link #RESOLVED}). */
  static void resolved(String name) {
    RESOLVED.set(name);
  }

  /** Runs {@code body}; when {@code node} is a definition, audits how it ended. */
  <T> T run(String statementId, SqlNode node, Supplier<T> body) {
    Subject named = subject(node);
    if (named == null) {
      return body.get();
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    if (node instanceof io.nql.planner.parser.SqlApplyRecommendation n && n.dataset() == null) {
      detail.put("recommendation", n.number());
    }
    Long before = named.action().startsWith("DROP") ? idOf(named, detail) : null;
    RESOLVED.remove();
    try {
      T result = body.get();
      Subject s = withResolved(named);
      Long id = before != null ? before : idOf(s, detail);
      append(s, id, "ok", statementId, detail);
      return result;
    } catch (NqlException e) {
      append(withResolved(named), before, e.sqlState(), statementId, detail);
      throw e;
    } catch (RuntimeException e) {
      append(withResolved(named), before, "XX000", statementId, detail);
      throw e;
    } finally {
      RESOLVED.remove();
    }
  }

  /** The subject with the object its statement chose while running, when it named none. */
  private static Subject withResolved(Subject s) {
    String name = RESOLVED.get();
    return s.name() != null || name == null
        ? s
        : new Subject(s.kind(), s.action(), s.objectKind(), name, s.owner());
  }

  private void append(
      Subject s, Long id, String outcome, String statementId, Map<String, Object> detail) {
    try {
      store
          .audit()
          .append(
              AuditEvent.of(
                  s.kind(),
                  s.action(),
                  AuditEvent.Actor.of(user),
                  new AuditEvent.Target(s.objectKind(), id, s.name(), s.owner()),
                  outcome,
                  statementId,
                  detail));
    } catch (RuntimeException e) {
      LOG.error("Cannot audit {} {} of statement {}", s.action(), s.name(), statementId, e);
    }
  }

  /** The object's id as the store has it now (null when absent); a rule's version in detail. */
  private @Nullable Long idOf(Subject s, Map<String, Object> detail) {
    try {
      long owner = s.owner() == null ? company.id() : s.owner();
      return switch (s.objectKind()) {
        case "dataset", "materialized view" ->
            store.dataset(owner, s.name()).map(d -> d.id()).orElse(null);
        case "access rule" -> {
          var rule = store.accessRules().rule(owner, s.name());
          rule.ifPresent(r -> detail.put("rule_version", r.version()));
          yield rule.map(AccessRule::id).orElse(null);
        }
        case "user" ->
            store.user(s.name()).filter(u -> u.companyId() == owner).map(User::id).orElse(null);
        case "company" -> store.company(s.name()).map(Company::id).orElse(null);
        case "delivery" ->
            store.webhookDeliveries().get(owner, s.name()).map(d -> d.id()).orElse(null);
        default -> null;
      };
    } catch (RuntimeException e) {
      return null; // the id is a convenience: the event names its object anyway
    }
  }

  /** The subject of a definition statement; null for any other statement. */
  private @Nullable Subject subject(SqlNode node) {
    Long own = company.id();
    if (node instanceof SqlCreateCompany n) {
      return ddl("CREATE COMPANY", "company", n.getSlugString(), null);
    }
    if (node instanceof SqlCreateUser n) {
      // Only an admin reaches another company's users: anyone else's event stays in its company
      // (and never tells it whether another company's user exists).
      Long target =
          user.admin() ? store.company(n.getCompanySlug()).map(Company::id).orElse(own) : own;
      return ddl("CREATE USER", "user", n.getSimpleName(), target);
    }
    if (node instanceof SqlDropUser n) {
      Long target =
          user.admin() ? store.user(n.getSimpleName()).map(User::companyId).orElse(own) : own;
      return ddl("DROP USER", "user", n.getSimpleName(), target);
    }
    if (node instanceof SqlCreateDataset n) {
      return ddl("CREATE DATASET", "dataset", n.getSimpleName(), own);
    }
    if (node instanceof io.nql.planner.parser.SqlCreatePlaneDataset n) {
      return ddl("CREATE DATASET", "dataset", n.getSimpleName(), own);
    }
    if (node instanceof SqlCreateMaterializedView n) {
      return ddl(create(n, "MATERIALIZED VIEW"), "materialized view", n.getSimpleName(), own);
    }
    if (node instanceof SqlCreateAccessRule n) {
      return new Subject("rule", create(n, "ACCESS RULE"), "access rule", n.getSimpleName(), own);
    }
    if (node instanceof SqlCreateSecret n) {
      return ddl(create(n, "SECRET"), "secret", n.getSimpleName(), own);
    }
    if (node instanceof io.nql.planner.parser.SqlCreateDataPlane n) {
      return ddl("CREATE DATA PLANE", "data plane", n.getSimpleName(), own);
    }
    if (node instanceof SqlCreateDelivery n) {
      return ddl("CREATE DELIVERY", "delivery", n.getSimpleName(), own);
    }
    if (node instanceof SqlResumeDelivery n) {
      return ddl("RESUME DELIVERY", "delivery", last(n.getName()), own);
    }
    if (node instanceof SqlCreateMapping n) {
      return ddl(create(n, "MAPPING"), "mapping", last(n.getDataset()), own);
    }
    if (node instanceof SqlDropMapping n) {
      return ddl("DROP MAPPING", "mapping", last(n.getDataset()), own);
    }
    if (node instanceof SqlCreateAttribute n) {
      return ddl(create(n, "ATTRIBUTE"), "attribute", n.getSimpleName(), null);
    }
    if (node instanceof SqlDropObject n) {
      return dropped(n, own);
    }
    if (node instanceof io.nql.planner.parser.SqlVacuum n) {
      return ddl("VACUUM", "dataset", last(n.getName()), own);
    }
    if (node instanceof io.nql.planner.parser.SqlAlterDatasetRetention n) {
      return ddl("ALTER DATASET", "dataset", last(n.getName()), own);
    }
    if (node instanceof io.nql.planner.parser.SqlOptimize n) {
      return ddl("OPTIMIZE", "dataset", last(n.dataset()), own);
    }
    if (node instanceof io.nql.planner.parser.SqlApplyRecommendation n) {
      return n.dataset() != null
          ? ddl("APPLY RECOMMENDATIONS", "dataset", last(n.dataset()), own)
          : ddl("APPLY RECOMMENDATION", "dataset", null, own); // the dataset: resolved()
    }
    return null;
  }

  private static @Nullable Subject dropped(SqlDropObject n, Long own) {
    String name = n.getSimpleName();
    if (n instanceof SqlDropDataset) {
      return ddl("DROP DATASET", "dataset", name, own);
    }
    if (n instanceof SqlDropMaterializedView) {
      return ddl("DROP MATERIALIZED VIEW", "materialized view", name, own);
    }
    if (n instanceof SqlDropAccessRule) {
      return new Subject("rule", "DROP ACCESS RULE", "access rule", name, own);
    }
    if (n instanceof SqlDropSecret) {
      return ddl("DROP SECRET", "secret", name, own);
    }
    if (n instanceof io.nql.planner.parser.SqlDropDataPlane) {
      return ddl("DROP DATA PLANE", "data plane", name, own);
    }
    if (n instanceof SqlDropDelivery) {
      return ddl("DROP DELIVERY", "delivery", name, own);
    }
    if (n instanceof SqlDropAttribute) {
      return ddl("DROP ATTRIBUTE", "attribute", name, null);
    }
    return null; // DROP USER is matched before
  }

  private static Subject ddl(String action, String objectKind, String name, Long owner) {
    return new Subject("ddl", action, objectKind, name, owner);
  }

  private static String create(SqlCreate n, String what) {
    return (n.getReplace() ? "CREATE OR REPLACE " : "CREATE ") + what;
  }

  private static String last(SqlIdentifier id) {
    return Util.last(id.names);
  }
}
