package io.nql.planner.parser;

import static io.nql.planner.parser.NqlParserTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.error.ErrorCode;
import org.apache.calcite.sql.SqlSelect;
import org.junit.jupiter.api.Test;

/**
 * The table-maintenance statements parse into their nodes and read back from their unparse; their
 * words stay usable as names.
 */
class NqlParserOptimizeTest {
  @Test
  void optimizeWithAndWithoutOptions() {
    SqlOptimize plain = parse("OPTIMIZE company_data.\"events\"", SqlOptimize.class);
    assertThat(plain.dataset().names).containsExactly("company_data", "events");
    assertThat(plain.options()).isEmpty();
    SqlOptimize sized =
        parse("optimize company_data.events TARGET_FILE_SIZE = '64MB'", SqlOptimize.class);
    assertThat(sized.options()).hasSize(2);
    assertThat(sized.options().get(0).toString()).isEqualToIgnoringCase("TARGET_FILE_SIZE");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NqlParser.parse("OPTIMIZE company_data.events TARGET_FILE_SIZE"))
        .isInstanceOfSatisfying(
            io.nql.planner.error.NqlException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SYNTAX_ERROR));
  }

  @Test
  void recommendations() {
    assertThat(parse("SHOW RECOMMENDATIONS", SqlShowRecommendations.class).dataset()).isNull();
    assertThat(
            parse("SHOW RECOMMENDATIONS FOR company_data.sales", SqlShowRecommendations.class)
                .dataset()
                .names)
        .containsExactly("company_data", "sales");
    assertThat(parse("APPLY RECOMMENDATION 3", SqlApplyRecommendation.class).number()).isEqualTo(3);
    SqlApplyRecommendation all =
        parse("APPLY RECOMMENDATIONS FOR company_data.sales", SqlApplyRecommendation.class);
    assertThat(all.number()).isZero();
    assertThat(all.dataset().names).containsExactly("company_data", "sales");
    // SHOW's other statements still parse
    parse("SHOW DATASETS", SqlShowDatasets.class);
  }

  @Test
  void theWordsStayNames() {
    parse("SELECT optimize, recommendation, recommendations FROM company_data.t", SqlSelect.class);
  }
}
