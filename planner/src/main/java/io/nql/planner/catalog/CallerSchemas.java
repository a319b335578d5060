package io.nql.planner.catalog;

import java.util.Collection;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.SchemaPlus;
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
    SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
    root.add(Namespaces.COMPANY_DATA, new CompanyDataSchema(datasets, companyId));
    for (String slug : otherCompanySlugs) {
      if (!slug.equals(Namespaces.COMPANY_DATA) && !slug.equals(Namespaces.NARRATIVE)) {
        root.add(slug, new AbstractSchema());
      }
    }
    root.add(Namespaces.NARRATIVE, new AbstractSchema());
    return root;
  }
}
