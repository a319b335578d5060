package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.parser.NqlParser;
import io.nql.planner.policy.RosettaTable;
import io.nql.planner.rosetta.Attribute;
import io.nql.planner.rosetta.AttributeType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * The Rosetta Stone of one source: {@code t._rosetta_stone."<attribute>"} (and {@code
 * t._rosetta_stone.<object>.<property>}) on a dataset or access rule {@code t} is rewritten, before
 * validation, into the source's mapping expression over {@code t}'s own columns — as if the caller
 * had written it. A rule offers an attribute when it passes through, unchanged, every column the
 * mapping reads; several mappings of the attribute give the first that is not NULL.
 */
final class RosettaColumns {
  /** The pseudo-column that holds a source's attributes. */
  static final String COLUMN = "_rosetta_stone";

  /**
   * What a source offers: its mapping expressions and, per dataset column, the name under which the
   * table passes it through (absent: not exposed).
   */
  record Source(
      String written, Map<String, String> exposed, List<RosettaTable.MappingExpr> mappings) {}

  /** Finds the source a table reference names, if it has one. */
  interface Resolver {
    Optional<Source> source(List<String> names);
  }

  private RosettaColumns() {}

  /**
   * {@code SELECT *} (or {@code alias.*}) over a {@code rosetta_stone} table reads its browsing
   * variant, where every attribute is optional: a star names every attribute, and a source that
   * offers only some of them still answers, with NULL for the others. Changes the parsed statement
   * in place.
   */
  static SqlNode browsing(SqlNode node) {
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlSelect select && select.getFrom() != null) {
              browse(select);
            }
            return super.visit(call);
          }
        });
    return node;
  }

  private static void browse(SqlSelect select) {
    boolean all = false;
    java.util.Set<String> aliases = new java.util.HashSet<>();
    for (SqlNode item : select.getSelectList()) {
      if (item instanceof SqlIdentifier id && id.isStar()) {
        if (id.names.size() == 1) {
          all = true;
        } else {
          aliases.add(id.names.get(id.names.size() - 2));
        }
      }
    }
    if (all || !aliases.isEmpty()) {
      select.setFrom(browseFrom(select.getFrom(), all, aliases));
    }
  }

  private static SqlNode browseFrom(SqlNode from, boolean all, java.util.Set<String> aliases) {
    if (from instanceof SqlJoin j) {
      j.setLeft(browseFrom(j.getLeft(), all, aliases));
      j.setRight(browseFrom(j.getRight(), all, aliases));
      return j;
    }
    SqlIdentifier table = null;
    String alias = null;
    if (from instanceof SqlIdentifier id) {
      table = id;
      alias = id.names.get(id.names.size() - 1);
    } else if (from instanceof SqlBasicCall as
        && as.getKind() == SqlKind.AS
        && as.operand(0) instanceof SqlIdentifier id) {
      table = id;
      alias = ((SqlIdentifier) as.operand(1)).getSimple();
    }
    if (table == null
        || table.names.size() != 2
        || !RosettaTable.NAME.equals(table.names.get(1))
        || !(all || aliases.contains(alias))) {
      return from;
    }
    SqlParserPos pos = table.getParserPosition();
    SqlIdentifier browse =
        new SqlIdentifier(List.of(table.names.get(0), RosettaTable.BROWSE_NAME), pos);
    return SqlStdOperatorTable.AS.createCall(pos, browse, new SqlIdentifier(alias, pos));
  }

  /** Whether a statement mentions {@code _rosetta_stone} at all (the rewrite is then needed). */
  static boolean mentioned(SqlNode node) {
    boolean[] found = {false};
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlIdentifier id) {
            found[0] |= id.names.contains(COLUMN);
            return null;
          }
        });
    return found[0];
  }

  /** The statement with every {@code alias._rosetta_stone…} replaced by its expression. */
  static SqlNode rewrite(SqlNode node, Resolver resolver, Map<String, Attribute> attributes) {
    return node.accept(new Rewriter(resolver, attributes));
  }

  private static final class Rewriter extends SqlShuttle {
    private final Resolver resolver;
    private final Map<String, Attribute> attributes;
    private final Deque<Map<String, List<String>>> scopes = new ArrayDeque<>();

    Rewriter(Resolver resolver, Map<String, Attribute> attributes) {
      this.resolver = resolver;
      this.attributes = attributes;
    }

    @Override
    public SqlNode visit(SqlCall call) {
      if (!(call instanceof SqlSelect select)) {
        return super.visit(call);
      }
      Map<String, List<String>> aliases = new LinkedHashMap<>();
      if (select.getFrom() != null) {
        collect(select.getFrom(), aliases);
      }
      scopes.push(aliases);
      try {
        SqlNodeList items = select.getSelectList();
        List<SqlNode> named = new ArrayList<>();
        for (SqlNode item : items) {
          if (item instanceof SqlIdentifier id && id.names.contains(COLUMN) && !id.isStar()) {
            SqlNode e = item.accept(this);
            String name = id.names.get(id.names.size() - 1);
            named.add(
                SqlStdOperatorTable.AS.createCall(
                    id.getParserPosition(), e, new SqlIdentifier(name, id.getParserPosition())));
          } else {
            named.add(item);
          }
        }
        select.setSelectList(new SqlNodeList(named, items.getParserPosition()));
        return super.visit(call);
      } finally {
        scopes.pop();
      }
    }

    private static void collect(SqlNode from, Map<String, List<String>> out) {
      if (from instanceof SqlJoin j) {
        collect(j.getLeft(), out);
        collect(j.getRight(), out);
      } else if (from instanceof SqlIdentifier id) {
        out.put(id.names.get(id.names.size() - 1), id.names);
      } else if (from instanceof SqlBasicCall as
          && as.getKind() == SqlKind.AS
          && as.operand(0) instanceof SqlIdentifier id) {
        out.put(((SqlIdentifier) as.operand(1)).getSimple(), id.names);
      }
    }

    @Override
    public SqlNode visit(SqlIdentifier id) {
      int at = id.names.indexOf(COLUMN);
      if (at < 0 || at > 1) {
        return id;
      }
      List<String> table = null;
      String alias = null;
      if (at == 1) {
        alias = id.names.get(0);
        for (Map<String, List<String>> scope : scopes) {
          if (scope.containsKey(alias)) {
            table = scope.get(alias);
            break;
          }
        }
      } else if (!scopes.isEmpty() && scopes.peek().size() == 1) {
        Map.Entry<String, List<String>> only = scopes.peek().entrySet().iterator().next();
        alias = only.getKey();
        table = only.getValue();
      }
      if (table == null || id.names.size() < at + 2) {
        return id; // validation reports the unknown column
      }
      String attr = id.names.get(at + 1);
      String prop = id.names.size() > at + 2 ? id.names.get(at + 2) : null;
      Source source =
          resolver
              .source(table)
              .orElseThrow(() -> unknown(id, "the table has no Rosetta Stone attributes"));
      Attribute a = attributes.get(attr);
      if (a == null) {
        throw unknown(id, "no attribute " + attr);
      }
      if (a.type() == AttributeType.OBJECT && prop == null) {
        throw new NqlException(
            ErrorCode.NOT_SUPPORTED,
            "Cannot read "
                + String.join(".", id.names)
                + ": read an object attribute property by property, e.g. "
                + alias
                + "."
                + COLUMN
                + "."
                + attr
                + "."
                + a.properties().get(0).name());
      }
      List<SqlNode> values = new ArrayList<>();
      Map<Integer, String> byOrdinal = new java.util.TreeMap<>();
      for (RosettaTable.MappingExpr m : source.mappings()) {
        if (m.attribute().equals(attr) && java.util.Objects.equals(m.property(), prop)) {
          byOrdinal.put(m.ordinal(), m.expression());
        }
      }
      for (String text : byOrdinal.values()) {
        expression(text, alias, source).ifPresent(values::add);
      }
      if (values.isEmpty()) {
        throw unknown(
            id,
            source.written() + " offers no attribute " + attr + (prop == null ? "" : "." + prop));
      }
      SqlParserPos pos = id.getParserPosition();
      return values.size() == 1
          ? values.get(0)
          : SqlStdOperatorTable.COALESCE.createCall(pos, values);
    }

    private static NqlException unknown(SqlIdentifier id, String why) {
      return new NqlException(
          ErrorCode.UNKNOWN_COLUMN, "Column " + String.join(".", id.names) + " not found: " + why);
    }
  }

  /**
   * A mapping expression over the table {@code alias}: each dataset column it reads becomes {@code
   * alias.<name the table exposes it under>}; empty when the table does not expose one of them.
   */
  private static Optional<SqlNode> expression(String text, String alias, Source source) {
    SqlSelect parsed = (SqlSelect) NqlParser.parse("SELECT (" + text + ") FROM t");
    SqlNode e = parsed.getSelectList().get(0);
    boolean[] hidden = {false};
    SqlNode out =
        e.accept(
            new SqlShuttle() {
              @Override
              public SqlNode visit(SqlIdentifier id) {
                if (id.names.size() != 1) {
                  return id;
                }
                String exposed = source.exposed().get(id.getSimple());
                if (exposed == null) {
                  hidden[0] = true;
                  return id;
                }
                return new SqlIdentifier(List.of(alias, exposed), id.getParserPosition());
              }
            });
    return hidden[0] ? Optional.empty() : Optional.of(out);
  }

  /**
   * The columns a rule's select list passes through unchanged: dataset column → output name.
   *
   * @param datasetColumns the dataset's columns (a star passes them all)
   */
  static Map<String, String> passedThrough(String ruleQuery, List<String> datasetColumns) {
    Map<String, String> out = new HashMap<>();
    SqlNode q = NqlParser.parse(ruleQuery);
    if (!(q instanceof SqlSelect select)) {
      return out;
    }
    for (SqlNode item : select.getSelectList()) {
      if (item instanceof SqlIdentifier star && star.isStar()) {
        datasetColumns.forEach(c -> out.putIfAbsent(c, c));
        continue;
      }
      SqlNode expr = item;
      String name = null;
      if (item instanceof SqlBasicCall as && as.getKind() == SqlKind.AS) {
        expr = as.operand(0);
        name = ((SqlIdentifier) as.operand(1)).getSimple();
      }
      if (expr instanceof SqlIdentifier id && !id.isStar()) {
        String column = id.names.get(id.names.size() - 1);
        out.putIfAbsent(column, name == null ? column : name);
      }
    }
    return out;
  }
}
