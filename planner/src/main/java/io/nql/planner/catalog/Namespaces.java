package io.nql.planner.catalog;

/** Names of the fixed schemas of the root namespace. */
public final class Namespaces {
  /** The caller's own company. */
  public static final String COMPANY_DATA = "company_data";

  /** The cross-company namespace. */
  public static final String NARRATIVE = "narrative";

  /** The SQL-standard views of what the caller may query (read-only). */
  public static final String INFORMATION_SCHEMA = "information_schema";

  private Namespaces() {}
}
