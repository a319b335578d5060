package io.nql.planner.maintenance;

import io.nql.planner.parser.NqlParser;
import io.nql.planner.parser.SqlBudgetQuery;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The filters of a logged statement, found by parsing its text again: for each table a {@code
 * SELECT} reads by name ({@code company_data.events}, {@code acme.events_eu}), the comparisons of
 * its {@code WHERE} between one of its columns and literals ({@code =}, {@code <}, {@code <=},
 * {@code >}, {@code >=}, {@code BETWEEN}, {@code IN}). A column is the table's when it is qualified
 * by the table's name or alias, or unqualified in a {@code SELECT} that reads that one table. Only
 * numeric, text, {@code DATE} and {@code TIMESTAMP} literals count; anything else (a function of a
 * column, a parameter, a sub-query) is not a filter the layout can serve and is left out.
 */
public final class QueryPredicates {
  private QueryPredicates() {}

  /**
   * A filter on one column.
   *
   * @param column the column's name as written, lower case
   * @param low the smallest value it keeps (null: unbounded): a BigDecimal, a String, a LocalDate
   *     or a LocalDateTime
   * @param high the largest value it keeps (null: unbounded)
   * @param points for {@code =} and {@code IN}, the values it keeps; empty for a range
   */
  public record Predicate(
      String column, @Nullable Object low, @Nullable Object high, List<Object> points) {}

  /**
   * The filters of {@code sql} per table it reads (the table's last two name parts, lower case,
   * joined by a dot); empty when the text does not parse or reads no table with a filter.
   */
  public static Map<String, List<Predicate>> of(String sql) {
    SqlNode node;
    try {
      node = NqlParser.parse(sql);
    } catch (RuntimeException e) {
      return Map.of(); // not a statement this parser reads now: nothing to learn from it
    }
    if (node instanceof SqlBudgetQuery b) {
      node = b.getQuery();
    }
    Map<String, List<Predicate>> out = new LinkedHashMap<>();
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect select) {
              select(select, out);
            }
            return super.visit(call);
          }
        });
    return out;
  }

  private static void select(SqlSelect select, Map<String, List<Predicate>> out) {
    Map<String, String> tables = new HashMap<>(); // alias or last name part -> table key
    from(select.getFrom(), tables);
    if (tables.isEmpty() || select.getWhere() == null) {
      return;
    }
    String only = tables.size() == 1 ? tables.values().iterator().next() : null;
    for (SqlNode conjunct : conjuncts(select.getWhere())) {
      if (!(conjunct instanceof SqlBasicCall call)) {
        continue;
      }
      Found f = found(call);
      if (f == null) {
        continue;
      }
      List<String> names = f.column().names;
      String table =
          names.size() == 1
              ? only
              : tables.get(names.get(names.size() - 2).toLowerCase(Locale.ROOT));
      if (table != null) {
        String column = names.get(names.size() - 1).toLowerCase(Locale.ROOT);
        out.computeIfAbsent(table, k -> new ArrayList<>())
            .add(new Predicate(column, f.low(), f.high(), f.points()));
      }
    }
  }

  /** A comparison of a column with literals. */
  private record Found(
      SqlIdentifier column, @Nullable Object low, @Nullable Object high, List<Object> points) {}

  private static @Nullable Found found(SqlBasicCall call) {
    SqlKind kind = call.getKind();
    List<SqlNode> ops = call.getOperandList();
    if (ops.size() < 2) {
      return null;
    }
    if (kind == SqlKind.BETWEEN && ops.size() == 3 && ops.get(0) instanceof SqlIdentifier c) {
      Object lo = value(ops.get(1));
      Object hi = value(ops.get(2));
      return lo == null || hi == null ? null : new Found(c, lo, hi, List.of());
    }
    if (kind == SqlKind.IN
        && ops.get(0) instanceof SqlIdentifier c
        && ops.get(1) instanceof SqlNodeList l) {
      List<Object> points = new ArrayList<>();
      for (SqlNode n : l) {
        Object v = value(n);
        if (v == null) {
          return null;
        }
        points.add(v);
      }
      return new Found(c, null, null, points);
    }
    SqlIdentifier column;
    Object v;
    if (ops.get(0) instanceof SqlIdentifier c && value(ops.get(1)) != null) {
      column = c;
      v = value(ops.get(1));
    } else if (ops.get(1) instanceof SqlIdentifier c && value(ops.get(0)) != null) {
      column = c;
      v = value(ops.get(0));
      kind = kind.reverse();
    } else {
      return null;
    }
    return switch (kind) {
      case EQUALS -> new Found(column, null, null, List.of(v));
      case LESS_THAN, LESS_THAN_OR_EQUAL -> new Found(column, null, v, List.of());
      case GREATER_THAN, GREATER_THAN_OR_EQUAL -> new Found(column, v, null, List.of());
      default -> null;
    };
  }

  /**
   * A numeric literal as a BigDecimal, a text literal as a String, a {@code DATE} literal as a
   * LocalDate, a {@code TIMESTAMP} literal as a LocalDateTime; null for anything else.
   */
  private static @Nullable Object value(SqlNode node) {
    if (node instanceof SqlLiteral l && l.getValue() != null) {
      try {
        if (l instanceof org.apache.calcite.sql.SqlUnknownLiteral u) {
          // DATE '…' and TIMESTAMP '…' parse as literals of a tag, resolved by validation
          l = u.resolve(org.apache.calcite.sql.type.SqlTypeName.valueOf(u.tag));
        }
        if (l.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.DATE) {
          return java.time.LocalDate.parse(l.getValueAs(DateString.class).toString());
        }
        if (l.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP) {
          return java.time.LocalDateTime.parse(
              l.getValueAs(TimestampString.class).toString().replace(' ', 'T'));
        }
      } catch (RuntimeException e) {
        return null; // a literal this does not read: not a filter to learn from
      }
    }
    if (node instanceof SqlBasicCall c
        && c.getKind() == SqlKind.MINUS_PREFIX
        && c.operand(0) instanceof SqlLiteral l
        && l.getValue() instanceof BigDecimal d) {
      return d.negate();
    }
    if (node instanceof SqlLiteral l) {
      if (l.getValue() instanceof BigDecimal d) {
        return d;
      }
      if (l.getTypeName().getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.CHARACTER) {
        return l.toValue();
      }
    }
    return null;
  }

  private static List<SqlNode> conjuncts(SqlNode where) {
    List<SqlNode> out = new ArrayList<>();
    if (where.getKind() == SqlKind.AND) {
      for (SqlNode n : ((SqlCall) where).getOperandList()) {
        out.addAll(conjuncts(n));
      }
    } else {
      out.add(where);
    }
    return out;
  }

  /** The tables a FROM reads by name, by alias (or last name part). */
  private static void from(@Nullable SqlNode from, Map<String, String> tables) {
    if (from == null) {
      return;
    }
    if (from instanceof SqlJoin j) {
      from(j.getLeft(), tables);
      from(j.getRight(), tables);
    } else if (from.getKind() == SqlKind.AS) {
      List<SqlNode> ops = ((SqlCall) from).getOperandList();
      if (ops.get(0) instanceof SqlIdentifier t && t.names.size() >= 2) {
        tables.put(((SqlIdentifier) ops.get(1)).getSimple().toLowerCase(Locale.ROOT), key(t));
      }
    } else if (from instanceof SqlIdentifier t && t.names.size() >= 2) {
      tables.put(t.names.get(t.names.size() - 1).toLowerCase(Locale.ROOT), key(t));
    }
  }

  private static String key(SqlIdentifier t) {
    int n = t.names.size();
    return (t.names.get(n - 2) + "." + t.names.get(n - 1)).toLowerCase(Locale.ROOT);
  }
}
