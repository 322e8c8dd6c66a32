package io.antpool.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Several hosts on one machine: Linux network namespaces, each joined by a veth pair to a bridge in the
 * machine's own namespace, on a private /24 of their own. The machine itself is host 0 ({@code 10.N.M.1}, on the
 * bridge); namespace {@code i} is host {@code i} ({@code 10.N.M.(10+i)}). A JVM is started on a host by
 * prefixing its command with {@link #on}; {@link #cut} takes a host's link down, as a pulled cable would. Needs
 * root and iproute2 ({@code ip netns}); {@link #unavailable} says why not, where not.
 */
final class NetHosts implements AutoCloseable {
  private final String id;
  private final String subnet;
  private final int count;
  private final List<String> created = new ArrayList<>();

  private NetHosts(int count) {
    this.id = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 10000));
    this.subnet = "10." + ThreadLocalRandom.current().nextInt(100, 250) + "." + ThreadLocalRandom.current()
        .nextInt(1, 250);
    this.count = count;
  }

  /** Why these hosts cannot be made here, or null when they can. */
  static String unavailable() {
    try {
      run("ip", "netns", "list");
    } catch (IOException e) {
      return "ip netns is not available (" + e.getMessage() + "); install iproute2 and run as root";
    }
    try (NetHosts probe = new NetHosts(0)) {
      run("ip", "netns", "add", "apt" + probe.id);
      probe.created.add("netns:apt" + probe.id);
    } catch (IOException e) {
      return "cannot create a network namespace (" + e.getMessage() + "); the test needs root";
    }
    return null;
  }

  /** The machine's namespace plus {@code namespaces} more, linked on one bridge. */
  static NetHosts create(int namespaces) throws IOException {
    NetHosts hosts = new NetHosts(namespaces);
    try {
      hosts.build();
    } catch (IOException | RuntimeException e) {
      hosts.close();
      throw e;
    }
    return hosts;
  }

  private String bridge() {
    return "apbr" + id;
  }

  private String ns(int host) {
    return "apns" + id + "h" + host;
  }

  private String rootSide(int host) {
    return "apv" + id + "h" + host;
  }

  private void build() throws IOException {
    run("ip", "link", "add", "name", bridge(), "type", "bridge");
    created.add("link:" + bridge());
    run("ip", "addr", "add", address(0) + "/24", "dev", bridge());
    run("ip", "link", "set", bridge(), "up");
    for (int h = 1; h <= count; h++) {
      run("ip", "netns", "add", ns(h));
      created.add("netns:" + ns(h));
      run("ip", "link", "add", rootSide(h), "type", "veth", "peer", "name", "eth" + h, "netns", ns(h));
      created.add("link:" + rootSide(h));
      run("ip", "link", "set", rootSide(h), "master", bridge());
      run("ip", "link", "set", rootSide(h), "up");
      run("ip", "netns", "exec", ns(h), "ip", "addr", "add", address(h) + "/24", "dev", "eth" + h);
      run("ip", "netns", "exec", ns(h), "ip", "link", "set", "eth" + h, "up");
      run("ip", "netns", "exec", ns(h), "ip", "link", "set", "lo", "up");
    }
  }

  /** The address of host {@code host}: 0 is this machine on the bridge, 1.. the namespaces. */
  String address(int host) {
    return subnet + "." + (host == 0 ? 1 : 10 + host);
  }

  /** The command prefix that runs a program on host {@code host} (nothing for host 0). */
  String[] on(int host) {
    return host == 0 ? new String[0] : new String[] {"ip", "netns", "exec", ns(host)};
  }

  /** Takes host {@code host}'s link down: its peers see silence, not a close. */
  void cut(int host) throws IOException {
    run("ip", "link", "set", rootSide(host), "down");
  }

  @Override
  public void close() {
    for (int i = created.size() - 1; i >= 0; i--) {
      String[] what = created.get(i).split(":", 2);
      try {
        if (what[0].equals("netns")) {
          run("ip", "netns", "del", what[1]);
        } else {
          run("ip", "link", "del", what[1]);
        }
      } catch (IOException e) {
        // deleting the namespace removed its end of the pair, and the pair with it
      }
    }
  }

  private static void run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + new String(p.getInputStream().readAllBytes()).trim());
    }
  }
}
