package io.nql.planner.parser;

import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;

/** Small helpers shared by the nodes' {@code unparse} methods. */
final class Unparsing {
  private Unparsing() {}

  /** Writes a string as a single-quoted SQL literal, doubling embedded quotes. */
  static void string(SqlWriter writer, String value) {
    writer.literal("'" + value.replace("'", "''") + "'");
  }

  /** Writes {@code KEYWORD = 'value'} when the value is present. */
  static void stringOption(SqlWriter writer, String keyword, String value) {
    if (value != null) {
      writer.keyword(keyword);
      writer.keyword("=");
      string(writer, value);
    }
  }

  /** Writes nodes as a parenthesized, comma-separated list. */
  static void parenthesized(SqlWriter writer, List<? extends SqlNode> nodes) {
    SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode node : nodes) {
      writer.sep(",");
      node.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }

  /** Writes nodes separated by commas, without parentheses. */
  static void commaList(SqlWriter writer, List<? extends SqlNode> nodes) {
    SqlWriter.Frame frame = writer.startList("", "");
    for (SqlNode node : nodes) {
      writer.sep(",");
      node.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
