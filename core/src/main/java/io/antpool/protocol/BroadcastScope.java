package io.antpool.protocol;

/** Which worker slots a broadcast {@link Submit} runs on: the targets are fixed when the server receives it. */
public enum BroadcastScope {
  /** Every connected slot (a worker JVM with N slots runs the task N times). */
  SLOTS,
  /** One slot per host, a host being a remote address as the server sees it. */
  HOSTS
}
