package io.antpool.server.impl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The newest {@code capacity} items of a stream, each numbered in order from 1, so a reader that remembers the
 * last number it saw asks for what came after it. Older items fall off the end. Not thread-safe: the server
 * touches it on its event loop only.
 */
final class SequencedRing<T> {
  record Entry<T>(long seq, T item) {
  }

  private final int capacity;
  private final ArrayDeque<Entry<T>> entries;
  private long last;

  SequencedRing(int capacity) {
    this.capacity = capacity;
    this.entries = new ArrayDeque<>(capacity);
  }

  void add(T item) {
    if (entries.size() == capacity) {
      entries.pollFirst();
    }
    entries.addLast(new Entry<>(++last, item));
  }

  /** The number of the newest item; 0 before the first. */
  long last() {
    return last;
  }

  /**
   * The items numbered above {@code after} and at most {@code upTo}, oldest first; at most the newest {@code max}
   * of them.
   */
  List<Entry<T>> range(long after, long upTo, int max) {
    List<Entry<T>> out = new ArrayList<>();
    for (Iterator<Entry<T>> newestFirst = entries.descendingIterator(); newestFirst.hasNext() && out.size() < max; ) {
      Entry<T> e = newestFirst.next();
      if (e.seq() <= after) {
        break;
      }
      if (e.seq() <= upTo) {
        out.add(e);
      }
    }
    Collections.reverse(out);
    return out;
  }
}
