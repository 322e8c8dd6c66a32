package io.antpool.protocol;

import java.util.List;

/**
 * The server's answer to {@link Withdraw}: the client's ids of the tasks it dropped from its queue, which never
 * started and never will.
 *
 * @param neverStarted client task ids, in the order they were queued
 */
public record Withdrawn(List<Long> neverStarted) implements Message {
  public Withdrawn {
    neverStarted = neverStarted == null ? List.of() : List.copyOf(neverStarted);
  }
}
