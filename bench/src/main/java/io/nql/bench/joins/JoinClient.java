package io.nql.bench.joins;

import java.util.List;

/** One system under test: the name of each join table there, and a query's rows as text. */
interface JoinClient extends AutoCloseable {
  String name();

  /** How a query names table {@code n} (1..64) in this system. */
  String table(int n);

  /** Runs {@code sql} and reads every value of every row. */
  List<List<String>> rows(String sql) throws Exception;
}
