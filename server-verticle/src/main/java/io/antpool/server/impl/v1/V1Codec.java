package io.antpool.server.impl.v1;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads and writes the text frames of the original Python AntPool protocol ({@code shared/protocol-v1-legacy.md}).
 * A peer sends {@code {"c": CMD, "r": "1", "s": STAMP, "v": PAYLOAD}} or the bare text {@code PING}/{@code PONG};
 * the server answers {@code {"C": CMD, "s": "STAMP", "v": {...}}}, every field in the shape the Python clients
 * parse. Stateless and thread-safe.
 */
public final class V1Codec {
  /** The original reads only the first 8 characters of a command. */
  static final int COMMAND_LENGTH = 8;

  private V1Codec() {
  }

  /**
   * Reads one text frame.
   *
   * @throws V1FormatException naming what is wrong, and the command and stamp when they could be read
   */
  public static V1Message decode(String text) throws V1FormatException {
    if ("PING".equals(text)) {
      return new V1Message.Ping();
    }
    if ("PONG".equals(text)) {
      return new V1Message.Pong();
    }
    JsonObject m;
    try {
      m = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new V1FormatException("a v1 message is PING, PONG or one JSON object {\"c\", \"r\", \"s\", \"v\"};"
          + " got " + preview(text), null, null);
    }
    Object c = m.getValue("c");
    String command = c instanceof String s ? s.substring(0, Math.min(COMMAND_LENGTH, s.length())) : null;
    String stamp = stamp(m.getValue("s"));
    for (String key : new String[] {"c", "r", "s", "v"}) {
      if (!m.containsKey(key)) {
        throw new V1FormatException("the message has no \"" + key + "\"; every v1 message carries \"c\" (command),"
            + " \"r\" (\"1\"), \"s\" (stamp) and \"v\" (an object or a list)", command, stamp);
      }
    }
    if (command == null) {
      throw new V1FormatException("\"c\" must be a command string such as \"JOB\"; got " + m.getValue("c"), null,
          stamp);
    }
    if (stamp == null) {
      throw new V1FormatException("\"s\" must be a number or a string; got " + m.getValue("s"), command, null);
    }
    Object v = m.getValue("v");
    if (!(v instanceof JsonObject) && !(v instanceof JsonArray)) {
      throw new V1FormatException("\"v\" must be an object or a list; got " + v, command, stamp);
    }
    JsonObject body = v instanceof JsonObject o ? o : null;
    return switch (command) {
      case "LOGIN" -> {
        JsonObject o = object(body, command, stamp);
        yield new V1Message.Login(stamp, text(o, "user", false, command, stamp), text(o, "pwd", false, command,
            stamp));
      }
      case "JOB" -> {
        JsonObject o = object(body, command, stamp);
        long rtype = number(o, "type", command, stamp);
        if (rtype < 0 || rtype > 2) {
          throw new V1FormatException("\"type\" is " + rtype + "; use 0 (reset globals before), 1 (after) or 2"
              + " (never)", command, stamp);
        }
        yield new V1Message.Job(stamp, (int) rtype, text(o, "code", true, command, stamp));
      }
      case "REG" -> {
        JsonObject o = object(body, command, stamp);
        if (!(o.getValue("info") instanceof JsonObject info)) {
          throw new V1FormatException("REG carries {\"info\": {\"sys\", \"tmem\", \"fmem\", \"cpu\"}}", command, stamp);
        }
        Object sys = info.getValue("sys");
        yield new V1Message.Reg(stamp, new V1PeerInfo(sys == null ? "unknown" : sys.toString(),
            lenientNumber(info, "tmem", command, stamp), lenientNumber(info, "fmem", command, stamp),
            lenientNumber(info, "cpu", command, stamp)));
      }
      case "ROK" -> {
        JsonObject o = object(body, command, stamp);
        long errcode = number(o, "errcode", command, stamp);
        Object stime = o.getValue("stime");
        yield new V1Message.Rok(stamp, lenientNumber(o, "callID", command, stamp), (int) errcode,
            text(o, "ret", true, command, stamp), stime instanceof Number n ? n.doubleValue() : 0,
            o.getValue("btime"), o.getValue("rlen"));
      }
      case "REMOVE" -> new V1Message.Remove(stamp);
      default -> new V1Message.Unknown(command, stamp);
    };
  }

  private static String stamp(Object s) {
    if (s instanceof String text) {
      return text;
    }
    if (s instanceof Integer || s instanceof Long) {
      return s.toString();
    }
    return null;
  }

  private static JsonObject object(JsonObject body, String command, String stamp) throws V1FormatException {
    if (body == null) {
      throw new V1FormatException(command + " carries an object in \"v\", not a list", command, stamp);
    }
    return body;
  }

  private static String text(JsonObject o, String key, boolean required, String command, String stamp)
      throws V1FormatException {
    Object value = o.getValue(key);
    if (value instanceof String s) {
      return s;
    }
    if (value == null && !required) {
      return null;
    }
    throw new V1FormatException(command + " needs \"" + key + "\" as a string; got " + value, command, stamp);
  }

  private static long number(JsonObject o, String key, String command, String stamp) throws V1FormatException {
    if (o.getValue(key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new V1FormatException(command + " needs \"" + key + "\" as a whole number; got " + o.getValue(key),
        command, stamp);
  }

  /** A number the Python clients may send as a number or as its text ("15870", "15870.5"); rounded down. */
  private static long lenientNumber(JsonObject o, String key, String command, String stamp)
      throws V1FormatException {
    Object value = o.getValue(key);
    if (value instanceof Number n) {
      return (long) Math.floor(n.doubleValue());
    }
    if (value instanceof String s) {
      try {
        return (long) Math.floor(Double.parseDouble(s.trim()));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new V1FormatException(command + " needs \"" + key + "\" as a number; got " + value, command, stamp);
  }

  private static String preview(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 60 ? "\"" + oneLine + "\"" : "\"" + oneLine.substring(0, 60) + "…\" ("
        + text.length() + " characters)";
  }

  // ---- server to peer -----------------------------------------------------------------------------------

  private static String reply(String command, String stamp, JsonObject v) {
    return new JsonObject().put("C", command).put("s", stamp).put("v", v).encode();
  }

  /** The answer to {@code LOGIN}: {@code cID} > 0 when accepted; {@code ret} 1 and {@code cID} 0 when not. */
  public static String login(String stamp, long clientId) {
    return reply("LOGIN", stamp, new JsonObject().put("ret", clientId > 0 ? 0 : 1).put("cID", clientId));
  }

  /** The answer to {@code REG}: the resource client's id. */
  public static String reg(String stamp, long resourceId) {
    return reply("REG", stamp, new JsonObject().put("ret", 0).put("rID", resourceId));
  }

  /**
   * A task's outcome for its task client, under the client's task number: {@code ret} 0 with the pickled value,
   * 1 with the pickled exception text (both as the resource client sent them), or >= 2 with a plain string.
   */
  public static String jobResult(String taskStamp, int ret, String retval) {
    return reply("JOB", taskStamp, new JsonObject().put("ret", ret).put("retval", retval));
  }

  /** Work for a resource client ({@code rID}); {@code btime} and {@code rlen} come back in its {@code ROK}. */
  public static String run(long resourceId, long callId, int rtype, String code, double btime, long rlen) {
    return reply("RUN", Long.toString(resourceId), new JsonObject().put("callID", callId).put("type", rtype)
        .put("code", code).put("btime", btime).put("rlen", rlen));
  }

  /** The acknowledgement of a resource client's {@code ROK}. */
  public static String rokAck(long callId) {
    return reply("ROK", Long.toString(callId), new JsonObject().put("ret", 0));
  }

  /**
   * A refusal with code {@code ret} (20 bad call, 30 not logged in, ...). The text goes in {@code err}, as the
   * original puts it, and in {@code retval}, which is what the Python executor reads: a refused {@code JOB}
   * completes its future with the text instead of leaving it waiting for ever.
   */
  public static String error(String command, String stamp, int ret, String text) {
    return reply(command == null ? "ERR" : command, stamp == null ? "0" : stamp,
        new JsonObject().put("ret", ret).put("err", text).put("retval", text));
  }
}
