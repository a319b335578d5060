package io.nql.planner.rosetta.classify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proposes Rosetta Stone mappings for a dataset's columns from samples of their values: the engine
 * behind {@code SUGGEST MAPPINGS FOR company_data.<ds>} (NQL.md §7).
 *
 * <p>Each column is profiled (null markers such as {@code N/A} and {@code \N} and surrounding
 * whitespace removed; a tenth of the values may be outliers of another shape) and tested by one
 * recognizer per attribute family: hashed e-mails (SHA-256, SHA-1, MD5, told apart by hex length),
 * raw e-mails, mobile ad ids, IP addresses, phone numbers, countries (alpha-2, alpha-3, names),
 * gender codes, event timestamps (typed, epoch seconds/milliseconds, ISO text), postal codes, ages
 * and years of birth, latitude/longitude, device OS and marketing consent.
 *
 * <p>Names are evidence, not proof: values decide the shape, the name weighs between attributes of
 * the same shape and rules out what it names as something else. A column named {@code email} of
 * phone numbers is a phone column; small integers are an age only when the name says age; a UUID
 * column is an ad id only when its name or its neighbours say so (see {@link MobileAdIds}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Classifier {
  /** Confidence below which {@link #suggest} proposes nothing. */
  public static final double DEFAULT_THRESHOLD = 0.6;

  /**
   * Attributes a dataset maps from one column at most: a second column would give a row per value
   * (NQL.md §7), which for these is a duplicate, not another identifier.
   */
  static final Set<String> ONE_PER_DATASET =
      Set.of(
          EventTimestamps.EVENT_TIMESTAMP,
          Genders.GENDER,
          Ages.AGE,
          Ages.BIRTH_YEAR,
          Countries.COUNTRY,
          PostalCodes.POSTAL_CODE,
          Coordinates.LATITUDE,
          Coordinates.LONGITUDE,
          DeviceOperatingSystems.DEVICE_OS,
          OptIns.OPTED_IN);

  private static final List<Recognizer> RECOGNIZERS =
      List.of(
          new HashedEmails(),
          new Emails(),
          new MobileAdIds(),
          new IpAddresses(),
          new PhoneNumbers(),
          new Countries(),
          new Genders(),
          new EventTimestamps(),
          new PostalCodes(),
          new Ages(),
          new Coordinates(),
          new DeviceOperatingSystems(),
          new OptIns());

  private final double threshold;

  /** A classifier with the {@link #DEFAULT_THRESHOLD}. */
  public Classifier() {
    this(DEFAULT_THRESHOLD);
  }

  /**
   * @param threshold the confidence below which nothing is proposed, in [0, 1]
   * @throws IllegalArgumentException when it is outside [0, 1]
   */
  public Classifier(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException(
          "Cannot create a classifier: threshold " + threshold + " is not in [0, 1]");
    }
    this.threshold = threshold;
  }

  public double threshold() {
    return threshold;
  }

  /**
   * The proposed mappings of a dataset: for each column, its most confident suggestion if that
   * reaches the threshold; and for an attribute a dataset maps once ({@code event_timestamp},
   * {@code hl7_gender}, {@code age}...), only the most confident column.
   *
   * @param columns the dataset's columns (all of them: a column's neighbours are evidence too)
   * @return at most one suggestion per column, in column order
   */
  public List<Suggestion> suggest(List<ColumnSample> columns) {
    List<Suggestion> best = new ArrayList<>();
    for (List<Suggestion> c : candidatesByColumn(columns)) {
      if (!c.isEmpty() && c.get(0).confidence() >= threshold) {
        best.add(c.get(0));
      }
    }
    Map<String, Suggestion> top = new HashMap<>();
    for (Suggestion s : best) {
      if (ONE_PER_DATASET.contains(s.attribute())) {
        top.merge(s.attribute(), s, (a, b) -> b.confidence() > a.confidence() ? b : a);
      }
    }
    List<Suggestion> out = new ArrayList<>();
    for (Suggestion s : best) {
      if (!ONE_PER_DATASET.contains(s.attribute()) || top.get(s.attribute()) == s) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Every candidate for every column whatever its confidence, most confident first within a column:
   * what {@link #suggest} chooses from, to explain a choice or a miss.
   *
   * @param columns the dataset's columns
   * @return the candidates, by column in column order
   */
  public List<Suggestion> candidates(List<ColumnSample> columns) {
    List<Suggestion> out = new ArrayList<>();
    candidatesByColumn(columns).forEach(out::addAll);
    return List.copyOf(out);
  }

  /** The attributes this classifier can propose (each a core attribute). */
  public static Set<String> attributes() {
    Set<String> out = new LinkedHashSet<>();
    for (Recognizer r : RECOGNIZERS) {
      out.addAll(r.attributes());
    }
    return Set.copyOf(out);
  }

  private static List<List<Suggestion>> candidatesByColumn(List<ColumnSample> columns) {
    List<ColumnProfile> profiles = columns.stream().map(ColumnProfile::of).toList();
    Dataset dataset = new Dataset(profiles);
    List<List<Suggestion>> out = new ArrayList<>();
    for (ColumnProfile p : profiles) {
      List<Suggestion> c = new ArrayList<>();
      for (Recognizer r : RECOGNIZERS) {
        c.addAll(r.recognize(p, dataset));
      }
      // stable: on equal confidence the recognizer listed first wins
      c.sort(Comparator.comparingDouble(Suggestion::confidence).reversed());
      out.add(c);
    }
    return out;
  }
}
