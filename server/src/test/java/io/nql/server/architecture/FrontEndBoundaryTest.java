package io.nql.server.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.nql.planner.architecture.Architecture;
import org.junit.jupiter.api.Test;

/**
 * The front ends ({@code flight}, {@code server}, {@code driver}) use the planner only through its
 * engine API ({@link Architecture#FRONT_END_API}: the engine, the Avatica adapter {@code meta}, the
 * error and result types, the demo data), never its internals (executor, policy, store, …), and
 * have no package cycle among themselves.
 */
class FrontEndBoundaryTest {
  private static final String[] FRONT_ENDS = {
    "io.nql.flight..", "io.nql.server..", "io.nql.jdbc.."
  };

  private static JavaClasses frontEnds() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.nql.flight", "io.nql.server", "io.nql.jdbc");
  }

  /** Planner classes outside the engine API. */
  private static DescribedPredicate<JavaClass> plannerInternals() {
    return resideInAPackage("io.nql.planner..")
        .and(DescribedPredicate.not(resideInAnyPackage(Architecture.FRONT_END_API)));
  }

  private static ArchRule onlyTheEngineApi(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .dependOnClassesThat(plannerInternals())
        .because("front ends use the engine API, so the planner's insides can change freely");
  }

  @Test
  void frontEndsUseOnlyTheEngineApi() {
    JavaClasses classes = frontEnds();
    // each front end is on the class path (the driver's and the Flight producer's classes too)
    assertThat(classes.stream().map(c -> c.getPackageName().split("\\.")[2]).distinct())
        .contains("flight", "server", "jdbc");
    onlyTheEngineApi(FRONT_ENDS).check(classes);
  }

  @Test
  void frontEndPackagesHaveNoCycle() {
    Architecture.packagesFreeOfCycles("io.nql").check(frontEnds());
  }

  @Test
  void theBoundaryRuleCatchesAnInternalDependency() {
    // the planner's own engine package reaches into its internals: the same rule, applied to it
    // as if it were a front end, must report that
    JavaClasses engine =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.nql.planner.engine");
    assertThat(onlyTheEngineApi("io.nql.planner.engine..").evaluate(engine).hasViolation())
        .isTrue();
  }
}
