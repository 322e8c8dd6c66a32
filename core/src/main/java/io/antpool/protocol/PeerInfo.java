package io.antpool.protocol;

import java.util.Map;

/**
 * What a peer tells the server about itself in its {@link Hello}. Shown on the dashboard and in the status
 * API; {@code cpuScore} ranks workers (higher is faster, as the original's CPU score).
 *
 * @param name a human-readable name (for a worker, {@code host/pid#slot})
 * @param host the host name as the peer sees it
 * @param ip the peer's own idea of its address; the server also records the address it sees
 * @param os operating system name, version and architecture
 * @param cores available processors in the peer's JVM
 * @param totalMemory the peer machine's physical memory in bytes (its JVM's maximum heap where the JVM cannot
 *     tell)
 * @param freeMemory the peer machine's free physical memory in bytes when it connected
 * @param cpuScore relative single-core speed measured at start; 0 for clients
 * @param pid the peer's process id
 * @param version the AntPool version the peer runs
 * @param tags a worker's routing tags ({@code region=eu}; a bare tag such as {@code gpu} has the empty string
 *     as its value); tasks may require some of them. Never null: a peer that sends none (clients, and workers
 *     older than tags) has the empty map
 */
public record PeerInfo(
    String name,
    String host,
    String ip,
    String os,
    int cores,
    long totalMemory,
    long freeMemory,
    double cpuScore,
    long pid,
    String version,
    Map<String, String> tags) {

  public PeerInfo {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** A peer without tags. */
  public PeerInfo(String name, String host, String ip, String os, int cores, long totalMemory, long freeMemory,
      double cpuScore, long pid, String version) {
    this(name, host, ip, os, cores, totalMemory, freeMemory, cpuScore, pid, version, Map.of());
  }

  /** This peer with {@code newTags} in place of its tags. */
  public PeerInfo withTags(Map<String, String> newTags) {
    return new PeerInfo(name, host, ip, os, cores, totalMemory, freeMemory, cpuScore, pid, version, newTags);
  }
}
