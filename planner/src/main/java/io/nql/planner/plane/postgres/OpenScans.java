package io.nql.planner.plane.postgres;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.linq4j.Enumerator;

/**
 * The plane scans one statement has open, closed when the statement ends ({@link #closeAll}),
 * whatever the operators above them did: Calcite's {@code EnumerableDefaults.distinct}, which
 * builds a hash semi-join's inner set (EXISTS, IN), closes its input only when it read it to the
 * end, so a failure above a plane scan (a cast failing on one of its rows) would leave the scan's
 * session "idle in transaction" on the provider's server, holding a snapshot and locks, for as long
 * as the gateway runs. The statement puts its registry in the context under {@link #CONTEXT_KEY}; a
 * scan registers itself while it is open.
 */
public final class OpenScans {
  /** The context key of the statement's registry. */
  public static final String CONTEXT_KEY = "nqlOpenPlaneScans";

  private final Set<Enumerator<?>> open = new LinkedHashSet<>();

  synchronized void opened(Enumerator<?> scan) {
    open.add(scan);
  }

  synchronized void closed(Enumerator<?> scan) {
    open.remove(scan);
  }

  /** Closes every scan still open (each ends its transaction and its connection). */
  public void closeAll() {
    List<Enumerator<?>> left;
    synchronized (this) {
      left = new ArrayList<>(open);
      open.clear();
    }
    for (Enumerator<?> scan : left) {
      try {
        scan.close();
      } catch (RuntimeException e) {
        // the scan's connection is closed by its close either way; nothing else to release
      }
    }
  }
}
