package io.nql.planner.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.store.StoredDataPlanes.StoredDataPlane;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data planes of a metadata store, on each database the gateway runs on: a company's planes are
 * its own, kept as given (sealed credentials or a secret's name, never both), never replaced.
 */
abstract class DataPlaneStoreContract {
  @TempDir Path warehouseDir;
  private MetadataStore store;
  private StoredDataPlanes planes;
  private Company acme;
  private Company globex;

  protected abstract MetadataStore openStore(Path warehouseDir);

  @BeforeEach
  void open() {
    store = openStore(warehouseDir);
    planes = store.dataPlanes();
    acme = store.createCompany("acme");
    globex = store.createCompany("globex");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static StoredDataPlane plane(Company c, String name, String secret, String sealed) {
    return new StoredDataPlane(
        c.id(), name, "POSTGRES", secret, sealed, 7, Instant.parse("2026-12-01T10:00:00.123Z"));
  }

  @Test
  void aPlaneIsReadBackAsStoredAndOnlyByItsCompany() {
    StoredDataPlane sealed = plane(acme, "pg1", null, "v1:sealed'\"ünï");
    StoredDataPlane named = plane(acme, "pg0", "creds", null);
    planes.put(sealed);
    planes.put(named);
    assertThat(planes.get(acme.id(), "pg1")).contains(sealed);
    assertThat(planes.get(globex.id(), "pg1")).isEmpty();
    assertThat(planes.get(acme.id(), "PG1")).isEmpty();
    assertThat(planes.ofCompany(acme.id())).containsExactly(named, sealed);
    assertThat(planes.ofCompany(globex.id())).isEmpty();
    assertThat(sealed.toString()).doesNotContain("v1:");
  }

  @Test
  void aNameIsTakenOnceInACompanyAndDroppingOneKeepsTheOtherCompanys() {
    planes.put(plane(acme, "pg1", null, "a"));
    planes.put(plane(globex, "pg1", null, "g"));
    NqlException e =
        catchThrowableOfType(
            NqlException.class, () -> planes.put(plane(acme, "pg1", null, "second")));
    assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_OBJECT);
    assertThat(e.getMessage())
        .isEqualTo("Cannot create data plane pg1: a data plane with this name already exists");
    assertThat(planes.get(acme.id(), "pg1")).map(StoredDataPlane::sealed).contains("a");
    assertThat(planes.delete(acme.id(), "pg1")).isTrue();
    assertThat(planes.delete(acme.id(), "pg1")).isFalse();
    assertThat(planes.get(globex.id(), "pg1")).map(StoredDataPlane::sealed).contains("g");
  }

  @Test
  void credentialsAreEitherSealedOrASecretsNameNeverBothNorNeither() {
    assertThat(
            catchThrowableOfType(
                RuntimeException.class, () -> planes.put(plane(acme, "both", "s", "v1:x"))))
        .isNotNull();
    assertThat(
            catchThrowableOfType(
                RuntimeException.class, () -> planes.put(plane(acme, "none", null, null))))
        .isNotNull();
    assertThat(planes.ofCompany(acme.id())).isEmpty();
  }

  @Test
  void aPlaneOfNoCompanyIsRefused() {
    NqlException e =
        catchThrowableOfType(
            NqlException.class,
            () ->
                planes.put(
                    new StoredDataPlane(
                        987_654, "pg1", "POSTGRES", null, "v1:x", 7, Instant.now())));
    assertThat(e.code()).isEqualTo(ErrorCode.UNDEFINED_OBJECT);
  }

  private static PlaneSource source(String plane) {
    return new PlaneSource(
        plane,
        "public",
        "orders",
        java.util.List.of(
            new PlaneSource.Column(
                "id", "int4", org.apache.iceberg.types.Types.IntegerType.get(), false, true)));
  }

  @Test
  void aPlaneDatasetsRestInIsNotDroppedUntilTheyAre() {
    planes.put(plane(acme, "pg1", null, "a"));
    planes.put(plane(globex, "pg1", null, "g"));
    Dataset one = store.createPlaneDataset(acme.id(), "one", source("pg1"), d -> {});
    store.createPlaneDataset(acme.id(), "two", source("pg1"), d -> {});
    NqlException e =
        catchThrowableOfType(NqlException.class, () -> planes.delete(acme.id(), "pg1"));
    assertThat(e.code()).isEqualTo(ErrorCode.DEPENDENT_OBJECTS_STILL_EXIST);
    assertThat(e.sqlState()).isEqualTo("2BP01");
    assertThat(e.getMessage())
        .isEqualTo("Cannot drop data plane pg1: datasets one, two rest in it; drop them first");
    assertThat(planes.get(acme.id(), "pg1")).isPresent();
    assertThat(store.dataset(acme.id(), "one").orElseThrow().plane()).isEqualTo(source("pg1"));
    // another company's plane of the same name is its own
    assertThat(planes.delete(globex.id(), "pg1")).isTrue();
    store.deleteDataset(one, d -> {});
    assertThat(
            catchThrowableOfType(NqlException.class, () -> planes.delete(acme.id(), "pg1"))
                .getMessage())
        .contains("dataset two rests in it");
    store.deleteDataset(store.dataset(acme.id(), "two").orElseThrow(), d -> {});
    assertThat(planes.delete(acme.id(), "pg1")).isTrue();
  }

  @Test
  void aDropRacingACreateNeverLeavesADatasetInAMissingPlane() throws Exception {
    for (int i = 0; i < 25; i++) {
      String plane = "race" + i;
      String name = "d" + i;
      planes.put(plane(acme, plane, null, "a"));
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.CompletableFuture<Object> create =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                await(start);
                try {
                  return store.createPlaneDataset(acme.id(), name, source(plane), d -> {});
                } catch (NqlException e) {
                  return e;
                }
              });
      await(start);
      Object dropped;
      try {
        dropped = planes.delete(acme.id(), plane);
      } catch (NqlException e) {
        dropped = e;
      }
      Object created = create.get(30, java.util.concurrent.TimeUnit.SECONDS);
      boolean planeExists = planes.get(acme.id(), plane).isPresent();
      boolean datasetExists = store.dataset(acme.id(), "d" + i).isPresent();
      assertThat(datasetExists && !planeExists)
          .as("round %d: %s / %s", i, created, dropped)
          .isFalse();
      assertThat(created instanceof Dataset || ((NqlException) created).sqlState().equals("42704"))
          .as("create: %s", created)
          .isTrue();
      assertThat(dropped instanceof Boolean || ((NqlException) dropped).sqlState().equals("2BP01"))
          .as("drop: %s", dropped)
          .isTrue();
      if (datasetExists) {
        store.deleteDataset(store.dataset(acme.id(), "d" + i).orElseThrow(), d -> {});
      }
    }
  }

  private static void await(java.util.concurrent.CyclicBarrier b) {
    try {
      b.await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
