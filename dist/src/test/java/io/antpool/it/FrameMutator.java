package io.antpool.it;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Drain;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Fetch;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import io.antpool.auth.TokenSource;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Message;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.SessionEnded;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.Withdraw;
import io.antpool.protocol.Withdrawn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutated frames for {@code FuzzIT}, all from one {@link Random} so a seed gives the same frames: v2 binary
 * frames (valid ones of every message type, then bit flips, truncations, forged header lengths, splices, a
 * changed or made-up type, hostile JSON values, noise) and legacy v1 JSON text frames (LOGIN, REG, JOB, ROK,
 * PING, PONG, REMOVE, mutated alike). Payloads are never valid Java serialization, so a worker that is given a
 * fuzzed task fails it at once.
 */
final class FrameMutator {
  private static final PeerInfo PEER = new PeerInfo("fuzz", "fuzz-host", "127.0.0.1", "FuzzOS", 2, 1L << 30,
      1L << 29, 1.0, 7, "fuzz", Map.of("zone", "f"));
  private static final String[] TYPES = {"hello", "welcome", "submit", "dispatch", "result", "cancel", "withdraw",
      "drain", "withdrawn", "fetch", "fetchReply", "error", "sessionEnded", "teleport", "", "HELLO", "submit\u0000"};
  private static final String[] ODD_VALUES = {"-1", "0", "9223372036854775807", "-9223372036854775808",
      "1e308", "1" + "0".repeat(400), "\"x\"", "null", "[]", "{}", "true", "\"CALLABLE\"", "\"SLOTS\"", "2.5",
      "{\"a\":null}", "[[[[[[[[[[]]]]]]]]]]", "\"" + "A".repeat(3000) + "\""};
  private static final List<String> LEGACY = List.of(
      "{\"c\":\"LOGIN\",\"r\":\"1\",\"s\":1,\"v\":{\"user\":\"user\",\"pwd\":\"pwd\"}}",
      "{\"c\":\"REG\",\"r\":\"1\",\"s\":1,\"v\":{\"info\":{\"sys\":\"Linux\",\"tmem\":\"16000\",\"fmem\":8000,"
          + "\"cpu\":1234}}}",
      "{\"c\":\"JOB\",\"r\":\"1\",\"s\":3,\"v\":{\"type\":0,\"code\":\"def f(x):\\n  return x\\nr1t_va1=f(*r1t_arg)\"}}",
      "{\"c\":\"ROK\",\"r\":\"1\",\"s\":\"5\",\"v\":{\"callID\":3,\"errcode\":0,\"ret\":\"b'gASVAgAAAAAAAABLKi4='\","
          + "\"stime\":0.01,\"btime\":1700000000.5,\"rlen\":12}}",
      "{\"c\":\"RUN\",\"r\":\"1\",\"s\":\"1\",\"v\":[1,2,3]}",
      "{\"c\":\"REMOVE\",\"r\":\"1\",\"s\":9,\"v\":{}}",
      "PING",
      "PONG");

  private final Random random;
  private final List<byte[]> valid;

  FrameMutator(Random random) {
    this.random = random;
    List<Message> messages = List.of(
        // the local server's token, as AntPool peers on its machine find it: so the frames after reach a session
        new Hello(Role.CLIENT, Protocol.VERSION, PEER, TokenSource.resolve(null)),
        new Hello(Role.WORKER, Protocol.VERSION, PEER, TokenSource.resolve(null)),
        new Submit(random.nextInt(20), TaskKind.CALLABLE, 0),
        new Submit(random.nextInt(20), TaskKind.RUNNABLE, 2, 1, Map.of("zone", "f"), true, null, 5),
        new Submit(random.nextInt(20), TaskKind.CALLABLE, 1, 0, Map.of(), false,
            io.antpool.protocol.BroadcastScope.SLOTS),
        new Result(random.nextInt(50), Result.Status.VALUE, null, null, "w"),
        new Result(random.nextInt(50), Result.Status.ERROR, "java.lang.Error", "boom", "w"),
        new Cancel(random.nextInt(20), true),
        new Progress(random.nextInt(50), random.nextInt(10), random.nextInt(20), "fuzz"),
        new Withdraw(),
        new Drain(),
        new Withdrawn(List.of(1L, 2L)),
        new Fetch(random.nextInt(10), "c-none", "a/B.class", 0, List.of("00")),
        new FetchReply(random.nextInt(10), true, null, "00"),
        new ErrorReply(ErrorCode.INTERNAL, "fuzz", null),
        new Welcome("s", Protocol.VERSION, "v"),
        new Dispatch(1, "c-none", TaskKind.CALLABLE, 0, 1),
        new SessionEnded("c-none"));
    this.valid = messages.stream().map(m -> Frame.of(m, payload()).encode().getBytes()).toList();
  }

  /** A hello as a well-behaved peer sends it first: as a client or a worker. */
  byte[] hello() {
    return valid.get(random.nextInt(2));
  }

  private byte[] payload() {
    byte[] p = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(64)];
    random.nextBytes(p);
    if (p.length > 0) {
      p[0] = 0x13; // never the serialization magic 0xACED
    }
    return p;
  }

  /** One mutated (sometimes valid) v2 frame. */
  byte[] binary() {
    byte[] f = valid.get(random.nextInt(valid.size())).clone();
    return switch (random.nextInt(10)) {
      case 0 -> f;
      case 1 -> flipBits(f);
      case 2 -> Arrays.copyOf(f, random.nextInt(f.length));
      case 3 -> forgeLength(f);
      case 4 -> splice(f, valid.get(random.nextInt(valid.size())));
      case 5 -> withHeader(f, header(f).replaceFirst("\"type\":\"[^\"]*\"",
          "\"type\":\"" + TYPES[random.nextInt(TYPES.length)] + "\""));
      case 6 -> withHeader(f, oddValue(header(f)));
      case 7 -> withHeader(f, flipChars(header(f)));
      case 8 -> noise();
      default -> {
        byte[] longer = Arrays.copyOf(f, f.length + random.nextInt(2048));
        yield longer; // a payload grown with zeros
      }
    };
  }

  /** One mutated (sometimes valid-looking) legacy v1 text frame, as UTF-8 bytes (sometimes invalid UTF-8). */
  byte[] legacyText() {
    String m = LEGACY.get(random.nextInt(LEGACY.size()));
    String mutated = switch (random.nextInt(7)) {
      case 0 -> m;
      case 1 -> flipChars(m);
      case 2 -> m.substring(0, random.nextInt(m.length() + 1));
      case 3 -> m.replace("\"c\"", random.nextBoolean() ? "\"C\"" : "\"cc\"").replace("\"1\"", "\"2\"");
      case 4 -> oddValue(m);
      case 5 -> "{\"c\":" + "[".repeat(random.nextInt(5000)) + "}";
      default -> m + m;
    };
    byte[] bytes = mutated.getBytes(StandardCharsets.UTF_8);
    if (random.nextInt(20) == 0 && bytes.length > 0) {
      bytes[random.nextInt(bytes.length)] = (byte) 0xC3; // most likely invalid UTF-8 now
    }
    return bytes;
  }

  private static String header(byte[] frame) {
    int h = ByteBuffer.wrap(frame).getInt(0);
    return new String(frame, 4, h, StandardCharsets.UTF_8);
  }

  /** {@code frame} with its JSON header replaced (and a correct length field), payload kept. */
  private static byte[] withHeader(byte[] frame, String header) {
    int h = ByteBuffer.wrap(frame).getInt(0);
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + json.length + frame.length - 4 - h).putInt(json.length).put(json)
        .put(frame, 4 + h, frame.length - 4 - h).array();
  }

  private byte[] flipBits(byte[] f) {
    for (int k = 1 + random.nextInt(8); k > 0; k--) {
      f[random.nextInt(f.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return f;
  }

  private byte[] forgeLength(byte[] f) {
    int[] lengths = {random.nextInt(), -1, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, f.length - 3, f.length,
        65_537, 65_536, 1};
    ByteBuffer.wrap(f).putInt(0, lengths[random.nextInt(lengths.length)]);
    return f;
  }

  private byte[] splice(byte[] a, byte[] b) {
    int cut = random.nextInt(a.length);
    int from = random.nextInt(b.length);
    byte[] out = Arrays.copyOf(a, cut + b.length - from);
    System.arraycopy(b, from, out, cut, b.length - from);
    return out;
  }

  private String flipChars(String s) {
    char[] c = s.toCharArray();
    String structural = "{}[]\":,\\ -0e";
    for (int k = 1 + random.nextInt(4); k > 0 && c.length > 0; k--) {
      c[random.nextInt(c.length)] = structural.charAt(random.nextInt(structural.length()));
    }
    return new String(c);
  }

  /** Replaces one JSON value (after a colon) with a value of the wrong type, size or sign. */
  private String oddValue(String json) {
    int colon = json.indexOf(':', random.nextInt(Math.max(1, json.length())));
    if (colon < 0) {
      return json;
    }
    int end = colon + 1;
    while (end < json.length() && ",}]".indexOf(json.charAt(end)) < 0) {
      end++;
    }
    return json.substring(0, colon + 1) + ODD_VALUES[random.nextInt(ODD_VALUES.length)] + json.substring(end);
  }

  private byte[] noise() {
    byte[] n = new byte[random.nextInt(200)];
    random.nextBytes(n);
    return n;
  }
}
