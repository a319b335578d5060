package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.exec.PlanCache;
import io.nql.planner.parser.SqlCreateCompany;
import io.nql.planner.parser.SqlCreateUser;
import io.nql.planner.parser.SqlDropUser;
import io.nql.planner.result.ResultColumn;
import io.nql.planner.store.Company;
import io.nql.planner.store.MetadataStore;
import io.nql.planner.store.User;
import java.util.List;

/** Runs the admin statements: CREATE COMPANY, CREATE USER, DROP USER (admin users only). */
final class AdminStatements {
  private final MetadataStore store;
  private final User caller;

  AdminStatements(MetadataStore store, User caller) {
    this.store = store;
    this.caller = caller;
  }

  private void requireAdmin(String statement) {
    if (!caller.admin()) {
      throw new NqlException(
          ErrorCode.INSUFFICIENT_PRIVILEGE,
          "Cannot run " + statement + ": only an admin user may do this");
    }
  }

  static final List<ResultColumn> PLAN_CACHE_COLUMNS =
      List.of(
          ResultColumn.bigint("entries", false),
          ResultColumn.bigint("hits", false),
          ResultColumn.bigint("misses", false),
          ResultColumn.bigint("evictions", false),
          ResultColumn.bigint("invalidations", false),
          ResultColumn.bigint("not_cacheable", false));

  /** {@code SHOW PLAN CACHE}: the plan cache's counters since the gateway started. */
  StatementResult showPlanCache(String statementId, PlanCache.Stats stats) {
    requireAdmin("SHOW PLAN CACHE");
    Object[] row = {
      stats.entries(),
      stats.hits(),
      stats.misses(),
      stats.evictions(),
      stats.invalidations(),
      stats.uncacheable()
    };
    return StatementResults.rows(statementId, PLAN_CACHE_COLUMNS, List.<Object[]>of(row));
  }

  StatementResult createCompany(String statementId, SqlCreateCompany node) {
    requireAdmin("CREATE COMPANY");
    store.createCompany(node.getSlugString());
    return StatementResults.count(statementId, 1);
  }

  StatementResult createUser(String statementId, SqlCreateUser node) {
    requireAdmin("CREATE USER");
    Company company =
        store
            .company(node.getCompanySlug())
            .orElseThrow(
                () ->
                    new NqlException(
                        ErrorCode.UNDEFINED_OBJECT,
                        "Cannot create user '"
                            + node.getSimpleName()
                            + "': no company '"
                            + node.getCompanySlug()
                            + "'"));
    store.createUser(
        node.getSimpleName(), company.id(), node.getPassword().toCharArray(), node.isAdmin());
    return StatementResults.count(statementId, 1);
  }

  StatementResult dropUser(String statementId, SqlDropUser node) {
    requireAdmin("DROP USER");
    String name = node.getSimpleName();
    if (name.equals(caller.name())) {
      throw new NqlException(
          ErrorCode.INVALID_PARAMETER_VALUE, "Cannot drop user '" + name + "': it is you");
    }
    store.dropUser(name);
    return StatementResults.count(statementId, 1);
  }
}
