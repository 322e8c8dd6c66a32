package io.antpool.task.impl;

import io.vertx.core.buffer.Buffer;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

/**
 * A short binary form for the payloads most tasks carry, written instead of a Java serialization stream when it
 * applies: a boxed primitive, an ASCII {@link String} or null (typical results), and a lambda of one of
 * AntPool's functional interfaces that captures only such values (typical tasks). Anything else is left to Java
 * serialization: {@link #encode} returns null for it.
 *
 * <p>Why: a Java serialization stream costs a stream object with its buffers and handle tables on each side,
 * and for a lambda a class descriptor per class and ten strings, for a few bytes of data. That was most of the
 * CPU a trivial task cost on the client and on the worker.
 *
 * <p>Contract: decoding gives what Java serialization would have given: an equal boxed value or string (a
 * boxed value may be a cached instance, as from {@code valueOf}), null, or the same live lambda (the
 * {@link PortableLambda} of the lambda, rebuilt by {@link LambdaLinker}, its capturing class resolved by name
 * in the given loader, as the stream would). A lambda whose capturing class is itself {@link Serializable} is
 * left to Java serialization, which checks that class's {@code serialVersionUID} across the two sides.
 *
 * <p>Wire form: a Java serialization stream starts with the byte {@code 0xAC}; a compact payload starts with
 * one of the tags below, then big-endian data. A string is a 4-byte length and that many ASCII bytes. A lambda
 * is its capturing class's name, its implementation method kind (1 byte), the seven other strings of its
 * {@link SerializedLambda} in the order of {@link PortableLambda}'s components, a 1-byte count of captured
 * values and each value with its tag.
 */
public final class CompactForm {
  private static final byte NULL = 'N';
  private static final byte INT = 'I';
  private static final byte LONG = 'J';
  private static final byte SHORT = 'S';
  private static final byte BYTE = 'B';
  private static final byte CHAR = 'C';
  private static final byte BOOLEAN = 'Z';
  private static final byte DOUBLE = 'D';
  private static final byte FLOAT = 'F';
  private static final byte STRING = 'T';
  /** A lambda: its {@link Header} bytes, then a 1-byte count of captured values and each value's form. */
  private static final byte LAMBDA = 'L';
  /** The most captured values a compact lambda has; a lambda capturing more is left to Java serialization. */
  private static final int MAX_CAPTURED = 127;
  /** The longest string written compactly (in chars); longer ones are left to Java serialization. */
  private static final int MAX_STRING = 1 << 20;

  /**
   * Per lambda class: how to get an instance's {@link SerializedLambda}, and the compact bytes of what every
   * instance shares. Lives as long as the class, so it keeps no class loader alive.
   */
  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return Shape.of(type);
    }
  };

  private CompactForm() {
  }

  /** Whether a payload whose first byte is {@code first} is in compact form (else it is a Java stream). */
  public static boolean isCompact(byte first) {
    return switch (first) {
      case NULL, INT, LONG, SHORT, BYTE, CHAR, BOOLEAN, DOUBLE, FLOAT, STRING, LAMBDA -> true;
      default -> false;
    };
  }

  /**
   * The compact form of {@code o}, or null when it has none (Java serialization then writes it).
   *
   * @param loader the loader the receiver resolves the stream's classes against, as for {@link PortableLambda}
   */
  public static byte[] encode(Object o, ClassLoader loader) {
    Writer out = new Writer();
    if (o != null && o.getClass().isHidden()) { // a lambda's class is hidden
      return lambda(o, loader, out) ? out.bytes() : null;
    }
    return value(o, out) ? out.bytes() : null;
  }

  /** Writes a value with a compact form; false (having written nothing) when it has none. */
  private static boolean value(Object o, Writer out) {
    if (o == null) {
      out.tag(NULL);
    } else if (o instanceof Integer i) {
      out.tag(INT).int32(i);
    } else if (o instanceof Long l) {
      out.tag(LONG).int64(l);
    } else if (o instanceof String s) {
      return string(s, out);
    } else if (o instanceof Double d) {
      out.tag(DOUBLE).int64(Double.doubleToLongBits(d));
    } else if (o instanceof Boolean z) {
      out.tag(BOOLEAN).int8(z ? 1 : 0);
    } else if (o instanceof Float f) {
      out.tag(FLOAT).int32(Float.floatToIntBits(f));
    } else if (o instanceof Short s) {
      out.tag(SHORT).int16(s);
    } else if (o instanceof Byte b) {
      out.tag(BYTE).int8(b);
    } else if (o instanceof Character c) {
      out.tag(CHAR).int16(c);
    } else {
      return false;
    }
    return true;
  }

  private static boolean string(String s, Writer out) {
    if (!isAscii(s)) {
      return false;
    }
    out.tag(STRING).ascii(s);
    return true;
  }

  /** Whether {@code s} may be written by {@link Writer#ascii}. */
  private static boolean isAscii(String s) {
    int n = s.length();
    if (n > MAX_STRING) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean lambda(Object o, ClassLoader loader, Writer out) {
    Shape shape = SHAPES.get(o.getClass());
    SerializedLambda lambda = shape.replace(o);
    byte[] header = lambda == null ? null : shape.header(lambda, loader);
    int count = header == null ? 0 : lambda.getCapturedArgCount();
    if (header == null || count > MAX_CAPTURED) {
      return false;
    }
    out.raw(header).int8(count);
    for (int i = 0; i < count; i++) {
      if (!value(lambda.getCapturedArg(i), out)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes a compact payload.
   *
   * @param loader where a lambda's capturing class is resolved
   * @throws ClassNotFoundException when the capturing class cannot be found or fetched
   * @throws IOException when the bytes are not a compact form
   */
  public static Object decode(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
    Reader in = new Reader(bytes);
    Object o = in.tag() == LAMBDA ? lambda(in, loader) : in.value(bytes[0]);
    if (in.position != bytes.length) {
      throw new StreamCorruptedException("a compact payload with " + (bytes.length - in.position)
          + " bytes after its end");
    }
    return o;
  }

  private static Object lambda(Reader in, ClassLoader loader) throws IOException, ClassNotFoundException {
    Class<?> capturing = Class.forName(in.string(), false, loader);
    int implMethodKind = in.int8();
    String functionalInterfaceClass = in.string();
    String functionalInterfaceMethodName = in.string();
    String functionalInterfaceMethodSignature = in.string();
    String implClass = in.string();
    String implMethodName = in.string();
    String implMethodSignature = in.string();
    String instantiatedMethodType = in.string();
    int count = in.int8();
    if (count < 0 || count > MAX_CAPTURED) {
      throw new StreamCorruptedException("a compact lambda with " + count + " captured values");
    }
    Object[] captured = new Object[count];
    for (int i = 0; i < captured.length; i++) {
      captured[i] = in.value(in.tag());
    }
    return LambdaLinker.link(new PortableLambda(capturing, functionalInterfaceClass, functionalInterfaceMethodName,
        functionalInterfaceMethodSignature, implMethodKind, implClass, implMethodName, implMethodSignature,
        instantiatedMethodType, captured));
  }

  /**
   * What is known of one lambda class: its {@code writeReplace} (null when this is no lambda class whose
   * {@code writeReplace} this module may call), and the header its instances write (the {@link PortableLambda}
   * without captured values), made the first time one is written.
   */
  private static final class Shape {
    private static final MethodType WRITE_REPLACE = MethodType.methodType(Object.class, Object.class);
    private final MethodHandle writeReplace;
    /** Made for one loader (a lambda class is always written with its own); bytes null: no compact form. */
    private volatile Header header;

    private record Header(ClassLoader loader, byte[] bytes) {
    }

    private Shape(MethodHandle writeReplace) {
      this.writeReplace = writeReplace;
    }

    static Shape of(Class<?> type) {
      if (!type.isSynthetic() || !Serializable.class.isAssignableFrom(type)) {
        return new Shape(null);
      }
      try {
        Method m = type.getDeclaredMethod("writeReplace");
        if (m.getParameterCount() != 0 || m.getReturnType() != Object.class || !m.trySetAccessible()) {
          return new Shape(null);
        }
        return new Shape(MethodHandles.lookup().unreflect(m).asType(WRITE_REPLACE));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new Shape(null);
      }
    }

    /** What Java serialization writes in place of {@code o}, when that is a {@link SerializedLambda}; else null. */
    SerializedLambda replace(Object o) {
      if (writeReplace == null) {
        return null;
      }
      try {
        return (Object) writeReplace.invokeExact(o) instanceof SerializedLambda lambda ? lambda : null;
      } catch (Throwable e) { // serialization would fail the same way: it decides what to tell
        return null;
      }
    }

    byte[] header(SerializedLambda lambda, ClassLoader loader) {
      Header h = header;
      if (h == null || h.loader() != loader) {
        h = new Header(loader, headerBytes(lambda, loader));
        header = h;
      }
      return h.bytes();
    }

    /**
     * The form's bytes up to its captured values, or null when Java serialization must write it: not a form
     * AntPool rebuilds, a capturing class the stream would check on the receiver (serializable, an enum or a
     * proxy class), or a name or signature that is not ASCII.
     */
    private static byte[] headerBytes(SerializedLambda lambda, ClassLoader loader) {
      if (!(PortableLambda.replacing(lambda, loader) instanceof PortableLambda form)) {
        return null;
      }
      Class<?> capturing = form.capturingClass();
      if (Serializable.class.isAssignableFrom(capturing) || Enum.class.isAssignableFrom(capturing)
          || Proxy.isProxyClass(capturing)) {
        return null;
      }
      Writer out = new Writer();
      out.tag(LAMBDA);
      String[] strings = {capturing.getName(), form.functionalInterfaceClass(),
          form.functionalInterfaceMethodName(), form.functionalInterfaceMethodSignature(), form.implClass(),
          form.implMethodName(), form.implMethodSignature(), form.instantiatedMethodType()};
      for (String s : strings) {
        if (!isAscii(s)) {
          return null;
        }
      }
      out.ascii(strings[0]).int8(form.implMethodKind());
      for (int i = 1; i < strings.length; i++) {
        out.ascii(strings[i]);
      }
      return out.bytes();
    }
  }

  /** Appends to a buffer; a string as its length and its ASCII bytes. */
  private record Writer(Buffer buffer) {
    Writer() {
      this(Buffer.buffer(64));
    }

    Writer tag(byte tag) {
      return int8(tag);
    }

    Writer int8(int v) {
      buffer.appendByte((byte) v);
      return this;
    }

    Writer int16(int v) {
      buffer.appendShort((short) v);
      return this;
    }

    Writer int32(int v) {
      buffer.appendInt(v);
      return this;
    }

    Writer int64(long v) {
      buffer.appendLong(v);
      return this;
    }

    /** {@code s}, every char of which is below 0x80. */
    Writer ascii(String s) {
      buffer.appendInt(s.length()).appendBytes(s.getBytes(StandardCharsets.ISO_8859_1));
      return this;
    }

    Writer raw(byte[] bytes) {
      buffer.appendBytes(bytes);
      return this;
    }

    byte[] bytes() {
      return buffer.getBytes();
    }
  }

  /** Reads what {@link Writer} wrote, failing with a stream error on a short or malformed payload. */
  private static final class Reader {
    private final byte[] buf;
    private int position;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    private void need(int n) throws EOFException {
      if (n < 0 || position + n > buf.length) {
        throw new EOFException("a compact payload ends early, at byte " + buf.length);
      }
    }

    byte tag() throws EOFException {
      return (byte) int8();
    }

    int int8() throws EOFException {
      need(1);
      return buf[position++];
    }

    int int16() throws EOFException {
      return (int) bigEndian(2);
    }

    int int32() throws EOFException {
      return (int) bigEndian(4);
    }

    long int64() throws EOFException {
      return bigEndian(8);
    }

    /** {@code n} bytes, most significant first, unsigned. */
    private long bigEndian(int n) throws EOFException {
      need(n);
      long v = 0;
      for (int i = 0; i < n; i++) {
        v = (v << 8) | (buf[position++] & 0xff);
      }
      return v;
    }

    String string() throws IOException {
      int n = int32();
      need(n);
      for (int i = position; i < position + n; i++) {
        if (buf[i] < 0) {
          throw new StreamCorruptedException("a compact string with a byte that is not ASCII");
        }
      }
      String s = new String(buf, position, n, StandardCharsets.ISO_8859_1);
      position += n;
      return s;
    }

    Object value(byte tag) throws IOException {
      return switch (tag) {
        case NULL -> null;
        case INT -> int32();
        case LONG -> int64();
        case STRING -> string();
        case DOUBLE -> Double.longBitsToDouble(int64());
        case BOOLEAN -> switch (int8()) {
          case 0 -> false;
          case 1 -> true;
          default -> throw new StreamCorruptedException("a compact boolean that is neither 0 nor 1");
        };
        case FLOAT -> Float.intBitsToFloat(int32());
        case SHORT -> (short) int16();
        case BYTE -> (byte) int8();
        case CHAR -> (char) int16();
        default -> throw new StreamCorruptedException("a compact payload with unknown tag 0x"
            + Integer.toHexString(tag & 0xff));
      };
    }
  }
}
