package io.nql.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scrape of a gateway's {@code /metrics}, parsed from the Prometheus text format into samples: a
 * name, its labels and a value. Parsed here, not with a library, so that the test reads the text a
 * Prometheus server would.
 */
public record MetricsScrape(List<Sample> samples) {

  /** One line of the exposition. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** GETs {@code path} from the gateway's metrics port. */
  static HttpResponse<String> get(Gateway gateway, String path) throws Exception {
    return request(gateway, "GET", path);
  }

  static HttpResponse<String> request(Gateway gateway, String method, String path)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.metricsPort() + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Scrapes the gateway now. */
  public static MetricsScrape of(Gateway gateway) throws Exception {
    HttpResponse<String> r = get(gateway, "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    return parse(r.body());
  }

  static MetricsScrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      Map<String, String> labels = new LinkedHashMap<>();
      String name;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        labels = labels(line.substring(brace + 1, line.lastIndexOf('}')));
      } else {
        name = line.substring(0, space);
      }
      out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
    }
    return new MetricsScrape(out);
  }

  /** {@code a="x",b="y \"quoted\""}: values unescaped. */
  private static Map<String, String> labels(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      String key = s.substring(i, eq).trim();
      StringBuilder v = new StringBuilder();
      int j = eq + 2; // past ="
      while (s.charAt(j) != '"') {
        char c = s.charAt(j);
        if (c == '\\') {
          char n = s.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
        j++;
      }
      out.put(key, v.toString());
      i = j + 1;
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
      }
    }
    return out;
  }

  /** The sum of the samples named {@code name} that have these labels ({@code key, value, …}). */
  public double value(String name, String... labels) {
    double sum = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s, labels)) {
        sum += s.value();
      }
    }
    return sum;
  }

  /** How much {@link #value} grew since {@code before}. */
  public double delta(MetricsScrape before, String name, String... labels) {
    return value(name, labels) - before.value(name, labels);
  }

  /** Whether any sample is named {@code name}. */
  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  private static boolean matches(Sample s, String[] labels) {
    for (int i = 0; i < labels.length; i += 2) {
      if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
