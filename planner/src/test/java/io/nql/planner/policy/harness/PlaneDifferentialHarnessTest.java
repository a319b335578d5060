package io.nql.planner.policy.harness;

import java.nio.file.Path;

/**
 * The differential harness ({@link DifferentialHarnessTest}) with the provider's {@code events}
 * resting in a PostgreSQL data plane ({@link EventsPlane}): the rules read the plane's table and
 * must answer and charge as the same oracle world of plain embedded tables does.
 */
class PlaneDifferentialHarnessTest extends DifferentialHarnessTest {
  /** Fewer statements than the embedded run: each plane scan is a round trip to PostgreSQL. */
  static final int PLANE_STATEMENTS = 400;

  private EventsPlane plane;

  @Override
  int defaultStatements() {
    return PLANE_STATEMENTS;
  }

  @Override
  String reportName() {
    return "plane-differential";
  }

  @Override
  void beforeWorlds() {
    plane = EventsPlane.require();
  }

  @Override
  HarnessWorld rulesWorld(Path at, WorldData data) {
    return HarnessWorld.createOnPlane(at, data, plane);
  }

  @Override
  void afterWorlds() throws Exception {
    if (plane != null) {
      plane.close();
    }
  }
}
