package io.antpool.task;

import io.antpool.RemoteTaskException;
import io.antpool.TaskNotSerializableException;
import io.antpool.task.impl.ChunkedOutput;
import io.antpool.task.impl.CompactForm;
import io.antpool.task.impl.PortableLambda;
import io.antpool.task.impl.SerializationPath;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Java serialization of tasks, values and exceptions, with errors that say what to change. Decoding resolves
 * classes through a given class loader (on a worker, the task's {@link TaskClassLoader}). Tasks and values that
 * have a {@link CompactForm} (boxed primitives, ASCII strings, null, lambdas capturing only such values) are
 * written in it instead, and decode to what the Java stream would have given; exceptions always travel as
 * Java streams.
 */
public final class TaskCodec {
  private TaskCodec() {
  }

  /**
   * Serializes a task object.
   *
   * @throws TaskNotSerializableException naming the class that is not serializable, the path of fields (or
   *     captured values, or elements) from the task to it when it can be found, and the fix
   */
  public static byte[] encodeTask(Object task) {
    byte[] compact = CompactForm.encode(task, receiverLoader(task));
    if (compact != null) {
      return compact;
    }
    try {
      return write(task);
    } catch (NotSerializableException e) {
      String culprit = e.getMessage();
      String taskClass = task.getClass().getName();
      if (culprit == null) { // thrown by a writeObject method, not by serialization itself
        throw new TaskNotSerializableException("task " + taskClass + " could not be serialized: " + e, e);
      }
      if (culprit.equals(taskClass)) {
        throw new TaskNotSerializableException("task class " + taskClass + " is not Serializable: implement"
            + " java.io.Serializable, or submit a lambda through AntPoolExecutor.submit(SerializableCallable) /"
            + " submit(SerializableRunnable)", e);
      }
      String message = "class " + culprit + ", captured by or reachable from task " + taskClass
          + ", is not Serializable";
      Optional<SerializationPath> path = SerializationPath.find(task, culprit);
      Optional<SerializationPath.Step> last = path.flatMap(SerializationPath::last);
      if (last.isEmpty()) {
        message += ": implement java.io.Serializable on it, mark the field transient, or capture only"
            + " serializable values";
      } else {
        message += ". Path: " + path.get().describe("task") + ". Fix: " + fix(culprit, last.get());
      }
      throw new TaskNotSerializableException(message, e);
    } catch (IOException e) {
      throw new TaskNotSerializableException("task " + task.getClass().getName() + " could not be serialized: "
          + e, e);
    }
  }

  /** What to change, given the reference that reaches the non-serializable object. */
  private static String fix(String culprit, SerializationPath.Step last) {
    if (last.enclosingInstance()) {
      return "the task keeps a reference to the object it was created in (an inner or anonymous class created"
          + " in an instance method, or a lambda that uses that object's fields or methods, captures it):"
          + " create the task in a static method or make it a static nested or top-level class, and copy the"
          + " values it needs into local variables; or implement java.io.Serializable on " + culprit;
    }
    return switch (last.kind()) {
      case FIELD -> "implement java.io.Serializable on " + culprit + ", mark field '" + last.name()
          + "' transient (and create its value inside the task), or capture only serializable values";
      case CAPTURED_VALUE -> "implement java.io.Serializable on " + culprit + ", or let the lambda capture"
          + " only serializable values (create it inside the lambda instead)";
      case ELEMENT, MAP_KEY, MAP_VALUE -> "implement java.io.Serializable on " + culprit + ", or put only"
          + " serializable values in what the task carries";
    };
  }

  /**
   * Serializes a task's return value.
   *
   * @throws TaskNotSerializableException naming the result's type, the class that is not serializable, the
   *     path to it when it is inside the result, and the fix
   */
  public static byte[] encodeValue(Object value) {
    byte[] compact = CompactForm.encode(value, receiverLoader(value));
    if (compact != null) {
      return compact;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    writeValue(value, bytes);
    return bytes.toByteArray();
  }

  /**
   * As {@link #encodeValue}, into a buffer over the serialized bytes themselves: nothing is copied after
   * serialization, which matters for large results (a worker sends this buffer as the result's payload).
   *
   * @throws TaskNotSerializableException as {@link #encodeValue} does
   */
  public static Buffer encodeValueToBuffer(Object value) {
    byte[] compact = CompactForm.encode(value, receiverLoader(value));
    if (compact != null) {
      return Buffer.buffer(compact);
    }
    ChunkedOutput out = new ChunkedOutput();
    writeValue(value, out);
    return out.toBuffer();
  }

  private static void writeValue(Object value, OutputStream bytes) {
    try {
      write(value, bytes);
    } catch (IOException e) {
      String type = value.getClass().getName();
      if (!(e instanceof NotSerializableException) || e.getMessage() == null) {
        throw new TaskNotSerializableException("the task's result of type " + type + " cannot be sent back: "
            + e + "; return a serializable value", e);
      }
      String culprit = e.getMessage();
      Optional<SerializationPath> path = culprit.equals(type) ? Optional.empty()
          : SerializationPath.find(value, culprit).filter(p -> !p.steps().isEmpty());
      throw new TaskNotSerializableException("the task's result of type " + type + " cannot be sent back: "
          + culprit + " is not Serializable" + path.map(p -> " (path: " + p.describe("result") + ")").orElse("")
          + "; return a serializable value (implement java.io.Serializable on " + culprit
          + ", or return the data it holds)", e);
    }
  }

  /**
   * Serializes an exception a task threw. If the exception (or something it refers to) does not serialize,
   * a {@link RemoteTaskException} with its class name, message and stack trace is sent instead, with the
   * causes treated the same way.
   */
  public static byte[] encodeThrowable(Throwable error) {
    try {
      return write(error);
    } catch (IOException e) {
      try {
        return write(portable(error));
      } catch (IOException impossible) {
        throw new IllegalStateException("RemoteTaskException must serialize", impossible);
      }
    }
  }

  private static RemoteTaskException portable(Throwable error) {
    return portable(error, Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  /** {@code seen} holds the exceptions already on the chain: a cycle of causes is cut where it closes. */
  private static RemoteTaskException portable(Throwable error, Set<Throwable> seen) {
    seen.add(error);
    RemoteTaskException copy =
        new RemoteTaskException(error.getClass().getName(), error.getMessage(), error.getStackTrace());
    Throwable cause = error.getCause();
    if (cause != null && !seen.contains(cause)) {
      copy.initCause(portable(cause, seen));
    }
    return copy;
  }

  private static byte[] write(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    write(o, bytes);
    return bytes.toByteArray();
  }

  private static void write(Object o, OutputStream bytes) throws IOException {
    try (ObjectOutputStream out = new LambdaObjectOutputStream(bytes, receiverLoader(o))) {
      out.writeObject(o);
    }
  }

  /** The loader the receiver resolves {@code o}'s classes against, as far as it is known here. */
  private static ClassLoader receiverLoader(Object o) {
    ClassLoader loader = o == null ? null : o.getClass().getClassLoader();
    return loader != null ? loader : Thread.currentThread().getContextClassLoader();
  }

  /**
   * Writes lambdas of AntPool's functional interfaces in their {@link PortableLambda} form, which the receiver
   * rebuilds without spinning a class per class loader; every other object as standard serialization does.
   */
  private static final class LambdaObjectOutputStream extends ObjectOutputStream {
    private final ClassLoader loader;

    /** @param loader the loader the receiver resolves this stream's classes against, as far as it is known */
    LambdaObjectOutputStream(OutputStream out, ClassLoader loader) throws IOException {
      super(out);
      this.loader = loader;
      enableReplaceObject(true);
    }

    @Override
    protected Object replaceObject(Object obj) {
      return obj instanceof SerializedLambda lambda ? PortableLambda.replacing(lambda, loader) : obj;
    }
  }

  /**
   * Deserializes an object, resolving its classes through {@code loader}.
   *
   * @throws IOException when the bytes are not a serialized object
   * @throws ClassNotFoundException when a class could not be found or fetched (the message says which)
   */
  public static Object decode(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
    if (bytes.length > 0 && CompactForm.isCompact(bytes[0])) {
      return CompactForm.decode(bytes, loader);
    }
    return decode(new ByteArrayInputStream(bytes), loader);
  }

  /**
   * As {@link #decode(byte[], ClassLoader)}, reading the buffer in place (a received payload: a large result is
   * not copied into an array first).
   */
  public static Object decode(Buffer bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
    if (bytes.length() > 0 && CompactForm.isCompact(bytes.getByte(0))) {
      return CompactForm.decode(bytes.getBytes(), loader); // a few bytes, read once
    }
    return decode(new ByteBufInputStream(((BufferInternal) bytes).getByteBuf()), loader);
  }

  private static Object decode(InputStream bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new LoaderObjectInputStream(bytes, loader)) {
      return in.readObject();
    } catch (InvalidClassException e) {
      throw new InvalidClassException(e.classname, e.getMessage()
          + " (the class differs between client and worker: submit from a client whose class path matches)");
    }
  }

  /** Resolves classes in a chosen loader instead of the caller's, including dynamic proxies. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
        "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
        "int", int.class, "long", long.class, "float", float.class, "double", double.class, "void", void.class);
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      Class<?> primitive = PRIMITIVES.get(desc.getName());
      return primitive != null ? primitive : Class.forName(desc.getName(), false, loader);
    }

    @Override
    @SuppressWarnings("deprecation") // Proxy.getProxyClass is the one call that takes an explicit loader
    protected Class<?> resolveProxyClass(String[] interfaces) throws ClassNotFoundException {
      Class<?>[] types = new Class<?>[interfaces.length];
      for (int i = 0; i < interfaces.length; i++) {
        types[i] = Class.forName(interfaces[i], false, loader);
      }
      return Proxy.getProxyClass(loader, types);
    }
  }
}
