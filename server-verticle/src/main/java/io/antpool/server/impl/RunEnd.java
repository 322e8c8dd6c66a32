package io.antpool.server.impl;

/** How one run of a task on a worker slot ended; its wire names are those of the dashboard's task stream. */
enum RunEnd {
  /** The task returned a value. */
  VALUE,
  /** The task threw, or could not be run (its result says why). */
  ERROR,
  /** The slot was lost while the task ran on it. */
  LOST,
  /** The task was cancelled while it ran, and its run has now ended. */
  CANCELLED
}
