package io.antpool.server.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencySampleTest {
  private static final double MS = 1_000_000;

  @Test
  void nothingRecordedGivesZeroForEveryQuantile() {
    assertArrayEquals(new double[] {0, 0}, new LatencySample().quantilesMillis(0.5, 0.99));
  }

  @Test
  void quantilesAreExactNearestRanksInTheOrderAskedWhateverTheOrderRecorded() {
    List<Long> millis = new ArrayList<>();
    for (long m = 1; m <= 200; m++) {
      millis.add(m);
    }
    Collections.shuffle(millis, new Random(7));
    LatencySample sample = new LatencySample();
    millis.forEach(m -> sample.record((long) (m * MS)));
    assertArrayEquals(new double[] {198, 100, 1, 200}, sample.quantilesMillis(0.99, 0.5, 0, 1));
  }

  @Test
  void clearStartsANewPeriod() {
    LatencySample sample = new LatencySample();
    sample.record((long) (500 * MS));
    sample.clear();
    sample.record((long) (3 * MS));
    assertArrayEquals(new double[] {3, 3}, sample.quantilesMillis(0.5, 0.99));
  }
}
