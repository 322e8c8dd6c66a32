package io.antpool.worker.impl;

import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Protocol;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Describes this JVM as a {@link PeerInfo}. */
public final class LocalPeer {
  private LocalPeer() {
  }

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
    Runtime rt = Runtime.getRuntime();
    String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch");
    long pid = ProcessHandle.current().pid();
    String fullName = name == null ? host + "/" + pid : name.replace("{host}", host).replace("{pid}", "" + pid);
    return new PeerInfo(fullName, host, ip, os, rt.availableProcessors(), rt.maxMemory(),
        rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()), cpuScore, pid, Protocol.ANTPOOL_VERSION);
  }

  /** The operating system's total physical memory when the JVM can tell, else -1. */
  static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return -1;
  }
}
