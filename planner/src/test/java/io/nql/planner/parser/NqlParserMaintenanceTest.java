package io.nql.planner.parser;

import static io.nql.planner.parser.NqlParserTestSupport.assertFails;
import static io.nql.planner.parser.NqlParserTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.error.ErrorCode;
import org.junit.jupiter.api.Test;

/**
 * {@code VACUUM} and {@code ALTER DATASET … SET RETENTION}: what they read, and what they refuse.
 */
class NqlParserMaintenanceTest {
  @Test
  void vacuumWithAndWithoutRetain() {
    SqlVacuum plain = parse("VACUUM company_data.\"Clicks\"", SqlVacuum.class);
    assertThat(plain.getName().names).containsExactly("company_data", "Clicks");
    assertThat(plain.getRetainDays()).isNull();
    SqlVacuum retained = parse("vacuum \"clicks\" retain 0 days", SqlVacuum.class);
    assertThat(retained.getName().names).containsExactly("clicks");
    assertThat(retained.getRetainDays()).isZero();
    assertThat(parse("VACUUM company_data.c RETAIN 1 DAY", SqlVacuum.class).getRetainDays())
        .isEqualTo(1);
  }

  @Test
  void alterDatasetSetRetention() {
    SqlAlterDatasetRetention set =
        parse(
            "ALTER DATASET \"clicks\" SET RETENTION 90 DAYS ON clicked_at",
            SqlAlterDatasetRetention.class);
    assertThat(set.getDays()).isEqualTo(90);
    assertThat(set.getColumn().getSimple()).isEqualTo("clicked_at");
    SqlAlterDatasetRetention none =
        parse(
            "ALTER DATASET company_data.clicks SET RETENTION NONE", SqlAlterDatasetRetention.class);
    assertThat(none.getDays()).isNull();
    assertThat(none.getColumn()).isNull();
  }

  @Test
  void theNewWordsStayUsableAsNames() {
    parse("SELECT vacuum, retain, retention FROM company_data.t", SqlNode().getClass());
  }

  private static org.apache.calcite.sql.SqlNode SqlNode() {
    return NqlParser.parse("SELECT 1");
  }

  @Test
  void malformedStatementsAreSyntaxErrors() {
    assertFails("VACUUM company_data.c RETAIN -1 DAYS", ErrorCode.SYNTAX_ERROR, "column 30");
    assertFails("VACUUM company_data.c RETAIN 2", ErrorCode.SYNTAX_ERROR, "line 1");
    assertFails("ALTER DATASET \"c\" SET RETENTION 3 DAYS", ErrorCode.SYNTAX_ERROR, "line 1");
    assertFails("ALTER DATASET \"c\" SET RETENTION ON d", ErrorCode.SYNTAX_ERROR, "column 33");
  }
}
