package io.nql.planner.catalog;

import java.util.Collection;
import java.util.Map;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/** Builds the root schema one caller's statements resolve names against. */
public final class CallerSchemas {
  private CallerSchemas() {}

  /**
   * A new root schema for a caller. Build one per statement (or per session if datasets do not
   * change): tables are loaded lazily and pinned to one snapshot for the schema's life.
   *
   * @param companyId the caller's company; its datasets appear under {@code company_data}
   * @param otherCompanySlugs slugs of the other companies; each gets a schema (empty for now,
   *     access rules shared with the caller will appear there)
   * @param datasets where the caller's datasets come from
   * @return a root schema with {@code company_data}, one schema per slug, and {@code narrative}
   */
  public static SchemaPlus forCompany(
      long companyId, Collection<String> otherCompanySlugs, DatasetSource datasets) {
    return forCaller(companyId, datasets, Map.of(), otherCompanySlugs, Map.of());
  }

  /**
   * A new root schema for a caller, with tables beyond its datasets: its own access rules under
   * {@code company_data}, and the rules other companies share with it under their slugs.
   *
   * @param companyId the caller's company
   * @param datasets where the caller's datasets come from
   * @param ownExtras more tables under {@code company_data} (a dataset wins a name clash)
   * @param otherCompanySlugs slugs of the other companies
   * @param shared tables per other company's slug (missing slugs get an empty schema), and the
   *     tables of {@code narrative} under its name
   */
  public static SchemaPlus forCaller(
      long companyId,
      DatasetSource datasets,
      Map<String, Table> ownExtras,
      Collection<String> otherCompanySlugs,
      Map<String, Map<String, Table>> shared) {
    SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
    root.add(Namespaces.COMPANY_DATA, new CompanyDataSchema(datasets, companyId, ownExtras));
    for (String slug : otherCompanySlugs) {
      if (!slug.equals(Namespaces.COMPANY_DATA) && !slug.equals(Namespaces.NARRATIVE)) {
        Map<String, Table> tables = shared.getOrDefault(slug, Map.of());
        root.add(
            slug,
            new AbstractSchema() {
              @Override
              protected Map<String, Table> getTableMap() {
                return tables;
              }
            });
      }
    }
    Map<String, Table> narrative = shared.getOrDefault(Namespaces.NARRATIVE, Map.of());
    root.add(
        Namespaces.NARRATIVE,
        new AbstractSchema() {
          @Override
          protected Map<String, Table> getTableMap() {
            return narrative;
          }
        });
    return root;
  }
}
