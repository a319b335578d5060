package io.nql.server.cli;

import io.nql.planner.result.ProgressListener;
import java.io.PrintWriter;

/** A one-line progress bar on a terminal; silent when output is not a terminal. */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 40;
  private final PrintWriter err;
  private final boolean enabled;
  private boolean drawn;
  private int width;

  ProgressBar(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** The bar for {@code done} of {@code total}, e.g. {@code [##### ] 50% 1.2/2.4 MB}. */
  static String render(long done, long total) {
    if (total <= 0) {
      return String.format("[%s] %.1f MB", "?".repeat(WIDTH), done / 1e6);
    }
    double f = Math.min(1.0, Math.max(0.0, done / (double) total));
    int filled = (int) Math.round(f * WIDTH);
    return String.format(
        "[%s%s] %3d%% %.1f/%.1f MB",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        Math.round(f * 100),
        done / 1e6,
        total / 1e6);
  }

  /**
   * The bar with the files of a directory load, e.g. {@code [##### ] 50% 1.2/2.4 MB, 3/7 files}.
   */
  static String render(long done, long total, int filesDone, int filesTotal) {
    String bar = render(done, total);
    return filesTotal > 1 ? bar + ", " + filesDone + "/" + filesTotal + " files" : bar;
  }

  @Override
  public void progress(long done, long total) {
    draw(render(done, total));
  }

  @Override
  public void progress(long done, long total, int filesDone, int filesTotal) {
    draw(render(done, total, filesDone, filesTotal));
  }

  private void draw(String line) {
    if (enabled) {
      // The line may shrink (a second pass over the files): blank what it no longer covers.
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      width = line.length();
      err.flush();
      drawn = true;
    }
  }

  void finish() {
    if (drawn) {
      err.println();
      err.flush();
      drawn = false;
      width = 0;
    }
  }
}
