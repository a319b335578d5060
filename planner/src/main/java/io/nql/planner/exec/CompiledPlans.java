package io.nql.planner.exec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.tree.ClassDeclaration;
import org.apache.calcite.linq4j.tree.ConstantExpression;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.FieldDeclaration;
import org.apache.calcite.linq4j.tree.NewExpression;
import org.apache.calcite.linq4j.tree.UnaryExpression;
import org.apache.calcite.linq4j.tree.VisitorImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.runtime.ArrayBindable;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.runtime.Typed;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.util.Pair;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.codehaus.commons.compiler.CompilerFactoryFactory;
import org.codehaus.commons.compiler.ISimpleCompiler;

/**
 * Compiles optimized plans to {@link Bindable}s, reusing the compiled class of an earlier plan that
 * generated the same Java source. Janino compilation is most of the per-statement cost of a small
 * query once planning is warm, and the same statement shapes repeat.
 *
 * <p>Reuse is safe because the source is the whole program: per-statement values (scan specs
 * stashed by {@code IcebergTableScan}, {@code ?} parameters, the statement time) are not in the
 * source but looked up by name in the {@code DataContext} that {@link Bindable#bind} receives, and
 * the generated names are deterministic for a given plan. Static fields are initialized once per
 * class, so a class is cached only when each of its static fields holds an immutable value (Calcite
 * hoists constants such as a rule's price, {@code new BigDecimal("0.00")}, into such fields; their
 * initializer is part of the source, so equal sources give equal values). A class with any other
 * static field is compiled per statement, as Calcite's own bindable cache does for every static
 * field. Thread-safe; at most {@code maxEntries} classes are kept (Caffeine's size bound, which
 * keeps the shapes that recur).
 */
final class CompiledPlans {
  private final int maxEntries;
  private final Cache<String, Bindable<Object>> cache;
  private final Cache<String, Part> parts;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong partHits = new AtomicLong();

  CompiledPlans(int maxEntries) {
    this.maxEntries = maxEntries;
    // Evicts on the caller's thread, so the bound holds when a statement returns.
    this.cache =
        Caffeine.newBuilder().maximumSize(Math.max(maxEntries, 0)).executor(Runnable::run).build();
    this.parts =
        Caffeine.newBuilder().maximumSize(Math.max(maxEntries, 0)).executor(Runnable::run).build();
  }

  /**
   * A compiled part of a plan that any statement may bind: its class, which serves every statement
   * ({@link Compiled#reusable}), and the values it stashed, each an immutable scan spec.
   */
  record Part(Bindable<Object> bindable, Map<String, Object> stash) {}

  /**
   * The kept part of a plan with this digest ({@link #digest}), if an earlier statement compiled
   * one. Generating a part's code only to find its class in the cache was most of the cost of
   * binding a part (in a join of forty rule tables, a tenth of the statement).
   */
  @Nullable Part part(String digest) {
    Part p = maxEntries <= 0 ? null : parts.getIfPresent(digest);
    if (p != null) {
      partHits.incrementAndGet();
    }
    return p;
  }

  /** Parts served by their digest, without generating their code. */
  long partHits() {
    return partHits.get();
  }

  /** Keeps a part that {@link #toCompiled} found reusable, under its plan's digest. */
  void keepPart(String digest, Part part) {
    if (maxEntries > 0) {
      parts.asMap().putIfAbsent(digest, part);
    }
  }

  /**
   * What identifies a plan's generated code and stashed values: its planner digest ({@link
   * SqlExplainLevel#DIGEST_ATTRIBUTES}: every operator with every expression; each scan's Iceberg
   * table by UUID and snapshot, its columns and filters; each rule's id, version, price, cap and
   * row ids) and the row type of every node, nullability included. Calcite's planners already take
   * two nodes of equal digests for one node; the row types are added because code generation
   * depends on them and a digest does not always show them.
   */
  static String digest(RelNode plan) {
    StringBuilder out = new StringBuilder();
    new DeepDigest(out).write(plan);
    return out.toString();
  }

  /**
   * Writes a node as Calcite's digest writer does (the {@link SqlExplainLevel#DIGEST_ATTRIBUTES}
   * terms), then its row type, then each input the same way: the whole tree, where Calcite's own
   * digest names inputs by their ids.
   */
  private static final class DeepDigest implements RelWriter {
    private final StringBuilder out;
    private final List<Pair<String, @Nullable Object>> terms = new ArrayList<>();

    DeepDigest(StringBuilder out) {
      this.out = out;
    }

    void write(RelNode rel) {
      rel.explain(this);
    }

    @Override
    public void explain(RelNode rel, List<Pair<String, @Nullable Object>> valueList) {
      throw new IllegalStateException("a digest is written term by term");
    }

    @Override
    public SqlExplainLevel getDetailLevel() {
      return SqlExplainLevel.DIGEST_ATTRIBUTES;
    }

    @Override
    public RelWriter item(String term, @Nullable Object value) {
      terms.add(Pair.of(term, value));
      return this;
    }

    @Override
    public RelWriter done(RelNode node) {
      out.append(node.getRelTypeName()).append('(');
      for (Pair<String, @Nullable Object> t : terms) {
        if (t.right instanceof RelNode) {
          continue; // inputs are written below, every one of them
        }
        out.append(t.left).append('=');
        Object v = t.right;
        out.append(v != null && v.getClass().isArray() ? Arrays.deepToString(new Object[] {v}) : v);
        out.append(',');
      }
      out.append("type=").append(node.getRowType().getFullTypeString());
      for (RelNode input : node.getInputs()) {
        out.append(",input=");
        new DeepDigest(out).write(input);
      }
      out.append(')');
      return this;
    }
  }

  /**
   * The compiled form of a plan.
   *
   * @param parameters receives the values the generated code looks up (stashed objects)
   */
  Bindable<Object> toBindable(Map<String, Object> parameters, EnumerableRel plan) {
    return toCompiled(parameters, plan).bindable();
  }

  /**
   * A compiled plan, and whether its class may serve other statements (every static field holds an
   * immutable value).
   */
  record Compiled(Bindable<Object> bindable, boolean reusable) {}

  /**
   * The compiled form of a plan, as {@link #toBindable}, telling whether the class may be reused.
   */
  Compiled toCompiled(Map<String, Object> parameters, EnumerableRel plan) {
    // The code is generated once: the source is both the cache key and what is compiled.
    ClassDeclaration program =
        new EnumerableRelImplementor(plan.getCluster().getRexBuilder(), parameters)
            .implementRoot(plan, EnumerableRel.Prefer.ARRAY);
    // The text Calcite compiles, without the class header (whose name is fixed).
    String source = Expressions.toString(program.memberDeclarations, "\n", false);
    int fieldCount = plan.getRowType().getFieldCount();
    if (maxEntries <= 0 || hasMutableStaticField(program)) {
      misses.incrementAndGet();
      return new Compiled(compile(program.name, source, fieldCount), false);
    }
    Bindable<Object> cached = cache.getIfPresent(source);
    if (cached != null) {
      hits.incrementAndGet();
      return new Compiled(cached, true);
    }
    misses.incrementAndGet();
    Bindable<Object> compiled = compile(program.name, source, fieldCount);
    cache.asMap().putIfAbsent(source, compiled);
    return new Compiled(compiled, true);
  }

  /**
   * Compiles generated source as Calcite's {@link EnumerableInterpretable#toBindable} does (the
   * same class header and interfaces), without generating it a second time.
   */
  @SuppressWarnings("unchecked")
  private static Bindable<Object> compile(String className, String body, int fieldCount) {
    String source =
        "public final class "
            + className
            + " implements "
            + (fieldCount == 1
                ? Bindable.class.getCanonicalName() + ", " + Typed.class.getCanonicalName()
                : ArrayBindable.class.getCanonicalName())
            + " {\n"
            + body
            + "\n}";
    ClassLoader loader = CompiledPlans.class.getClassLoader();
    try {
      ISimpleCompiler compiler =
          CompilerFactoryFactory.getDefaultCompilerFactory(loader).newSimpleCompiler();
      compiler.setParentClassLoader(loader);
      compiler.cook(source);
      return (Bindable<Object>)
          compiler.getClassLoader().loadClass(className).getDeclaredConstructors()[0].newInstance();
    } catch (Exception e) {
      throw new IllegalStateException("Error while compiling generated Java code:\n" + body, e);
    }
  }

  /** Plans served from the cache. */
  long hits() {
    return hits.get();
  }

  /** Plans compiled. */
  long misses() {
    return misses.get();
  }

  /** Types whose instances cannot change, so one static value may serve every statement. */
  private static final Set<Type> IMMUTABLE_TYPES =
      Set.of(
          BigDecimal.class,
          BigInteger.class,
          String.class,
          Boolean.class,
          Byte.class,
          Short.class,
          Integer.class,
          Long.class,
          Float.class,
          Double.class,
          Character.class,
          boolean.class,
          byte.class,
          short.class,
          int.class,
          long.class,
          float.class,
          double.class,
          char.class);

  /**
   * Whether the program declares, anywhere (also in nested classes), a static field that is not
   * final, whose type is not known to be immutable, or whose initializer computes (rather than
   * being a literal or a number built from literals): a computed constant may fail ({@code 1 / 0},
   * {@code LN(0)}), and a class whose initializer failed cannot be used again — each statement then
   * needs a fresh class, which fails again, with the same error.
   */
  static boolean hasMutableStaticField(ClassDeclaration program) {
    boolean[] found = {false};
    program.accept(
        new VisitorImpl<Void>() {
          @Override
          public Void visit(FieldDeclaration field) {
            if (Modifier.isStatic(field.modifier)
                && !(Modifier.isFinal(field.modifier)
                    && IMMUTABLE_TYPES.contains(field.parameter.getType())
                    && isLiteral(field.initializer))) {
              found[0] = true;
              return null;
            }
            return super.visit(field);
          }
        });
    return found[0];
  }

  /** A literal, or a {@code new BigDecimal("…")} (or similar) of literals. */
  private static boolean isLiteral(Expression e) {
    if (e == null || e instanceof ConstantExpression) {
      return true;
    }
    if (e instanceof UnaryExpression u && u.expression instanceof ConstantExpression) {
      return true; // a negative number
    }
    if (e instanceof NewExpression n && n.memberDeclarations == null) {
      for (Expression arg : n.arguments) {
        if (!(arg instanceof ConstantExpression)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
