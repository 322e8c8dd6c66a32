package io.antpool.client.impl;

/**
 * A task object of AntPool's own that carries the user's code (a function of {@code map}, say): the worker
 * must fetch classes through the user code's class loader, not through AntPool's, which may not see them (an
 * application server's or a plugin's loader).
 */
public interface CarriesUserCode {
  /** The loader of the user's code this task carries. */
  ClassLoader userClassLoader();
}
