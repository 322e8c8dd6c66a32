package io.antpool.task.impl;

/**
 * Whether a class, as written in its class file, can hold state of its own between two uses: a static field
 * that is not a compile-time constant, or a static initializer ({@code <clinit>}), whose effects a fresh
 * definition of the class would run again.
 *
 * <p>A class with neither is the same in every class loader and at every moment: two tasks that use it cannot
 * tell whether they share one definition or each have their own. That is what lets isolation mode 0 keep a
 * task loader that defined only such classes for the next task (see {@code TaskClassLoader#holdsStaticState}).
 *
 * <p>The answer errs on the side of state: bytes that are not a well-formed class file hold state.
 */
public final class StaticState {
  private static final int ACC_STATIC = 0x0008;

  private StaticState() {
  }

  /** True unless the class file declares a non-constant static field or a static initializer. */
  public static boolean isStateless(byte[] classFile) {
    try {
      return new Reader(classFile).stateless();
    } catch (IndexOutOfBoundsException | IllegalArgumentException malformed) {
      return false;
    }
  }

  /** Reads just enough of the JVM class file format (JVMS chapter 4) to answer. */
  private static final class Reader {
    private final byte[] b;
    private int pos;
    private String[] utf8;

    Reader(byte[] classFile) {
      this.b = classFile;
    }

    boolean stateless() {
      if (u4() != 0xCAFEBABE) {
        throw new IllegalArgumentException("not a class file");
      }
      pos += 4; // minor and major version
      readConstantPool();
      pos += 6; // access flags, this class, super class
      skip(2 * u2()); // interfaces
      int fields = u2();
      for (int i = 0; i < fields; i++) {
        int access = u2();
        pos += 4; // name, descriptor
        boolean constant = false;
        int attributes = u2();
        for (int a = 0; a < attributes; a++) {
          constant |= "ConstantValue".equals(utf8[u2()]);
          skip(u4());
        }
        if ((access & ACC_STATIC) != 0 && !constant) {
          return false;
        }
      }
      int methods = u2();
      for (int i = 0; i < methods; i++) {
        pos += 2; // access flags
        if ("<clinit>".equals(utf8[u2()])) {
          return false;
        }
        pos += 2; // descriptor
        int attributes = u2();
        for (int a = 0; a < attributes; a++) {
          pos += 2;
          skip(u4());
        }
      }
      return true;
    }

    /** Keeps the UTF-8 entries (names are looked up in it) and skips every other kind by its size. */
    private void readConstantPool() {
      int count = u2();
      utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = b[pos++] & 0xff;
        switch (tag) {
          case 1 -> { // Utf8: modified UTF-8; the names compared here are plain ASCII
            int length = u2();
            utf8[i] = new String(b, pos, length, java.nio.charset.StandardCharsets.ISO_8859_1);
            pos += length;
          }
          case 3, 4, 9, 10, 11, 12, 17, 18 -> pos += 4; // Integer, Float, refs, NameAndType, (Invoke)Dynamic
          case 5, 6 -> { // Long, Double take two slots
            pos += 8;
            i++;
          }
          case 7, 8, 16, 19, 20 -> pos += 2; // Class, String, MethodType, Module, Package
          case 15 -> pos += 3; // MethodHandle
          default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
        }
      }
    }

    /** Not {@code pos += u2()}: that adds to the position read before u2() moved it. */
    private void skip(int length) {
      if (length < 0) {
        throw new IllegalArgumentException("negative length");
      }
      pos += length;
    }

    private int u2() {
      int v = (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    private int u4() {
      int v = (b[pos] & 0xff) << 24 | (b[pos + 1] & 0xff) << 16 | (b[pos + 2] & 0xff) << 8 | (b[pos + 3] & 0xff);
      pos += 4;
      return v;
    }
  }
}
