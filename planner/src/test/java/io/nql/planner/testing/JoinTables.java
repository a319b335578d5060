package io.nql.planner.testing;

import io.nql.planner.engine.NqlSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The tables of the many-table join suite, shaped like sqllogictest's {@code select5}: tables
 * {@code t1} … {@code t64}, each with ten rows {@code a<n>} = 1..10 (a key), {@code b<n>} a
 * permutation of 1..10 and {@code x<n>} = {@code 'table t<n> row <a>'}, so every equality {@code
 * a<i> = b<j>} is a one-to-one match and a connected equality chain returns at most ten rows.
 *
 * <p>Each table is a provider's dataset {@code src<n>} behind an access rule {@code t<n>} that
 * shows those ten rows and hides {@link #HIDDEN} more. Hidden rows are built so that touching one
 * is observable: their {@code a} and {@code b} repeat visible values (a hidden row would join and
 * add rows), their divisor {@code d<n>} is 0 (visible rows: 1..3) and their {@code x} says {@code
 * hidden}. The dataset's column {@code h<n>} (1 on hidden rows) is not in the rule.
 *
 * <p>Deterministic for a seed.
 */
public final class JoinTables {
  /** Number of tables. */
  public static final int COUNT = 64;

  /** Rows of each table that the access rule shows. */
  public static final int ROWS = 10;

  /** Rows of each dataset that the access rule hides. */
  public static final int HIDDEN = 2;

  private final int[][] b = new int[COUNT + 1][ROWS + 1];
  private final int[][] hiddenA = new int[COUNT + 1][HIDDEN];
  private final int[][] hiddenB = new int[COUNT + 1][HIDDEN];

  /** The tables for {@code seed}. */
  public JoinTables(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int n = 1; n <= COUNT; n++) {
      int[] perm = permutation(random);
      System.arraycopy(perm, 0, b[n], 1, ROWS);
      for (int h = 0; h < HIDDEN; h++) {
        hiddenA[n][h] = 1 + random.nextInt(ROWS);
        hiddenB[n][h] = 1 + random.nextInt(ROWS);
      }
    }
  }

  private static int[] permutation(SplittableRandom random) {
    int[] p = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      p[i] = i + 1;
    }
    for (int i = ROWS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** {@code b<table>} of the visible row whose {@code a<table>} is {@code a} (1..10). */
  public int b(int table, int a) {
    return b[table][a];
  }

  /** {@code x<table>} of the visible row whose {@code a<table>} is {@code a}. */
  public static String x(int table, int a) {
    return "table t" + table + " row " + a;
  }

  /** {@code d<table>} of the visible row whose {@code a<table>} is {@code a}: never 0. */
  public static int d(int table, int a) {
    return 1 + (table + a) % 3;
  }

  /** The dataset's name: {@code src<n>}. */
  public static String dataset(int table) {
    return "src" + table;
  }

  /** The access rule's name: {@code t<n>}. */
  public static String rule(int table) {
    return "t" + table;
  }

  /** The dataset's columns, for {@code CREATE DATASET}. */
  public static String datasetColumns(int table) {
    int n = table;
    return "a"
        + n
        + " INTEGER, b"
        + n
        + " INTEGER, x"
        + n
        + " VARCHAR, d"
        + n
        + " INTEGER, h"
        + n
        + " INTEGER";
  }

  /** The columns the access rule shows, in order. */
  public static String ruleColumns(int table) {
    int n = table;
    return "a" + n + ", b" + n + ", x" + n + ", d" + n;
  }

  /** The access rule's row filter over the dataset: its visible rows. */
  public static String ruleFilter(int table) {
    return "h" + table + " = 0";
  }

  /** Every row of the dataset, visible and hidden, interleaved, as values a, b, x, d, h. */
  public List<Object[]> datasetRows(int table) {
    List<Object[]> rows = new ArrayList<>();
    for (int a = 1; a <= ROWS; a++) {
      rows.add(new Object[] {a, b(table, a), x(table, a), d(table, a), 0});
      if (a <= HIDDEN) {
        int h = a - 1;
        rows.add(
            new Object[] {
              hiddenA[table][h], hiddenB[table][h], "hidden t" + table + " row " + (h + 1), 0, 1
            });
      }
    }
    return rows;
  }

  /** The dataset as CSV with a header line. */
  public String csv(int table) {
    int n = table;
    StringBuilder sb = new StringBuilder();
    sb.append("a").append(n).append(",b").append(n).append(",x").append(n);
    sb.append(",d").append(n).append(",h").append(n).append('\n');
    for (Object[] row : datasetRows(table)) {
      for (int i = 0; i < row.length; i++) {
        sb.append(i == 0 ? "" : ",").append(row[i]);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * Loads tables 1..{@code tables} as the provider's datasets (CSV files written to its ingest
   * area, then {@code COPY INTO}) and shares each through its access rule, free of charge, with
   * {@code buyerCompany}.
   *
   * @param provider a session of the providing company
   * @param area the provider's ingest area ({@code <ingest root>/<provider slug>/})
   */
  public void load(NqlSession provider, Path area, int tables, String buyerCompany)
      throws IOException {
    Files.createDirectories(area);
    for (int n = 1; n <= tables; n++) {
      Path csv = area.resolve(dataset(n) + ".csv");
      Files.writeString(csv, csv(n));
      provider.execute("CREATE DATASET \"" + dataset(n) + "\" (" + datasetColumns(n) + ")").close();
      provider
          .execute("COPY INTO company_data." + dataset(n) + " FROM '" + csv + "' HEADER = TRUE")
          .close();
      provider
          .execute(
              "CREATE ACCESS RULE \""
                  + rule(n)
                  + "\" PRICE_CPM_USD = 0 SHARE WITH COMPANIES ("
                  + buyerCompany
                  + ") AS SELECT "
                  + ruleColumns(n)
                  + " FROM company_data."
                  + dataset(n)
                  + " WHERE "
                  + ruleFilter(n))
          .close();
    }
  }
}
