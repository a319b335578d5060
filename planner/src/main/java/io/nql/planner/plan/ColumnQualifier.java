package io.nql.planner.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Qualifies the unqualified column names of a long FROM list before validation, as the validator
 * itself would: Calcite resolves an unqualified name by asking every table of the FROM list whether
 * it has the column, and each ask walks the list again, so a 40-table join spent most of its
 * validation (a fifth of its whole statement) comparing names. Here a name in the WHERE clause or
 * the select list of a SELECT is rewritten to {@code alias.name} when exactly one table of that
 * SELECT's own FROM list has a column of exactly that name (names are case-sensitive) — the table
 * the validator would pick, since an unqualified name resolves in the innermost FROM list that has
 * it and is ambiguous when two tables there have it. Everything else is left to the validator
 * unchanged: names no table or several tables have (outer references, errors), qualified names, and
 * whole SELECTs whose FROM list is anything but schema-qualified tables joined without {@code
 * USING} or {@code NATURAL} (sub-queries, CTEs, table functions, column aliases), whose aliases
 * repeat, or where an alias is also a column name.
 *
 * <p>Only SELECTs of at least {@link #MIN_TABLES} tables are rewritten: below, resolution is cheap.
 * ON conditions (whose scope is the tables joined so far), GROUP BY, HAVING and ORDER BY (which may
 * name select-list aliases) are never touched.
 */
final class ColumnQualifier {
  /** FROM lists shorter than this are left to the validator. */
  static final int MIN_TABLES = 8;

  /** The operators whose operands are expressions of the enclosing scope, every one. */
  private static final Set<SqlKind> DESCENDED =
      java.util.EnumSet.of(
          SqlKind.AND,
          SqlKind.OR,
          SqlKind.NOT,
          SqlKind.EQUALS,
          SqlKind.NOT_EQUALS,
          SqlKind.LESS_THAN,
          SqlKind.LESS_THAN_OR_EQUAL,
          SqlKind.GREATER_THAN,
          SqlKind.GREATER_THAN_OR_EQUAL,
          SqlKind.IS_NULL,
          SqlKind.IS_NOT_NULL,
          SqlKind.PLUS,
          SqlKind.MINUS,
          SqlKind.TIMES,
          SqlKind.DIVIDE,
          SqlKind.MINUS_PREFIX);

  private ColumnQualifier() {}

  /** Rewrites every long-FROM SELECT of {@code query}, in place. */
  static void qualify(SqlNode query, SchemaPlus root, RelDataTypeFactory typeFactory) {
    List<SqlSelect> selects = new ArrayList<>();
    query.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect s) {
              selects.add(s);
            }
            return super.visit(call);
          }
        });
    for (SqlSelect select : selects) {
      Map<String, RelDataType> tables = fromTables(select, root, typeFactory);
      if (tables != null) {
        rewrite(select, owners(tables));
      }
    }
  }

  /**
   * Column name → the alias of the only table that has it; names that several tables have (or one
   * table twice) are absent.
   */
  private static Map<String, String> owners(Map<String, RelDataType> tables) {
    Map<String, String> owners = new HashMap<>();
    Set<String> shared = new HashSet<>();
    for (Map.Entry<String, RelDataType> t : tables.entrySet()) {
      for (RelDataTypeField f : t.getValue().getFieldList()) {
        if (owners.putIfAbsent(f.getName(), t.getKey()) != null) {
          shared.add(f.getName());
        }
      }
    }
    owners.keySet().removeAll(shared);
    return owners;
  }

  /**
   * The tables of a SELECT's FROM list by alias, or null when it is not a long list of plain,
   * schema-qualified tables with distinct aliases that are no column's name.
   */
  private static @Nullable Map<String, RelDataType> fromTables(
      SqlSelect select, SchemaPlus root, RelDataTypeFactory typeFactory) {
    List<SqlNode> items = new ArrayList<>();
    if (select.getFrom() == null || !flatten(select.getFrom(), items)) {
      return null;
    }
    if (items.size() < MIN_TABLES) {
      return null;
    }
    Map<String, RelDataType> tables = new HashMap<>();
    for (SqlNode item : items) {
      SqlIdentifier name;
      String alias;
      if (item instanceof SqlIdentifier id) {
        name = id;
        alias = id.names.get(id.names.size() - 1);
      } else if (item.getKind() == SqlKind.AS
          && item instanceof SqlBasicCall as
          && as.operandCount() == 2
          && as.operand(0) instanceof SqlIdentifier id
          && as.operand(1) instanceof SqlIdentifier a
          && a.isSimple()) {
        name = id;
        alias = a.getSimple();
      } else {
        return null;
      }
      if (name.names.size() != 2 || name.isStar()) {
        return null;
      }
      SchemaPlus schema = root.getSubSchema(name.names.get(0));
      Table table = schema == null ? null : schema.getTable(name.names.get(1));
      if (table == null || tables.put(alias, table.getRowType(typeFactory)) != null) {
        return null;
      }
    }
    for (RelDataType rowType : tables.values()) {
      for (RelDataTypeField f : rowType.getFieldList()) {
        if (tables.containsKey(f.getName())
            || f.getType().isStruct()
            || f.getType().getComponentType() != null
            || f.getType().getKeyType() != null) {
          return null;
        }
      }
    }
    return tables;
  }

  /** The tables of a FROM clause joined without USING or NATURAL, in order; false otherwise. */
  private static boolean flatten(SqlNode from, List<SqlNode> items) {
    if (from instanceof SqlJoin join) {
      if (join.isNatural()
          || join.getConditionType() == JoinConditionType.USING
          || join.getJoinType() == JoinType.LEFT_SEMI_JOIN
          || join.getJoinType() == JoinType.LEFT_ANTI_JOIN
          || join.getJoinType() == JoinType.LEFT_ASOF
          || join.getJoinType() == JoinType.ASOF) {
        return false;
      }
      return flatten(join.getLeft(), items) && flatten(join.getRight(), items);
    }
    items.add(from);
    return true;
  }

  private static void rewrite(SqlSelect select, Map<String, String> owners) {
    SqlNodeList list = select.getSelectList();
    for (int i = 0; i < list.size(); i++) {
      SqlNode item = list.get(i);
      if (item instanceof SqlBasicCall as && as.getKind() == SqlKind.AS) {
        as.setOperand(0, qualified(as.operand(0), owners));
      } else {
        list.set(i, qualified(item, owners));
      }
    }
    if (select.getWhere() != null) {
      select.setWhere(qualified(select.getWhere(), owners));
    }
  }

  /** An expression with its names qualified, in place where it is a call. */
  private static SqlNode qualified(SqlNode e, Map<String, String> owners) {
    if (e instanceof SqlIdentifier id) {
      String alias = id.isSimple() && !id.isStar() ? owners.get(id.getSimple()) : null;
      if (alias == null) {
        return e;
      }
      SqlParserPos pos = id.getParserPosition();
      return new SqlIdentifier(List.of(alias, id.getSimple()), null, pos, List.of(pos, pos));
    }
    if (!(e instanceof SqlBasicCall call) || !DESCENDED.contains(call.getKind())) {
      // Only into operators whose operands are all expressions of this scope: a sub-query has a
      // scope of its own, and other calls may take names that are no columns (DATE_TRUNC's unit,
      // a field, a parameter or window name).
      return e;
    }
    List<SqlNode> operands = call.getOperandList();
    for (int i = 0; i < operands.size(); i++) {
      SqlNode operand = operands.get(i);
      if (operand == null) {
        continue;
      }
      SqlNode q = qualified(operand, owners);
      if (q != operand) {
        call.setOperand(i, q);
      }
    }
    return e;
  }
}
