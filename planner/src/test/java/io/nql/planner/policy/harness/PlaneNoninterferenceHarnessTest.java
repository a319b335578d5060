package io.nql.planner.policy.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

/**
 * The noninterference harness ({@link NoninterferenceHarnessTest}) with the provider's {@code
 * events} resting in a PostgreSQL data plane ({@link EventsPlane}) in every world: worlds that
 * differ only in what the buyer may not see or has not paid for, now in the plane's tables, must
 * still look the same to the buyer.
 */
class PlaneNoninterferenceHarnessTest extends NoninterferenceHarnessTest {
  /** Fewer statements than the embedded run: each plane scan is a round trip to PostgreSQL. */
  static final int PLANE_STATEMENTS = 250;

  private EventsPlane plane;

  @Override
  int defaultStatements() {
    return PLANE_STATEMENTS;
  }

  @Override
  String reportName() {
    return "plane-noninterference";
  }

  @Override
  void beforeWorlds() {
    plane = EventsPlane.require();
  }

  @Override
  HarnessWorld world(Path at, WorldData data) {
    HarnessWorld w = HarnessWorld.createOnPlane(at, data, plane);
    // The rules must read the plane's table, not an embedded copy: else this run proves nothing
    // new.
    assertThat(
            w.engine().warehouse().dataset(w.providerCompanyId(), "events").orElseThrow().inPlane())
        .as("the provider's events rest in the PostgreSQL plane")
        .isTrue();
    return w;
  }

  @Override
  void afterWorlds() throws Exception {
    if (plane != null) {
      plane.close();
    }
  }
}
