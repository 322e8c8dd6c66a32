package io.antpool.server.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequencedRingTest {
  private static List<String> items(List<SequencedRing.Entry<String>> entries) {
    return entries.stream().map(SequencedRing.Entry::item).toList();
  }

  @Test
  void numbersItemsFromOneAndKeepsOnlyTheNewest() {
    SequencedRing<String> ring = new SequencedRing<>(3);
    assertEquals(0, ring.last());
    for (String s : List.of("a", "b", "c", "d", "e")) {
      ring.add(s);
    }
    assertEquals(5, ring.last());
    assertEquals(List.of("c", "d", "e"), items(ring.range(0, 5, 10)));
    assertEquals(3, ring.range(0, 5, 10).get(0).seq());
  }

  @Test
  void aRangeIsOpenBelowClosedAboveOldestFirstAndCappedToTheNewest() {
    SequencedRing<String> ring = new SequencedRing<>(10);
    for (String s : List.of("a", "b", "c", "d", "e")) {
      ring.add(s);
    }
    assertEquals(List.of("c", "d"), items(ring.range(2, 4, 10)));
    assertEquals(List.of("d", "e"), items(ring.range(0, 5, 2)));
    assertEquals(List.of(), items(ring.range(5, 5, 10)));
    assertEquals(List.of(), items(ring.range(7, 9, 10)), "a reader ahead of the ring gets nothing");
  }
}
