package io.nql.planner.meta;

import io.nql.planner.parser.NqlParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.avatica.Meta.DatabaseProperty;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * What {@link java.sql.DatabaseMetaData} reads from the server through Avatica's {@code
 * getDatabaseProperties}: the product's name and version, NQL's keywords, and the JDBC escape
 * functions ({@code {fn ...}}) NQL runs.
 */
public final class DatabaseProperties {
  public static final String PRODUCT_NAME = "NQL Gateway";

  /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static final String PRODUCT_VERSION = loadVersion();

  /**
   * JDBC escape functions NQL runs (each checked by DatabasePropertiesTest). Calcite's parser knows
   * a few more that the engine does not run; those are left out.
   */
  public static final List<String> NUMERIC_FUNCTIONS =
      List.of(
          "ABS",
          "ACOS",
          "ASIN",
          "ATAN",
          "ATAN2",
          "CBRT",
          "CEILING",
          "COS",
          "COT",
          "DEGREES",
          "EXP",
          "FLOOR",
          "LOG",
          "LOG10",
          "MOD",
          "PI",
          "POWER",
          "RADIANS",
          "RAND",
          "ROUND",
          "SIGN",
          "SIN",
          "SQRT",
          "TAN",
          "TRUNCATE");

  public static final List<String> STRING_FUNCTIONS =
      List.of(
          "ASCII",
          "CHAR",
          "CONCAT",
          "DIFFERENCE",
          "INSERT",
          "LCASE",
          "LEFT",
          "LENGTH",
          "LOCATE",
          "LTRIM",
          "REPEAT",
          "REPLACE",
          "RIGHT",
          "RTRIM",
          "SOUNDEX",
          "SPACE",
          "SUBSTRING",
          "UCASE");

  public static final List<String> TIME_DATE_FUNCTIONS =
      List.of(
          "CURDATE",
          "CURTIME",
          "DAYNAME",
          "DAYOFMONTH",
          "DAYOFWEEK",
          "DAYOFYEAR",
          "HOUR",
          "MINUTE",
          "MONTH",
          "MONTHNAME",
          "NOW",
          "QUARTER",
          "SECOND",
          "TIMESTAMPADD",
          "TIMESTAMPDIFF",
          "TO_DATE",
          "TO_TIMESTAMP",
          "WEEK",
          "YEAR");

  public static final List<String> SYSTEM_FUNCTIONS = List.of("CONVERT", "DATABASE", "IFNULL");

  /** NQL's keywords beyond SQL:92: NQL's own (DATASET, PRICE_CPM_USD…) and Calcite's. */
  public static final String SQL_KEYWORDS = String.join(",", keywords());

  private static final Map<DatabaseProperty, Object> ALL = build();

  private DatabaseProperties() {}

  static Map<DatabaseProperty, Object> all() {
    return ALL;
  }

  private static Map<DatabaseProperty, Object> build() {
    Map<DatabaseProperty, Object> map = new EnumMap<>(DatabaseProperty.class);
    map.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, PRODUCT_NAME);
    map.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, PRODUCT_VERSION);
    int[] mm = majorMinor(PRODUCT_VERSION);
    map.put(DatabaseProperty.GET_DATABASE_MAJOR_VERSION, mm[0]);
    map.put(DatabaseProperty.GET_DATABASE_MINOR_VERSION, mm[1]);
    map.put(DatabaseProperty.GET_NUMERIC_FUNCTIONS, String.join(",", NUMERIC_FUNCTIONS));
    map.put(DatabaseProperty.GET_STRING_FUNCTIONS, String.join(",", STRING_FUNCTIONS));
    map.put(DatabaseProperty.GET_SYSTEM_FUNCTIONS, String.join(",", SYSTEM_FUNCTIONS));
    map.put(DatabaseProperty.GET_TIME_DATE_FUNCTIONS, String.join(",", TIME_DATE_FUNCTIONS));
    map.put(DatabaseProperty.GET_S_Q_L_KEYWORDS, SQL_KEYWORDS);
    map.put(
        DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, java.sql.Connection.TRANSACTION_NONE);
    map.put(DatabaseProperty.AVATICA_VERSION, DatabaseProperty.AVATICA_VERSION.defaultValue);
    return Collections.unmodifiableMap(map);
  }

  /**
   * The grammar's keywords that are not SQL:92 reserved words: the tokens NQL adds to Calcite's
   * grammar, and the words Calcite reserves beyond SQL:92.
   */
  private static Set<String> keywords() {
    SqlAbstractParserImpl.Metadata nql = SqlParser.create("", NqlParser.config()).getMetadata();
    SqlAbstractParserImpl.Metadata calcite = SqlParser.create("").getMetadata();
    Set<String> out = new TreeSet<>();
    for (String token : nql.getTokens()) {
      if (nql.isKeyword(token) && !calcite.getTokens().contains(token)) {
        out.add(token);
      }
    }
    for (String k : Arrays.asList(nql.getJdbcKeywords().split(","))) {
      if (k.matches("[A-Z][A-Z0-9_]*")) {
        out.add(k);
      }
    }
    return out;
  }

  static int[] majorMinor(String version) {
    String[] parts = version.split("[.-]");
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    } catch (RuntimeException e) {
      return new int[] {0, 0};
    }
  }

  private static String loadVersion() {
    Properties p = new Properties();
    try (InputStream in = DatabaseProperties.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = p.getProperty("version", "");
    return v.isEmpty() || v.startsWith("${") ? "0.0.0" : v;
  }
}
