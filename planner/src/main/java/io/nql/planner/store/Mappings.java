package io.nql.planner.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The Rosetta Stone in the metadata store: the attributes admins added (the built-in ones ship with
 * the gateway) and the mappings of datasets' columns to attributes. Thread-safe; each write is one
 * transaction.
 */
public interface Mappings {

  /**
   * One mapping expression.
   *
   * @param datasetId the mapped dataset
   * @param attribute the attribute
   * @param ordinal which mapping of the attribute on this dataset (several columns may map to one
   *     attribute), from 1
   * @param property the property of an object attribute, or null for the whole attribute
   * @param expression the NQL expression over the dataset's columns, as stored
   * @param createdAt when it was created
   */
  record Mapping(
      long datasetId,
      String attribute,
      int ordinal,
      String property,
      String expression,
      Instant createdAt) {}

  /**
   * One new mapping of an attribute: its expression, or its properties' expressions for an object
   * attribute (by property name, in order).
   */
  record NewMapping(String attribute, Map<String, String> expressions) {
    /** The key of a whole attribute's expression in {@link #expressions}. */
    public static final String WHOLE = "";

    public NewMapping {
      expressions =
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(expressions));
    }
  }

  /** An attribute an admin added: its name and its definition as JSON. */
  record StoredAttribute(String name, String definition, Instant createdAt) {}

  /** The mappings of a dataset, by attribute, ordinal and property. */
  List<Mapping> forDataset(long datasetId);

  /** The mappings of several datasets, by dataset, attribute, ordinal and property. */
  List<Mapping> forDatasets(Collection<Long> datasetIds);

  /**
   * Adds mappings to a dataset in one transaction, each at the next free ordinal of its attribute.
   *
   * @return the stored mappings
   */
  List<Mapping> add(long datasetId, List<NewMapping> mappings);

  /**
   * Drops a dataset's mappings of an attribute (every ordinal), or of one property of it.
   *
   * @param property the property, or null for the whole attribute
   * @return how many expressions were dropped
   */
  int drop(long datasetId, String attribute, String property);

  /** The attributes admins added, by name. */
  List<StoredAttribute> attributes();

  /**
   * Adds an attribute.
   *
   * @throws io.nql.planner.error.NqlException DUPLICATE_OBJECT when it exists
   */
  void createAttribute(String name, String definition);

  /**
   * Drops an attribute an admin added.
   *
   * @throws io.nql.planner.error.NqlException UNDEFINED_OBJECT when there is none,
   *     OBJECT_NOT_IN_PREREQUISITE_STATE while a dataset maps it
   */
  void dropAttribute(String name);
}
