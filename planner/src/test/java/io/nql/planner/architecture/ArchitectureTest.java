package io.nql.planner.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The planner's layering (docs/architecture.md, "Packages"): no cycle between its packages, and the
 * lower layers (the result types, SQL-to-plan conversion, the policy's plan nodes, the executor)
 * never reach up into the layers that use them.
 */
class ArchitectureTest {
  private static JavaClasses planner;

  @BeforeAll
  static void importPlanner() {
    planner =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.nql.planner");
  }

  @Test
  void plannerPackagesHaveNoCycle() {
    assertThat(planner.size()).as("planner classes imported").isGreaterThan(200);
    Architecture.packagesFreeOfCycles("io.nql.planner").check(planner);
  }

  @Test
  void theCycleRuleCatchesADeliberateCycle() {
    JavaClasses fixture = new ClassFileImporter().importPackages("io.nql.archfixture.cycle");
    assertThat(fixture.size()).isEqualTo(2);
    EvaluationResult result =
        Architecture.packagesFreeOfCycles("io.nql.archfixture.cycle").evaluate(fixture);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("Cycle detected", "a", "b");
  }

  /**
   * The engine logs; it never prints (a debugging print once reached a commit). The parser JavaCC
   * generates keeps a debug stream it never uses.
   */
  @Test
  void theEngineWritesNothingToStandardStreams() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that()
        .resideOutsideOfPackage("io.nql.planner.parser.impl..")
        .should(com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS)
        .check(planner);
  }

  @Test
  void resultTypesDependOnNoOtherPlannerPackage() {
    Architecture.below(
            "result",
            "error",
            "parser",
            "plan",
            "policy",
            "exec",
            "vector",
            "iceberg",
            "catalog",
            "store",
            "warehouse",
            "ingest",
            "engine",
            "meta",
            "demo")
        .check(planner);
  }

  @Test
  void conversionSitsBelowPolicyAndExecution() {
    Architecture.below(
            "plan", "policy", "exec", "vector", "engine", "meta", "store", "warehouse", "demo")
        .check(planner);
  }

  @Test
  void policyNodesSitBelowExecution() {
    Architecture.below("policy", "exec", "vector", "engine", "meta", "demo").check(planner);
  }

  @Test
  void rowEngineDoesNotKnowTheVectorPathOrTheEngine() {
    Architecture.below("exec", "vector", "engine", "meta", "demo").check(planner);
  }

  @Test
  void exportsDoNotKnowTheEngine() {
    Architecture.below("export", "engine", "meta", "demo", "vector", "policy").check(planner);
  }

  @Test
  void engineDoesNotKnowItsFrontEndAdapter() {
    Architecture.below("engine", "meta", "demo").check(planner);
  }

  @Test
  void theLayerRuleCatchesAnUpwardDependency() {
    // plan uses error: a rule that puts plan below error must report it
    EvaluationResult result = Architecture.below("plan", "error").evaluate(planner);
    assertThat(result.hasViolation()).isTrue();
  }
}
