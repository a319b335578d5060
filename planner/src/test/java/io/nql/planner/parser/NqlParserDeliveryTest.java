package io.nql.planner.parser;

import static io.nql.planner.parser.NqlParserTestSupport.assertFails;
import static io.nql.planner.parser.NqlParserTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.error.ErrorCode;
import org.junit.jupiter.api.Test;

/**
 * The webhook delivery statements: each parses into its node and reads back from its unparse;
 * options in any order, each once; bad values name the option. Their words stay usable as names.
 */
class NqlParserDeliveryTest {
  @Test
  void createDeliveryWithAndWithoutOptions() {
    SqlCreateDelivery d =
        parse(
            "CREATE DELIVERY \"to_crm\" FOR MATERIALIZED VIEW \"eu_people\""
                + " TO WEBHOOK 'https://u:p@hooks.example/in?t=it''s' BATCH_ROWS = 500"
                + " FORMAT = 'CSV'",
            SqlCreateDelivery.class);
    assertThat(d.getSimpleName()).isEqualTo("to_crm");
    assertThat(d.getView().getSimple()).isEqualTo("eu_people");
    assertThat(d.getUrl()).isEqualTo("https://u:p@hooks.example/in?t=it's");
    assertThat(d.getFormat()).isEqualTo("csv");
    assertThat(d.getBatchRows()).isEqualTo(500);
    SqlCreateDelivery plain =
        parse(
            "create delivery d for materialized view v to webhook 'http://h.example/'",
            SqlCreateDelivery.class);
    assertThat(plain.getFormat()).isNull();
    assertThat(plain.getBatchRows()).isNull();
  }

  @Test
  void dropResumeAndShow() {
    assertThat(parse("DROP DELIVERY \"d\"", SqlDropDelivery.class).getSimpleName()).isEqualTo("d");
    assertThat(parse("RESUME DELIVERY \"d\"", SqlResumeDelivery.class).getName().getSimple())
        .isEqualTo("d");
    parse("SHOW DELIVERIES", SqlShowDeliveries.class);
    assertThat(parse("SHOW DELIVERY LOG \"d\"", SqlShowDeliveryLog.class).getName().getSimple())
        .isEqualTo("d");
  }

  @Test
  void badOptions() {
    String create = "CREATE DELIVERY \"d\" FOR MATERIALIZED VIEW \"v\" TO WEBHOOK 'http://h/'";
    assertFails(create + " FORMAT = 'xml'", ErrorCode.INVALID_PARAMETER_VALUE, "FORMAT", "'xml'");
    assertFails(create + " BATCH_ROWS = 0", ErrorCode.INVALID_PARAMETER_VALUE, "BATCH_ROWS");
    assertFails(
        create + " BATCH_ROWS = 1 BATCH_ROWS = 2",
        ErrorCode.SYNTAX_ERROR,
        "BATCH_ROWS is given more than once");
    assertFails(
        "CREATE OR REPLACE DELIVERY \"d\" FOR MATERIALIZED VIEW \"v\" TO WEBHOOK 'http://h/'",
        ErrorCode.SYNTAX_ERROR,
        "OR REPLACE");
    assertFails(
        "CREATE DELIVERY \"d\" FOR MATERIALIZED VIEW \"v\" TO 'http://h/'",
        ErrorCode.SYNTAX_ERROR,
        "'http://h/'");
    assertFails("SHOW DELIVERY \"d\"", ErrorCode.SYNTAX_ERROR, "\"d\"");
  }

  @Test
  void theNewWordsStayNames() {
    parse(
        "SELECT log, delivery, deliveries, webhook, resume, batch_rows FROM company_data.t",
        org.apache.calcite.sql.SqlSelect.class);
    parse("SELECT LOG(2, 8), LN(1) FROM company_data.t", org.apache.calcite.sql.SqlSelect.class);
  }
}
