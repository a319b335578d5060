package io.nql.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakOptionsTest {
  @Test
  void defaultsAreTheIssuesSoak() {
    SoakOptions o = SoakOptions.parse();
    assertThat(o.duration()).isEqualTo(Duration.ofMinutes(30));
    assertThat(o.clients()).isEqualTo(32);
    assertThat(o.maintenanceEvery()).isEqualTo(Duration.ofMinutes(2));
    assertThat(SoakOptions.parse("--maintenance-every", "0").maintenanceEvery()).isZero();
    assertThat(SoakOptions.parse("--maintenance-every=30s").maintenanceEvery())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void readsDurationsWithUnitsAndBothOptionForms() {
    SoakOptions o = SoakOptions.parse("--duration", "2m", "--clients=16", "--sample-every", "5s");
    assertThat(o.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.clients()).isEqualTo(16);
    assertThat(o.sampleEvery()).isEqualTo(Duration.ofSeconds(5));
    assertThat(SoakOptions.parse("--duration=1h").duration()).isEqualTo(Duration.ofHours(1));
    assertThat(SoakOptions.parse("--duration=90s").duration()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> SoakOptions.parse("--duration", "30"))
        .hasMessage(
            "Cannot read option --duration: expected a duration like 30m, 90s or 1h, got '30'");
    assertThatThrownBy(() -> SoakOptions.parse("--duration", "0m"))
        .hasMessageStartingWith("Cannot read option --duration");
    // fewer than 8 clients cannot hold one client of each kind
    assertThatThrownBy(() -> SoakOptions.parse("--clients", "4"))
        .hasMessage("Cannot read option --clients: expected a whole number of at least 8, got '4'");
    assertThatThrownBy(() -> SoakOptions.parse("--clients"))
        .hasMessage("Cannot read option --clients: it needs a value");
    assertThatThrownBy(() -> SoakOptions.parse("--bogus", "1"))
        .hasMessage("Cannot read option --bogus: unknown");
  }

  @Test
  void everyEightClientsHoldEachKind() {
    List<SoakClient.Kind> first8 =
        java.util.stream.IntStream.range(0, 8).mapToObj(SoakClient.Kind::of).toList();
    assertThat(first8).containsAll(List.of(SoakClient.Kind.values()));
  }

  @Test
  void slopeIsTheMedianOfPairwiseSlopesPerMinute() {
    List<HeapSampler.Sample> rising =
        List.of(
            new HeapSampler.Sample(0, 100),
            new HeapSampler.Sample(30, 150),
            new HeapSampler.Sample(60, 200));
    assertThat(HeapSampler.slopePerMinute(rising)).isCloseTo(100.0, within(1e-9));
    assertThat(HeapSampler.slopePerMinute(List.of(new HeapSampler.Sample(0, 5)))).isZero();
    // A flat floor with one transient spike (a scan's batches live at that sample): no growth,
    // where a least-squares line would report one.
    List<HeapSampler.Sample> spike = new java.util.ArrayList<>();
    for (int t = 0; t <= 120; t += 10) {
      spike.add(new HeapSampler.Sample(t, t == 90 ? 365 : 100));
    }
    assertThat(HeapSampler.slopePerMinute(spike)).isZero();
    // A rising floor under spikes is still growth.
    List<HeapSampler.Sample> leak = new java.util.ArrayList<>();
    for (int t = 0; t <= 120; t += 10) {
      leak.add(new HeapSampler.Sample(t, t + (t % 40 == 0 ? 500 : 0)));
    }
    assertThat(HeapSampler.slopePerMinute(leak)).isCloseTo(60.0, within(1e-9));
  }
}
