package io.nql.planner.parser;

import static io.nql.planner.parser.NqlParserTestSupport.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/** Admin, provider, access-rule, mapping and materialized-view statements. */
class NqlParserDdlTest {

  @Test
  void createCompany() {
    assertThat(parse("CREATE COMPANY Buyer_Co", SqlCreateCompany.class).getSlugString())
        .isEqualTo("buyer_co");
  }

  @Test
  void createUser() {
    SqlCreateUser u =
        parse(
            "CREATE USER \"Alice\" COMPANY acme PASSWORD 'it''s secret' ADMIN",
            SqlCreateUser.class);
    assertThat(u.getSimpleName()).isEqualTo("Alice");
    assertThat(u.getCompanySlug()).isEqualTo("acme");
    assertThat(u.getPassword()).isEqualTo("it's secret");
    assertThat(u.isAdmin()).isTrue();
    assertThat(
            parse("CREATE USER \"bob\" COMPANY acme PASSWORD 'pw'", SqlCreateUser.class).isAdmin())
        .isFalse();
  }

  @Test
  void dropStatements() {
    assertThat(parse("DROP USER \"Alice\"", SqlDropUser.class).getSimpleName()).isEqualTo("Alice");
    assertThat(parse("DROP DATASET \"events\"", SqlDropDataset.class).getSimpleName())
        .isEqualTo("events");
    assertThat(parse("DROP ACCESS RULE \"r1\"", SqlDropAccessRule.class).getSimpleName())
        .isEqualTo("r1");
    assertThat(parse("DROP MATERIALIZED VIEW \"v\"", SqlDropMaterializedView.class).getSimpleName())
        .isEqualTo("v");
    assertThat(parse("show materialized views", SqlShowMaterializedViews.class)).isNotNull();
    // VIEWS is a keyword of SHOW only: still a column or table name
    assertThat(NqlParser.unparse(NqlParser.parse("SELECT views FROM company_data.views")))
        .contains("\"views\"");
  }

  @Test
  void createDatasetWithTypesAndPartitions() {
    SqlCreateDataset d =
        parse(
            "CREATE DATASET \"events\" (id BIGINT NOT NULL, price DECIMAL(10, 2), ts TIMESTAMP,"
                + " tstz TIMESTAMP WITH TIME ZONE, tsl TIMESTAMP WITH LOCAL TIME ZONE, d DATE,"
                + " t TIME, ok BOOLEAN, n INTEGER, x DOUBLE, s VARCHAR, b VARBINARY,"
                + " tags VARCHAR ARRAY, r ROW(a INTEGER, b VARCHAR))"
                + " PARTITIONED_BY ts DAY, id BUCKET(16), s TRUNCATE(4), n, d YEAR, ts HOUR,"
                + " d MONTH, ok IDENTITY",
            SqlCreateDataset.class);
    assertThat(d.getSimpleName()).isEqualTo("events");
    assertThat(d.getColumns()).hasSize(14);
    SqlDatasetColumn id = d.getColumns().get(0);
    assertThat(id.getSimpleName()).isEqualTo("id");
    assertThat(id.isNotNull()).isTrue();
    assertThat(id.getType().getTypeName().getSimple()).isEqualTo("BIGINT");
    SqlDatasetColumn price = d.getColumns().get(1);
    assertThat(price.isNotNull()).isFalse();
    assertThat(price.getType().toString()).isEqualTo("DECIMAL(10, 2)");
    assertThat(d.getColumns().get(3).getType().toString()).isEqualTo("TIMESTAMP WITH TIME ZONE");
    assertThat(d.getColumns().get(4).getType().toString())
        .isEqualTo("TIMESTAMP WITH LOCAL TIME ZONE");
    assertThat(d.getColumns().get(12).getType().toString()).isEqualTo("VARCHAR ARRAY");
    assertThat(d.getPartitionFields())
        .extracting(
            SqlPartitionField::getColumnName,
            SqlPartitionField::getTransform,
            SqlPartitionField::getWidth)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ts", PartitionTransform.DAY, null),
            org.assertj.core.groups.Tuple.tuple("id", PartitionTransform.BUCKET, 16),
            org.assertj.core.groups.Tuple.tuple("s", PartitionTransform.TRUNCATE, 4),
            org.assertj.core.groups.Tuple.tuple("n", PartitionTransform.IDENTITY, null),
            org.assertj.core.groups.Tuple.tuple("d", PartitionTransform.YEAR, null),
            org.assertj.core.groups.Tuple.tuple("ts", PartitionTransform.HOUR, null),
            org.assertj.core.groups.Tuple.tuple("d", PartitionTransform.MONTH, null),
            org.assertj.core.groups.Tuple.tuple("ok", PartitionTransform.IDENTITY, null));
    SqlCreateDataset plain = parse("CREATE DATASET \"p\" (a INTEGER)", SqlCreateDataset.class);
    assertThat(plain.getPartitionFields()).isEmpty();
  }

  @Test
  void createDatasetWithSortOrderAndBloomFiltersInAnyOrder() {
    SqlCreateDataset d =
        parse(
            "CREATE DATASET \"events\" (id BIGINT, ts TIMESTAMP, code VARCHAR, n INTEGER)"
                + " BLOOM_FILTER id, code SORTED_BY id, ts DESC, n ASC PARTITIONED_BY ts DAY",
            SqlCreateDataset.class);
    assertThat(d.getSortFields())
        .extracting(SqlSortField::getColumnName, SqlSortField::isDescending)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("id", false),
            org.assertj.core.groups.Tuple.tuple("ts", true),
            org.assertj.core.groups.Tuple.tuple("n", false));
    assertThat(d.getBloomFilterColumns()).containsExactly("id", "code");
    assertThat(d.getPartitionFields())
        .extracting(SqlPartitionField::getColumnName)
        .containsExactly("ts");
    // the text reads back as the same statement
    SqlCreateDataset again = parse(d.toString(), SqlCreateDataset.class);
    assertThat(again.toString()).isEqualTo(d.toString());
    assertThat(again.getSortFields()).hasSize(3);
    assertThat(again.getBloomFilterColumns()).containsExactly("id", "code");
    SqlCreateDataset plain = parse("CREATE DATASET \"p\" (a INTEGER)", SqlCreateDataset.class);
    assertThat(plain.getSortFields()).isEmpty();
    assertThat(plain.getBloomFilterColumns()).isEmpty();
    // the new words stay usable as names
    SqlCreateDataset names =
        parse(
            "CREATE DATASET \"q\" (sorted_by INTEGER, bloom_filter VARCHAR) SORTED_BY sorted_by",
            SqlCreateDataset.class);
    assertThat(names.getSortFields())
        .extracting(SqlSortField::getColumnName)
        .containsExactly("sorted_by");
  }

  @Test
  void copyIntoWithOptionsInAnyOrder() {
    SqlCopyInto c =
        parse(
            "COPY INTO company_data.events FROM 'file:///data/e.csv' NULL_STRING = '' "
                + "DELIMITER = ';' HEADER = FALSE FORMAT = 'CSV'",
            SqlCopyInto.class);
    assertThat(c.getTable().names).containsExactly("company_data", "events");
    assertThat(c.getUri()).isEqualTo("file:///data/e.csv");
    assertThat(c.getFormat()).isEqualTo("csv");
    assertThat(c.getHeader()).isFalse();
    assertThat(c.getDelimiter()).isEqualTo(";");
    assertThat(c.getNullString()).isEmpty();
    SqlCopyInto bare = parse("COPY INTO company_data.\"7\" FROM 'x.parquet'", SqlCopyInto.class);
    assertThat(bare.getFormat()).isNull();
    assertThat(bare.getHeader()).isNull();
    assertThat(bare.getTable().names).containsExactly("company_data", "7");
  }

  @Test
  void copyIntoADirectoryWithPatternAndIncremental() {
    SqlCopyInto c =
        parse(
            "COPY INTO company_data.events FROM 'drops/' INCREMENTAL = TRUE PATTERN = '*.csv'"
                + " HEADER = TRUE",
            SqlCopyInto.class);
    assertThat(c.getPattern()).isEqualTo("*.csv");
    assertThat(c.getIncremental()).isTrue();
    SqlCopyInto again = parse(c.toString(), SqlCopyInto.class);
    assertThat(again.getPattern()).isEqualTo("*.csv");
    assertThat(again.getIncremental()).isTrue();
    assertThat(again.toString()).isEqualTo(c.toString());
    SqlCopyInto off =
        parse("COPY INTO company_data.e FROM 'd' INCREMENTAL = FALSE", SqlCopyInto.class);
    assertThat(off.getIncremental()).isFalse();
    assertThat(off.getPattern()).isNull();
    assertThatThrownBy(
            () ->
                parse(
                    "COPY INTO company_data.e FROM 'd' PATTERN = 'a' PATTERN = 'b'",
                    SqlCopyInto.class))
        .hasMessageContaining("PATTERN");
    // the new word stays a name
    parse("SELECT incremental FROM t", SqlSelect.class);
  }

  @Test
  void showAndDescribe() {
    parse("SHOW DATASETS", SqlShowDatasets.class);
    parse("SHOW ACCESS RULES", SqlShowAccessRules.class);
    parse("SHOW ATTRIBUTES", SqlShowAttributes.class);
    assertThat(parse("SHOW MAPPINGS ON company_data.ev", SqlShowMappings.class).getDataset().names)
        .containsExactly("company_data", "ev");
    assertThat(
            parse("SUGGEST MAPPINGS FOR company_data.ev", SqlSuggestMappings.class)
                .getDataset()
                .names)
        .containsExactly("company_data", "ev");
    assertThat(parse("DESCRIBE company_data.\"17\"", SqlDescribeDataset.class).getTable().names)
        .containsExactly("company_data", "17");
    SqlDescribeDataset x = parse("DESCRIBE TABLE company_data.x", SqlDescribeDataset.class);
    assertThat(x.getTable().names).containsExactly("company_data", "x");
    assertThat(x.getColumn()).isNull();
    assertThat(
            parse("DESCRIBE company_data.x col", SqlDescribeDataset.class).getColumn().getSimple())
        .isEqualTo("col");
  }

  @Test
  void createAccessRuleSharedWithCompanies() {
    SqlCreateAccessRule r =
        parse(
            "CREATE ACCESS RULE \"us_fitness_events\"\n"
                + "  PRICE_CPM_USD = 1.50\n"
                + "  SHARE WITH COMPANIES (buyer_co, agency_co)\n"
                + "  DISPLAY_NAME = 'US fitness events' DESCRIPTION = 'It''s fit'\n"
                + "AS SELECT e.maid, e.event_ts, SHA2(e.email, 256) AS email_sha256\n"
                + "   FROM company_data.mobile_events e WHERE e.country = 'USA';",
            SqlCreateAccessRule.class);
    assertThat(r.getSimpleName()).isEqualTo("us_fitness_events");
    assertThat(r.getPriceCpmUsd()).isEqualByComparingTo(new BigDecimal("1.50"));
    assertThat(r.getShareMode()).isEqualTo(ShareMode.COMPANIES);
    assertThat(r.getCompanies()).containsExactly("buyer_co", "agency_co");
    assertThat(r.getDisplayName()).isEqualTo("US fitness events");
    assertThat(r.getDescription()).isEqualTo("It's fit");
    SqlSelect q = (SqlSelect) r.getQuery();
    assertThat(q.getSelectList()).hasSize(3);
    assertThat(q.getWhere().toString()).contains("country");
  }

  @Test
  void createAccessRuleShareModes() {
    SqlCreateAccessRule all =
        parse(
            "CREATE ACCESS RULE \"a\" SHARE WITH ALL PRICE_CPM_USD = 0 AS SELECT x FROM company_data.t",
            SqlCreateAccessRule.class);
    assertThat(all.getShareMode()).isEqualTo(ShareMode.ALL);
    assertThat(all.getCompanies()).isEmpty();
    assertThat(all.getDisplayName()).isNull();
    SqlCreateAccessRule except =
        parse(
            "CREATE ACCESS RULE \"b\" PRICE_CPM_USD = 2 SHARE WITH ALL EXCEPT (rival_co) "
                + "AS SELECT x FROM company_data.t",
            SqlCreateAccessRule.class);
    assertThat(except.getShareMode()).isEqualTo(ShareMode.ALL_EXCEPT);
    assertThat(except.getCompanies()).containsExactly("rival_co");
    SqlCreateAccessRule none =
        parse(
            "CREATE ACCESS RULE \"c\" PRICE_CPM_USD = 0.25 SHARE WITH NONE "
                + "AS SELECT x FROM company_data.t",
            SqlCreateAccessRule.class);
    assertThat(none.getShareMode()).isEqualTo(ShareMode.NONE);
  }

  @Test
  void createMapping() {
    SqlCreateMapping m =
        parse(
            "CREATE MAPPING ON company_data.mobile_events\n"
                + "  ATTRIBUTE hl7_gender AS CASE sex WHEN 'M' THEN 'male' WHEN 'F' THEN 'female'"
                + " ELSE 'unknown' END,\n"
                + "  ATTRIBUTE unique_id.type AS 'maid',\n"
                + "  ATTRIBUTE unique_id.value AS maid,\n"
                + "  ATTRIBUTE event_timestamp AS event_ts",
            SqlCreateMapping.class);
    assertThat(m.getDataset().names).containsExactly("company_data", "mobile_events");
    assertThat(m.getMappings())
        .extracting(SqlAttributeMapping::getAttributeName, SqlAttributeMapping::getPropertyName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("hl7_gender", null),
            org.assertj.core.groups.Tuple.tuple("unique_id", "type"),
            org.assertj.core.groups.Tuple.tuple("unique_id", "value"),
            org.assertj.core.groups.Tuple.tuple("event_timestamp", null));
    assertThat(m.getMappings().get(0).getExpression()).isInstanceOf(SqlCase.class);
    assertThat(((SqlLiteral) m.getMappings().get(1).getExpression()).getValueAs(String.class))
        .isEqualTo("maid");
    assertThat(((SqlIdentifier) m.getMappings().get(2).getExpression()).getSimple())
        .isEqualTo("maid");
  }

  @Test
  void dropMapping() {
    SqlDropMapping d =
        parse("DROP MAPPING ON company_data.ev ATTRIBUTE hl7_gender", SqlDropMapping.class);
    assertThat(d.getDataset().names).containsExactly("company_data", "ev");
    assertThat(d.getAttributeName()).isEqualTo("hl7_gender");
    assertThat(d.getProperty()).isNull();
    SqlDropMapping p =
        parse("DROP MAPPING ON company_data.ev ATTRIBUTE unique_id.value", SqlDropMapping.class);
    assertThat(p.getProperty().getSimple()).isEqualTo("value");
  }

  @Test
  void createMaterializedViewWithAllOptions() {
    SqlCreateMaterializedView v =
        parse(
            "CREATE MATERIALIZED VIEW \"running_times\"\n"
                + "  REFRESH_SCHEDULE = '@daily' DISPLAY_NAME = 'Running' DESCRIPTION = 'Times'\n"
                + "  EXPIRE = 'P30D' TAGS = ('a', 'b') WRITE_MODE = 'OVERWRITE'\n"
                + "  PARTITIONED_BY event_ts DAY, country IDENTITY\n"
                + "AS SELECT event_ts, country FROM company_data.runs"
                + " LIMIT 50 USD PER CALENDAR_MONTH",
            SqlCreateMaterializedView.class);
    assertThat(v.getSimpleName()).isEqualTo("running_times");
    assertThat(v.getRefreshSchedule()).isEqualTo("@daily");
    assertThat(v.getDisplayName()).isEqualTo("Running");
    assertThat(v.getDescription()).isEqualTo("Times");
    assertThat(v.getExpire()).isEqualTo("P30D");
    assertThat(v.getTags()).containsExactly("a", "b");
    assertThat(v.getWriteMode()).isEqualTo("overwrite");
    assertThat(v.getPartitionFields())
        .extracting(SqlPartitionField::getTransform)
        .containsExactly(PartitionTransform.DAY, PartitionTransform.IDENTITY);
    assertThat(v.getQuery()).isInstanceOf(SqlSelect.class);
    assertThat(v.getBudget().getAmount()).isEqualByComparingTo("50");
    assertThat(v.getBudget().getPeriod()).isEqualTo(BudgetPeriod.CALENDAR_MONTH);
  }

  @Test
  void createMaterializedViewMinimalAndCron() {
    SqlCreateMaterializedView v =
        parse(
            "CREATE MATERIALIZED VIEW \"v\" AS SELECT a FROM company_data.t",
            SqlCreateMaterializedView.class);
    assertThat(v.getRefreshSchedule()).isNull();
    assertThat(v.getTags()).isEmpty();
    assertThat(v.getBudget()).isNull();
    assertThat(v.getPartitionFields()).isEmpty();
    SqlCreateMaterializedView cron =
        parse(
            "CREATE MATERIALIZED VIEW \"c\" REFRESH_SCHEDULE = '0 3 * * 1' "
                + "EXPIRE = 'retain_everything' AS SELECT a FROM company_data.t NO LIMIT",
            SqlCreateMaterializedView.class);
    assertThat(cron.getRefreshSchedule()).isEqualTo("0 3 * * 1");
    assertThat(cron.getExpire()).isEqualTo("retain_everything");
    assertThat(cron.getBudget().isNoLimit()).isTrue();
  }

  @Test
  void refreshMaterializedView() {
    assertThat(
            parse("REFRESH MATERIALIZED VIEW \"v\"", SqlRefreshMaterializedView.class)
                .getName()
                .getSimple())
        .isEqualTo("v");
  }

  @Test
  void columnTypeNameCheck() {
    SqlCreateDataset d = parse("CREATE DATASET \"t\" (a VARCHAR(20))", SqlCreateDataset.class);
    assertThat(d.getColumns().get(0).getType().getTypeName().getSimple())
        .isEqualTo(SqlTypeName.VARCHAR.name());
  }
}
