package io.nql.planner.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The planner's package rules, as ArchUnit rules (see {@code docs/architecture.md}, "Packages").
 * Used by {@code ArchitectureTest} on the planner and, for the cycle rule, on a fixture with a
 * deliberate cycle (so the rule is known to catch one); the server module checks the front ends'
 * boundary with {@link #FRONT_END_API}.
 */
public final class Architecture {
  private Architecture() {}

  /** The planner packages a front end ({@code flight}, {@code server}, {@code driver}) may use. */
  public static final String[] FRONT_END_API = {
    "io.nql.planner.engine..",
    "io.nql.planner.meta..",
    "io.nql.planner.error..",
    "io.nql.planner.result..",
    "io.nql.planner.demo.."
  };

  /** No cycle between the packages directly below {@code root} (with their sub-packages). */
  public static ArchRule packagesFreeOfCycles(String root) {
    return slices()
        .matching(root + ".(*)..")
        .should()
        .beFreeOfCycles()
        .because("a cycle between packages makes each one impossible to change alone");
  }

  /**
   * Classes in {@code pkg} use none of the planner packages {@code above} it (simple names below
   * {@code io.nql.planner}).
   */
  public static ArchRule below(String pkg, String... above) {
    String[] packages =
        Arrays.stream(above).map(p -> "io.nql.planner." + p + "..").toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage("io.nql.planner." + pkg + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages)
        .because(pkg + " sits below " + String.join(", ", above));
  }
}
