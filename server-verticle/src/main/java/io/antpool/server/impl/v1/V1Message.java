package io.antpool.server.impl.v1;

/**
 * A message from a peer of the original Python AntPool protocol ({@code shared/protocol-v1-legacy.md}), as
 * {@link V1Codec#decode} reads it. Every JSON message carries the sender's stamp {@code s}, kept here as the
 * text the server echoes back (the original always answers it as a string).
 */
public sealed interface V1Message {
  /** The command as it is written on the wire ({@code LOGIN}, {@code JOB}, ...; {@code PING}, {@code PONG}). */
  String command();

  /** The sender's stamp, echoed in replies; null for the bare PING and PONG. */
  String stamp();

  /** The bare text {@code PING}. */
  record Ping() implements V1Message {
    @Override
    public String command() {
      return "PING";
    }

    @Override
    public String stamp() {
      return null;
    }
  }

  /** The bare text {@code PONG}: a resource client's answer to the server's {@code PING}. */
  record Pong() implements V1Message {
    @Override
    public String command() {
      return "PONG";
    }

    @Override
    public String stamp() {
      return null;
    }
  }

  /** A task client logs in; the original's default credentials are {@code user}/{@code pwd}. */
  record Login(String stamp, String user, String pwd) implements V1Message {
    @Override
    public String command() {
      return "LOGIN";
    }
    @Override
    public String toString() {
      return "Login[stamp=" + stamp + ", user=" + user + ", pwd=(" + (pwd == null ? 0 : pwd.length())
          + " characters)]"; // never a password in a log
    }
  }

  /**
   * A task client submits Python source to run: {@code stamp} is its task number, which the result carries
   * back; {@code rtype} says when the resource client resets its globals (0 before, 1 after, 2 never).
   */
  record Job(String stamp, int rtype, String code) implements V1Message {
    @Override
    public String command() {
      return "JOB";
    }
  }

  /** A resource client registers, describing its machine. */
  record Reg(String stamp, V1PeerInfo info) implements V1Message {
    @Override
    public String command() {
      return "REG";
    }
  }

  /**
   * A resource client answers a {@code RUN}: {@code errcode} 0 with the pickled value, 1 with the pickled
   * exception text, both as the Python repr of base64 bytes ({@code b'...'}); {@code btime} and {@code rlen}
   * are echoed from the {@code RUN}, {@code stime} is how long the code ran, in seconds.
   */
  record Rok(String stamp, long callId, int errcode, String ret, double stime, Object btime, Object rlen)
      implements V1Message {
    @Override
    public String command() {
      return "ROK";
    }
  }

  /** A resource client announces a clean leave; its socket closes next. */
  record Remove(String stamp) implements V1Message {
    @Override
    public String command() {
      return "REMOVE";
    }
  }

  /** A well-formed message whose command this protocol does not have. */
  record Unknown(String command, String stamp) implements V1Message {
  }
}
