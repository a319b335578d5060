package io.nql.server.cli;

import io.nql.planner.engine.EngineConfig;
import io.nql.planner.engine.NqlEngine;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The console on an engine in the test's process, as {@code nql shell --warehouse} runs it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineConsoleTest extends ConsoleBehaviourSuite {
  NqlEngine engine;

  @BeforeAll
  void open() {
    engine = NqlEngine.open(EngineConfig.embedded(ConsoleWarehouse.get(), List.of()));
  }

  @AfterAll
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Override
  ConsoleSession open(String user, String password) {
    return new EngineConsoleSession(
        engine.trusted(user),
        ConsoleWarehouse.get().toString(),
        () -> {},
        new ProgressBar(new java.io.PrintWriter(java.io.Writer.nullWriter()), false));
  }
}
