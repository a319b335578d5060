package io.nql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.meta.SqlSupport;
import io.nql.planner.meta.SqlSupport.Feature;
import java.lang.reflect.Field;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link NqlDatabaseMetaData} repeats some of the engine's {@link SqlSupport} answers because the
 * driver must not depend on the planner; Flight SQL's GetSqlInfo answers from {@link SqlSupport}
 * itself. This test keeps the two fronts saying the same thing.
 */
class DatabaseMetaDataAgreementTest {
  private final NqlDatabaseMetaData md = new NqlDatabaseMetaData(null);

  @Test
  void nameLimitsAreTheGrammars() {
    assertThat(NqlDatabaseMetaData.MAX_NAME_LENGTH).isEqualTo(SqlSupport.MAX_NAME_LENGTH);
    assertThat(md.getMaxColumnNameLength()).isEqualTo(SqlSupport.MAX_NAME_LENGTH);
    assertThat(md.getMaxSchemaNameLength()).isEqualTo(SqlSupport.MAX_NAME_LENGTH);
    assertThat(md.getMaxTableNameLength()).isEqualTo(SqlSupport.MAX_NAME_LENGTH);
    assertThat(md.getMaxUserNameLength()).isEqualTo(SqlSupport.MAX_NAME_LENGTH);
  }

  @Test
  void featuresAreTheEngines() {
    assertThat(md.supportsDifferentTableCorrelationNames())
        .isEqualTo(Feature.DIFFERENT_TABLE_CORRELATION_NAMES.supported());
    assertThat(md.supportsSubqueriesInQuantifieds())
        .isEqualTo(Feature.SUBQUERIES_IN_QUANTIFIEDS.supported());
  }

  /** Every pair of JDBC type codes: the driver's answer is the engine's. */
  @Test
  void everyConversionPairIsTheEngines() throws IllegalAccessException {
    Map<String, Integer> codes = new TreeMap<>();
    for (Field f : Types.class.getFields()) {
      codes.put(f.getName(), f.getInt(null));
    }
    List<String> disagree = new ArrayList<>();
    int supported = 0;
    for (Map.Entry<String, Integer> from : codes.entrySet()) {
      for (Map.Entry<String, Integer> to : codes.entrySet()) {
        boolean engine =
            SqlSupport.conversions()
                .getOrDefault(from.getValue(), Set.of())
                .contains(to.getValue());
        if (md.supportsConvert(from.getValue(), to.getValue()) != engine) {
          disagree.add(from.getKey() + "->" + to.getKey() + " engine " + engine);
        }
        supported += engine ? 1 : 0;
      }
    }
    assertThat(disagree).isEmpty();
    // the comparison means something only if the engine supports conversions at all
    assertThat(supported).isGreaterThan(50);
    assertThat(md.supportsConvert()).isTrue();
  }
}
