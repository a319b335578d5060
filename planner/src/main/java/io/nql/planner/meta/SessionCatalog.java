package io.nql.planner.meta;

import io.nql.planner.engine.NqlSession;
import io.nql.planner.engine.VisibleTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What metadata calls may show a session, for every front end (JDBC's {@code DatabaseMetaData},
 * Flight SQL's metadata commands): the one catalog, the schemas and tables the session's user may
 * query, with only the columns it may read, filtered by SQL LIKE patterns and in JDBC's order.
 */
public final class SessionCatalog {
  /** The name of NQL's only catalog. */
  public static final String CATALOG = "nql";

  /** Table types, in JDBC order. */
  public static final List<String> TABLE_TYPES = List.of("SYSTEM TABLE", "TABLE", "VIEW");

  private SessionCatalog() {}

  /**
   * The schemas the session may see that match, sorted by name.
   *
   * @param catalog {@code null} or empty for any, else only {@link #CATALOG} matches
   * @param schemaPattern a LIKE pattern, or {@code null} for all
   */
  public static List<String> schemas(NqlSession session, String catalog, String schemaPattern) {
    List<String> out = new ArrayList<>();
    if (catalogMatches(catalog)) {
      for (String s : session.visibleSchemas()) {
        if (like(schemaPattern, s)) {
          out.add(s);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * The tables the session may query that match, in JDBC's order of {@code getTables}: type,
   * schema, name.
   *
   * @param types table types to keep, or {@code null} for all
   */
  public static List<VisibleTable> tables(
      NqlSession session,
      String catalog,
      String schemaPattern,
      String tablePattern,
      Collection<String> types) {
    List<VisibleTable> out = new ArrayList<>();
    if (catalogMatches(catalog)) {
      for (VisibleTable t : session.visibleTables()) {
        if (like(schemaPattern, t.schema())
            && like(tablePattern, t.name())
            && (types == null || types.contains(t.type()))) {
          out.add(t);
        }
      }
    }
    out.sort(
        Comparator.comparing(VisibleTable::type)
            .thenComparing(VisibleTable::schema)
            .thenComparing(VisibleTable::name));
    return out;
  }

  /** Whether a catalog argument selects NQL's catalog ({@code null} or empty: any). */
  public static boolean catalogMatches(String catalog) {
    return catalog == null || catalog.isEmpty() || CATALOG.equals(catalog);
  }

  /**
   * SQL LIKE matching of a metadata pattern ({@code %}, {@code _}, {@code \} escapes); a {@code
   * null} pattern matches everything.
   */
  public static boolean like(String pattern, String value) {
    if (pattern == null) {
      return true;
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (ch == '%') {
        regex.append(".*");
      } else if (ch == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
  }
}
