package io.nql.planner.exec;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.impl.SqlParserImpl;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * The lexical rules of NQL in one place: double-quoted identifiers, unquoted identifiers folded to
 * lower case, quoted ones kept, case-sensitive matching, LIMIT/OFFSET/FETCH allowed.
 *
 * <p>Until the NQL grammar lands this uses Calcite's standard parser; swapping in the NQL parser
 * factory here changes every caller.
 */
public final class ParserSupport {
  /** SQL conformance of NQL: Calcite's default plus {@code LIMIT start, count}. */
  public static final SqlConformance CONFORMANCE =
      new SqlDelegatingConformance(SqlConformanceEnum.DEFAULT) {
        @Override
        public boolean isLimitStartCountAllowed() {
          return true;
        }

        @Override
        public boolean isOffsetLimitAllowed() {
          return true;
        }
      };

  /** Parser configuration for NQL statements. */
  public static final SqlParser.Config CONFIG =
      SqlParser.config()
          .withParserFactory(SqlParserImpl.FACTORY)
          .withQuoting(Quoting.DOUBLE_QUOTE)
          .withUnquotedCasing(Casing.TO_LOWER)
          .withQuotedCasing(Casing.UNCHANGED)
          .withCaseSensitive(true)
          .withConformance(CONFORMANCE);

  private ParserSupport() {}

  /**
   * Parses one query statement.
   *
   * @throws SqlParseException if the text does not parse
   */
  public static SqlNode parseQuery(String sql) throws SqlParseException {
    return SqlParser.create(sql, CONFIG).parseQuery();
  }
}
