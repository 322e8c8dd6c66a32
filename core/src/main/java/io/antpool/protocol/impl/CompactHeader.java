package io.antpool.protocol.impl;

import io.antpool.protocol.BroadcastScope;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Message;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Result;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The binary header of the three messages every task makes ({@code submit}, {@code dispatch}, {@code result}):
 * each crosses the wire once or twice per task, and Jackson's encoding and decoding of their JSON cost several
 * microseconds a time, a real share of a trivial task's budget. Every other message keeps its JSON header.
 *
 * <p>A compact header starts with its tag byte ({@link #SUBMIT}, {@link #DISPATCH}, {@link #RESULT}), which a
 * JSON header never does (it starts with {@code '{'} or white space), then the message's fields in the order of
 * the record's components: {@code long} and {@code int} big-endian, a boolean as one byte, an enum as its ordinal in one byte (-1 for null),
 * a string as its UTF-8 length ({@code int}; -1 for null) and bytes, a nullable number as a presence byte (0 or
 * 1) and the number, a map as its size and its keys and values. Every field is always written, so the form has
 * no optional parts; a change to it is a change of the tag.
 *
 * <p>Decoding checks every length and ordinal against the bytes present and throws only
 * {@link ProtocolException} ({@link ErrorCode#BAD_FRAME}), as {@link FrameCodec#decode} promises.
 */
final class CompactHeader {
  static final byte SUBMIT = 1;
  static final byte DISPATCH = 2;
  static final byte RESULT = 3;

  private static final TaskKind[] KINDS = TaskKind.values();
  private static final BroadcastScope[] SCOPES = BroadcastScope.values();
  private static final Result.Status[] STATUSES = Result.Status.values();

  private CompactHeader() {
  }

  /** Whether a header starting with {@code first} is compact (else it is JSON). */
  static boolean isCompact(byte first) {
    return first == SUBMIT || first == DISPATCH || first == RESULT;
  }

  /** The compact header of {@code message}, or null when its type keeps a JSON header. */
  static byte[] encode(Message message) {
    if (message instanceof Submit s) {
      Writer w = new Writer(64).tag(SUBMIT).putLong(s.taskId()).putEnum(s.kind()).putInt(s.rtype())
          .putInt(s.loader()).putInt(s.requires().size());
      s.requires().forEach((key, value) -> w.putString(key).putString(value));
      return w.putBoolean(s.spread()).putEnum(s.broadcast())
          .putLong(s.timeoutMillis()).bytes();
    }
    if (message instanceof Dispatch d) {
      return new Writer(96).tag(DISPATCH).putLong(d.taskId()).putString(d.session()).putEnum(d.kind())
          .putInt(d.rtype()).putInt(d.attempt()).putInt(d.loader()).putLong(d.timeoutMillis()).bytes();
    }
    if (message instanceof Result r) {
      Writer w = new Writer(96).tag(RESULT).putLong(r.taskId()).putEnum(r.status()).putString(r.errorClass()).putString(r.errorMessage()).putString(r.worker());
      w.putBoolean(r.part() != null).putInt(r.part() == null ? 0 : r.part());
      w.putBoolean(r.parts() != null).putInt(r.parts() == null ? 0 : r.parts());
      w.putBoolean(r.cpuNanos() != null).putLong(r.cpuNanos() == null ? 0 : r.cpuNanos());
      return w.bytes();
    }
    return null;
  }

  /** Decodes the compact header of {@code length} bytes at {@code offset} of {@code wire}. */
  static Message decode(Buffer wire, int offset, int length) {
    Reader r = Reader.of(wire, offset, length);
    byte tag = r.getByte();
    Message message = switch (tag) {
      case SUBMIT -> {
        long taskId = r.getLong();
        TaskKind kind = r.getEnum(KINDS, "kind");
        int rtype = r.getInt();
        int loader = r.getInt();
        int entries = r.getInt();
        if (entries < 0 || entries > length) {
          throw bad("submit requires " + entries + " tags");
        }
        Map<String, String> requires = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
          requires.put(r.getString("requires key", false), r.getString("requires value", false));
        }
        boolean spread = r.getBoolean();
        BroadcastScope broadcast = r.getEnum(SCOPES, "broadcast");
        yield new Submit(taskId, kind, rtype, loader, requires, spread, broadcast, r.getLong());
      }
      case DISPATCH -> new Dispatch(r.getLong(), r.getString("session", true), r.getEnum(KINDS, "kind"),
          r.getInt(), r.getInt(), r.getInt(), r.getLong());
      case RESULT -> {
        long taskId = r.getLong();
        Result.Status status = r.getEnum(STATUSES, "status");
        String errorClass = r.getString("errorClass", true);
        String errorMessage = r.getString("errorMessage", true);
        String worker = r.getString("worker", true);
        Integer part = r.getBoolean() ? Integer.valueOf(r.getInt()) : skipInt(r);
        Integer parts = r.getBoolean() ? Integer.valueOf(r.getInt()) : skipInt(r);
        Long cpuNanos = r.getBoolean() ? Long.valueOf(r.getLong()) : skipLong(r);
        yield new Result(taskId, status, errorClass, errorMessage, worker, part, parts, cpuNanos);
      }
      default -> throw bad("unknown compact header tag " + tag);
    };
    r.end();
    return message;
  }

  private static Integer skipInt(Reader r) {
    r.getInt();
    return null;
  }

  private static Long skipLong(Reader r) {
    r.getLong();
    return null;
  }

  private static ProtocolException bad(String what) {
    return new ProtocolException(ErrorCode.BAD_FRAME, "bad AntPool frame: compact header: " + what);
  }

  /** Appends big-endian fields to a growing array. */
  private static final class Writer {
    private byte[] bytes;
    private int size;

    Writer(int capacity) {
      bytes = new byte[capacity];
    }

    private void room(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    Writer tag(byte tag) {
      return putByte(tag);
    }

    Writer putByte(int value) {
      room(1);
      bytes[size++] = (byte) value;
      return this;
    }

    /** An enum as its ordinal; null as -1. */
    Writer putEnum(Enum<?> value) {
      return putByte(value == null ? -1 : value.ordinal());
    }

    Writer putBoolean(boolean value) {
      return putByte(value ? 1 : 0);
    }

    Writer putInt(int value) {
      room(4);
      for (int shift = 24; shift >= 0; shift -= 8) {
        bytes[size++] = (byte) (value >>> shift);
      }
      return this;
    }

    Writer putLong(long value) {
      room(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        bytes[size++] = (byte) (value >>> shift);
      }
      return this;
    }

    Writer putString(String value) {
      if (value == null) {
        return putInt(-1);
      }
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      putInt(utf8.length);
      room(utf8.length);
      System.arraycopy(utf8, 0, bytes, size, utf8.length);
      size += utf8.length;
      return this;
    }

    byte[] bytes() {
      return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
  }

  /**
   * Reads fields within {@code [position, end)} of a byte array, refusing any that would reach past it.
   *
   * <p>Why an array: this runs for every submit, dispatch and result, and reading field by field through Vert.x's
   * {@link Buffer} (bounds checks of the wrapper, then of Netty's buffer and of every slice under it, per call) was
   * a visible share of a client's network thread (5 to 26 % of its samples, depending on the profile). The header
   * is read from the buffer's own array where it has one (every frame received whole: a WebSocket message is a
   * heap copy), else from one copy of the header's bytes (a message that came in fragments is a composite).
   */
  private static final class Reader {
    private final byte[] bytes;
    private final int end;
    private final int base;
    private int position;

    /** The {@code length} bytes at {@code offset} of {@code wire}; positions in errors count from its start. */
    static Reader of(Buffer wire, int offset, int length) {
      if (offset < 0 || length < 0 || offset + length > wire.length()) {
        throw new IndexOutOfBoundsException("header of " + length + " bytes at " + offset + " in a buffer of "
            + wire.length());
      }
      ByteBuf buf = ((BufferInternal) wire).getByteBuf();
      if (buf.hasArray()) {
        int start = buf.arrayOffset() + buf.readerIndex() + offset;
        return new Reader(buf.array(), start, start + length, offset - start);
      }
      return new Reader(wire.getBytes(offset, offset + length), 0, length, offset);
    }

    private Reader(byte[] bytes, int position, int end, int base) {
      this.bytes = bytes;
      this.position = position;
      this.end = end;
      this.base = base;
    }

    private int take(int count) {
      if (end - position < count) {
        throw bad("truncated: " + count + " more bytes needed at offset " + (base + position) + ", "
            + (end - position) + " left");
      }
      int at = position;
      position += count;
      return at;
    }

    byte getByte() {
      return bytes[take(1)];
    }

    boolean getBoolean() {
      byte b = getByte();
      if (b != 0 && b != 1) {
        throw bad("boolean byte " + b + " is neither 0 nor 1");
      }
      return b == 1;
    }

    int getInt() {
      int at = take(4);
      return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
          | bytes[at + 3] & 0xff;
    }

    long getLong() {
      int at = take(8);
      long value = 0;
      for (int i = at; i < at + 8; i++) {
        value = value << 8 | bytes[i] & 0xff;
      }
      return value;
    }

    <E extends Enum<E>> E getEnum(E[] values, String field) {
      byte ordinal = getByte();
      if (ordinal == -1) {
        return null;
      }
      if (ordinal < 0 || ordinal >= values.length) {
        throw bad(field + " " + ordinal + " is not one of " + Arrays.toString(values));
      }
      return values[ordinal];
    }

    String getString(String field, boolean nullable) {
      int length = getInt();
      if (length == -1 && nullable) {
        return null;
      }
      if (length < 0) {
        throw bad(field + " has the impossible length " + length);
      }
      int at = take(length);
      if (isAscii(at, length)) {
        // every session id and worker name: no decoder to make on the path every task takes
        return new String(bytes, at, length, StandardCharsets.US_ASCII);
      }
      try {
        // strict, as Jackson is for a JSON header: bytes that are not UTF-8 are bad input, not U+FFFD
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, at, length)).toString();
      } catch (CharacterCodingException e) {
        throw bad(field + " is not UTF-8");
      }
    }

    private boolean isAscii(int at, int length) {
      for (int i = at; i < at + length; i++) {
        if (bytes[i] < 0) {
          return false;
        }
      }
      return true;
    }

    void end() {
      if (position != end) {
        throw bad((end - position) + " bytes left over after the last field");
      }
    }
  }
}
