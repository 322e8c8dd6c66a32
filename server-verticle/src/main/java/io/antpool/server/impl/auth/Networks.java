package io.antpool.server.impl.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of networks in CIDR notation ({@code 10.1.0.0/16}, {@code ::1/128}, or a bare address for one host),
 * and whether an address is in one of them. IPv4 addresses mapped into IPv6 ({@code ::ffff:10.1.2.3}) count as
 * the IPv4 address.
 */
public final class Networks {
  private final List<Cidr> cidrs;

  private Networks(List<Cidr> cidrs) {
    this.cidrs = cidrs;
  }

  private record Cidr(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  /**
   * Parses CIDRs.
   *
   * @throws IllegalArgumentException naming the entry that is not a literal address with an optional prefix
   */
  public static Networks parse(List<String> entries) {
    List<Cidr> cidrs = new ArrayList<>();
    for (String entry : entries) {
      String e = entry == null ? "" : entry.strip();
      int slash = e.indexOf('/');
      String host = slash < 0 ? e : e.substring(0, slash);
      byte[] address = literal(host);
      if (address == null) {
        throw new IllegalArgumentException("trusted network \"" + entry + "\" is not an IP address or a CIDR;"
            + " write e.g. 127.0.0.0/8, 10.1.0.0/16, ::1/128 or 192.168.1.20");
      }
      int bits = address.length * 8;
      int prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(e.substring(slash + 1));
        } catch (NumberFormatException x) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
          throw new IllegalArgumentException("trusted network \"" + entry + "\" has a bad prefix length; use 0.."
              + bits + " after the slash");
        }
      }
      cidrs.add(new Cidr(address, prefix));
    }
    return new Networks(List.copyOf(cidrs));
  }

  /** Whether {@code address} (a literal IP, as the server sees a peer) is in one of the networks. */
  public boolean contains(String address) {
    byte[] bytes = literal(address);
    if (bytes == null) {
      return false;
    }
    for (Cidr cidr : cidrs) {
      if (cidr.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of a literal IPv4 or IPv6 address, never looking a name up; null for anything else. */
  private static byte[] literal(String host) {
    if (host == null || host.isEmpty() || !host.matches("[0-9a-fA-F:.%]+") || !(host.contains(":")
        || host.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
      return null;
    }
    try {
      return InetAddress.getByName(host).getAddress(); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
