package io.nql.planner.vector;

import io.nql.planner.iceberg.ScanMetrics;
import java.util.Optional;
import java.util.PrimitiveIterator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;

/** A row group's pages that count, in the scan's metrics, the data pages readers take. */
final class CountingPages implements PageReadStore {
  private final PageReadStore pages;
  private final ScanMetrics metrics;

  CountingPages(PageReadStore pages, ScanMetrics metrics) {
    this.pages = pages;
    this.metrics = metrics;
  }

  @Override
  public PageReader getPageReader(ColumnDescriptor column) {
    PageReader reader = pages.getPageReader(column);
    return new PageReader() {
      @Override
      public DictionaryPage readDictionaryPage() {
        return reader.readDictionaryPage();
      }

      @Override
      public long getTotalValueCount() {
        return reader.getTotalValueCount();
      }

      @Override
      public DataPage readPage() {
        DataPage page = reader.readPage();
        if (page != null) {
          metrics.addPagesRead(1);
        }
        return page;
      }
    };
  }

  @Override
  public long getRowCount() {
    return pages.getRowCount();
  }

  @Override
  public Optional<Long> getRowIndexOffset() {
    return pages.getRowIndexOffset();
  }

  @Override
  public Optional<PrimitiveIterator.OfLong> getRowIndexes() {
    return pages.getRowIndexes();
  }
}
