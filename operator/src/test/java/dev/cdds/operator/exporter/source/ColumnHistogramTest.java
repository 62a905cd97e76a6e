package dev.cdds.operator.exporter.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdds.operator.schedule.ExportWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Splitting a window by the planner's histogram, and when the histogram is not to be trusted. */
class ColumnHistogramTest {
  private static final Instant DAY_0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void anOpenWindowIsSplitAtTheQuantilesOfTheRows() {
    var histogram = new ColumnHistogram(days(0, 100), 0, 1_000_000, 0);

    assertThat(histogram.split(all(), 4)).contains(List.of(day(25), day(50), day(75)));
  }

  @Test
  void aWindowInsideTheHistogramIsSplitWithinItsOwnRows() {
    var histogram = new ColumnHistogram(days(0, 100), 0, 1_000_000, 0);

    assertThat(histogram.split(window(day(10), day(30)), 2)).contains(List.of(day(20)));
    // Half a bucket in: linear within the bucket, as the planner reckons.
    assertThat(histogram.split(window(day(10), day(21)), 2))
        .contains(List.of(day(15).plus(Duration.ofHours(12))));
  }

  @Test
  void boundsFollowTheRowsNotTheClock() {
    // Ten buckets over the first ten days, ten more over the next ninety: half the rows in days
    // 0 to 10.
    List<Instant> bounds = new ArrayList<>(days(0, 10));
    for (int i = 1; i <= 10; i++) {
      bounds.add(day(10 + 9 * i));
    }
    var histogram = new ColumnHistogram(bounds, 0, 1_000_000, 0);

    assertThat(histogram.split(all(), 2)).contains(List.of(day(10)));
  }

  @Test
  void aWindowOfRowsAddedSinceAnalyzeIsCounted() {
    var histogram = new ColumnHistogram(days(0, 100), 0, 1_000_000, 0);

    assertThat(histogram.split(window(day(100), day(101)), 2)).isEmpty();
    assertThat(histogram.split(window(day(99), day(120)), 2))
        .as("a window of which the histogram holds one bucket")
        .isEmpty();
  }

  @Test
  void tooFewBucketsPerRangeAreCounted() {
    var histogram = new ColumnHistogram(days(0, 100), 0, 1_000_000, 0);

    assertThat(histogram.split(window(day(0), day(4)), 2)).isPresent();
    assertThat(histogram.split(window(day(0), day(3)), 2)).isEmpty();
    assertThat(histogram.split(all(), 51)).isEmpty();
  }

  @Test
  void manyRowsChangedSinceAnalyzeAreCounted() {
    // The window holds a tenth of a million rows.
    ExportWindow window = window(day(0), day(10));

    assertThat(new ColumnHistogram(days(0, 100), 0, 1_000_000, 10_000).split(window, 2))
        .isPresent();
    assertThat(new ColumnHistogram(days(0, 100), 0, 1_000_000, 10_001).split(window, 2)).isEmpty();
    assertThat(new ColumnHistogram(days(0, 100), 0, 1_000_000, Long.MAX_VALUE).split(window, 2))
        .as("changes unknown")
        .isEmpty();
  }

  @Test
  void aHistogramThatLeavesOutManyRowsOrCountsNoneIsNotUsed() {
    assertThat(new ColumnHistogram(days(0, 100), 0.1, 1_000_000, 0).split(all(), 2)).isPresent();
    assertThat(new ColumnHistogram(days(0, 100), 0.11, 1_000_000, 0).split(all(), 2)).isEmpty();
    assertThat(new ColumnHistogram(days(0, 100), 0, -1, 0).split(all(), 2)).isEmpty();
    assertThat(new ColumnHistogram(List.of(day(0)), 0, 1_000_000, 0).split(all(), 2)).isEmpty();
  }

  private static List<Instant> days(int from, int to) {
    List<Instant> days = new ArrayList<>();
    for (int day = from; day <= to; day++) {
      days.add(day(day));
    }
    return days;
  }

  private static Instant day(int day) {
    return DAY_0.plus(Duration.ofDays(day));
  }

  private static ExportWindow all() {
    return new ExportWindow(Optional.empty(), Optional.empty());
  }

  private static ExportWindow window(Instant start, Instant end) {
    return new ExportWindow(Optional.of(start), Optional.of(end));
  }
}
