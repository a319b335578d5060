package io.nql.planner.catalog;

import java.util.List;

/** Supplies the datasets a company owns. Implemented over the metadata store. */
public interface DatasetSource {
  /**
   * The datasets owned by a company.
   *
   * @param companyId the owning company
   * @return its datasets, possibly empty, never null; names are unique within the list
   */
  List<DatasetHandle> datasets(long companyId);
}
