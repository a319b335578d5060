package io.nql.planner.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import org.apache.calcite.sql.SqlNode;

/** Assertions shared by the parser tests. */
final class NqlParserTestSupport {
  private NqlParserTestSupport() {}

  /** Parses, checks the node's class, and checks that its unparse reads back to the same text. */
  static <T extends SqlNode> T parse(String sql, Class<T> type) {
    SqlNode node = NqlParser.parse(sql);
    assertThat(node).isInstanceOf(type);
    assertRoundTrip(node);
    return type.cast(node);
  }

  /** parse(unparse(x)) unparses to the same text, and toString() is that text. */
  static void assertRoundTrip(SqlNode node) {
    String text = NqlParser.unparse(node);
    SqlNode again = NqlParser.parse(text);
    assertThat(NqlParser.unparse(again)).isEqualTo(text);
    assertThat(again.getClass()).isEqualTo(node.getClass());
  }

  /** The statement fails with the code; the message is one clean line containing each fragment. */
  static NqlException assertFails(String sql, ErrorCode code, String... fragments) {
    NqlException e = catchThrowableOfType(NqlException.class, () -> NqlParser.parse(sql));
    assertThat(e).as("expected %s to fail", sql).isNotNull();
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    assertThat(e.sqlState()).isEqualTo(code.sqlState());
    String m = e.getMessage();
    assertThat(m).doesNotContain("\n", "\r", "Exception", "org.apache", "io.nql", "Was expecting");
    assertThat(m).contains(fragments);
    return e;
  }
}
