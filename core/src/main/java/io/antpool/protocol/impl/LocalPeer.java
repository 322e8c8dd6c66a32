package io.antpool.protocol.impl;

import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Protocol;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Describes this JVM and its machine as a {@link PeerInfo}. */
public final class LocalPeer {
  private LocalPeer() {
  }

  /**
   * @param name display name, or null for {@code host/pid}
   * @param cpuScore the measured CPU score (0 for clients)
   */
  public static PeerInfo describe(String name, double cpuScore) {
    String host;
    String ip;
    try {
      InetAddress local = InetAddress.getLocalHost();
      host = local.getHostName();
      ip = local.getHostAddress();
    } catch (UnknownHostException e) {
      host = "localhost";
      ip = "127.0.0.1";
    }
    String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch");
    long pid = ProcessHandle.current().pid();
    long[] memory = memory();
    return new PeerInfo(name == null ? host + "/" + pid : name, host, ip, os,
        Runtime.getRuntime().availableProcessors(), memory[0], memory[1], cpuScore, pid, Protocol.ANTPOOL_VERSION);
  }

  /** The machine's total and free physical memory where the JVM can tell, else the JVM's own heap figures. */
  private static long[] memory() {
    OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    if (bean instanceof com.sun.management.OperatingSystemMXBean os && os.getTotalMemorySize() > 0) {
      return new long[] {os.getTotalMemorySize(), os.getFreeMemorySize()};
    }
    Runtime rt = Runtime.getRuntime();
    return new long[] {rt.maxMemory(), rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())};
  }
}
