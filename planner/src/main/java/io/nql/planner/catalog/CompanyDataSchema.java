package io.nql.planner.catalog;

import io.nql.planner.iceberg.IcebergTable;
import io.nql.planner.plane.postgres.PostgresPlaneTable;
import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * The caller's datasets: each reachable by its name and by its numeric id ({@code "17"}), as an
 * Iceberg table or, for a dataset in a data plane, as that plane's table. The dataset list is
 * fetched once, on first lookup.
 */
final class CompanyDataSchema extends AbstractSchema {
  private final DatasetSource source;
  private final long companyId;
  private final Map<String, Table> extra;
  private Map<String, Table> tables;

  CompanyDataSchema(DatasetSource source, long companyId, Map<String, Table> extra) {
    this.source = source;
    this.companyId = companyId;
    this.extra = extra;
  }

  @Override
  protected synchronized Map<String, Table> getTableMap() {
    if (tables == null) {
      Map<String, Table> map = new HashMap<>();
      Map<String, Table> byId = new HashMap<>();
      for (DatasetHandle d : source.datasets(companyId)) {
        Table table =
            d.plane() == null
                ? new IcebergTable(companyId, d.id(), d.table())
                : new PostgresPlaneTable(companyId, d.id(), d.name(), d.plane(), d.planes());
        if (!d.name().chars().allMatch(Character::isDigit)) {
          map.put(d.name(), table);
        }
        byId.put(Long.toString(d.id()), table);
      }
      // A name of digits only always means an id: creation refuses such names, and a dataset
      // stored with one before that rule is reachable only by its id.
      map.putAll(byId);
      // Names of extras (rules, _ledger) never clash with datasets: creation refuses them.
      map.putAll(extra);
      tables = map;
    }
    return tables;
  }
}
