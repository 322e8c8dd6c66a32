package io.antpool.server.impl;

import java.util.HashSet;
import java.util.Set;

/**
 * Remembers which kinds of trouble one connection has already been logged for, so that a peer repeating a
 * mistake (a fuzzer, a buggy client in a loop) is logged once per kind, not once per frame. Confined to the
 * connection's context.
 */
final class OnceLog {
  private final Set<Object> seen = new HashSet<>();

  /** True the first time {@code kind} is reported on this connection, false after. */
  boolean first(Object kind) {
    return seen.add(kind);
  }
}
