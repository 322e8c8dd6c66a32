package io.antpool.protocol.impl;

import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Protocol;
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
}
