package io.antpool.task.impl;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.invoke.WrongMethodTypeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a {@link PortableLambda} into a live lambda: a {@link LinkedLambda} calling the implementation method
 * through a method handle, or, for a form it cannot link that way, the lambda the capturing class's own
 * {@code $deserializeLambda$} builds (the JDK's standard path).
 *
 * <p>Handles are cached per capturing class in a {@link ClassValue}, which lives as long as the class and no
 * longer: a class loader that is dropped takes its entries with it.
 */
public final class LambdaLinker {
  /** A form as linked once, without its captured values (which belong to one task), and its handle. */
  private record Linked(PortableLambda form, Optional<MethodHandle> handle) {
  }

  /** What tells two forms of one capturing class apart (a record: no string is built for every task). */
  private record Key(int implMethodKind, String implClass, String implMethodName, String implMethodSignature,
      String functionalInterfaceClass, String instantiatedMethodType, int captured) {

    static Key of(PortableLambda form) {
      return new Key(form.implMethodKind(), form.implClass(), form.implMethodName(), form.implMethodSignature(),
          form.functionalInterfaceClass(), form.instantiatedMethodType(), form.capturedArgs().length);
    }
  }

  private static final ClassValue<ConcurrentHashMap<Key, Linked>> LINKED = new ClassValue<>() {
    @Override
    protected ConcurrentHashMap<Key, Linked> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>(4);
    }
  };

  private LambdaLinker() {
  }

  /**
   * Links in {@code to} the lambdas linked so far in {@code from}, a copy of the same class defined by another
   * loader, so that the first task to rebuild one of them in {@code to} finds its handle ready. Initializes
   * nothing: a method handle to a static method initializes its class when first called, not when looked up.
   */
  public static void prelink(Class<?> from, Class<?> to) {
    ConcurrentHashMap<Key, Linked> target = LINKED.get(to);
    LINKED.get(from).forEach((key, linked) -> {
      if (linked.handle().isPresent()) {
        target.computeIfAbsent(key, k -> linkedIn(to, linked.form()));
      }
    });
  }

  static Object link(PortableLambda form) throws ObjectStreamException {
    if (form.capturingClass() == null || form.capturedArgs() == null) {
      throw new InvalidObjectException("a serialized lambda without its capturing class or captured values");
    }
    Optional<MethodHandle> handle = LINKED.get(form.capturingClass())
        .computeIfAbsent(Key.of(form), k -> linkedIn(form.capturingClass(), form)).handle();
    if (handle.isEmpty()) {
      return standard(form);
    }
    return switch (form.functionalInterfaceClass()) {
      case "io/antpool/SerializableCallable" -> new LinkedLambda.Callable<>(form, handle.get());
      case "io/antpool/SerializableRunnable" -> new LinkedLambda.Runnable(form, handle.get());
      case "io/antpool/SerializableFunction" -> new LinkedLambda.Function<>(form, handle.get());
      default -> standard(form);
    };
  }

  /** {@code form} with {@code capturing} as its capturing class, resolved, kept without captured values. */
  private static Linked linkedIn(Class<?> capturing, PortableLambda form) {
    PortableLambda bare = new PortableLambda(capturing, form.functionalInterfaceClass(),
        form.functionalInterfaceMethodName(), form.functionalInterfaceMethodSignature(), form.implMethodKind(),
        form.implClass(), form.implMethodName(), form.implMethodSignature(), form.instantiatedMethodType(),
        new Object[form.capturedArgs().length]);
    return new Linked(bare, resolve(bare));
  }

  /**
   * The implementation method as a handle of type {@code (Object[] captured, Object... arguments)Object}, or
   * empty when the form is not one this class links (the standard path then takes it).
   */
  private static Optional<MethodHandle> resolve(PortableLambda form) {
    int arity = switch (form.functionalInterfaceClass()) {
      case "io/antpool/SerializableCallable", "io/antpool/SerializableRunnable" -> 0;
      case "io/antpool/SerializableFunction" -> 1;
      default -> -1;
    };
    if (arity < 0) {
      return Optional.empty();
    }
    Class<?> capturing = form.capturingClass();
    ClassLoader loader = capturing.getClassLoader();
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(capturing, MethodHandles.lookup());
      String implName = form.implClass().replace('/', '.');
      Class<?> impl = implName.equals(capturing.getName()) ? capturing : Class.forName(implName, false, loader);
      MethodType implType = MethodType.fromMethodDescriptorString(form.implMethodSignature(), loader);
      String name = form.implMethodName();
      MethodHandle target = switch (form.implMethodKind()) {
        case MethodHandleInfo.REF_invokeStatic -> lookup.findStatic(impl, name, implType);
        case MethodHandleInfo.REF_invokeVirtual, MethodHandleInfo.REF_invokeInterface ->
            lookup.findVirtual(impl, name, implType);
        case MethodHandleInfo.REF_invokeSpecial -> lookup.findSpecial(impl, name, implType, capturing);
        case MethodHandleInfo.REF_newInvokeSpecial -> lookup.findConstructor(impl, implType);
        default -> null;
      };
      MethodType instantiated = MethodType.fromMethodDescriptorString(form.instantiatedMethodType(), loader);
      int captured = form.capturedArgs().length;
      if (target == null || instantiated.parameterCount() != arity
          || target.type().parameterCount() != captured + arity) {
        return Optional.empty();
      }
      // first the conversions the lambda itself would make (unboxing, widening, casts to the instantiated
      // types), then the erased shape every LinkedLambda calls
      List<Class<?>> params = new ArrayList<>(target.type().parameterList().subList(0, captured));
      params.addAll(instantiated.parameterList());
      MethodHandle adapted = target.asType(MethodType.methodType(instantiated.returnType(), params))
          .asType(MethodType.genericMethodType(captured + arity));
      return Optional.of(adapted.asSpreader(0, Object[].class, captured));
    } catch (ReflectiveOperationException | WrongMethodTypeException | IllegalArgumentException
        | TypeNotPresentException | LinkageError e) {
      return Optional.empty();
    }
  }

  /** What {@code SerializedLambda.readResolve} does: asks the capturing class to rebuild its lambda. */
  private static Object standard(PortableLambda form) throws ObjectStreamException {
    Class<?> capturing = form.capturingClass();
    try {
      MethodHandle deserialize = MethodHandles.privateLookupIn(capturing, MethodHandles.lookup())
          .findStatic(capturing, "$deserializeLambda$", MethodType.methodType(Object.class, SerializedLambda.class));
      return deserialize.invoke(form.toSerializedLambda());
    } catch (Error e) {
      throw e; // e.g. a class of the lambda that could not be fetched: its own message says which
    } catch (Throwable e) { // as SerializedLambda.readResolve: an invalid form is an invalid stream
      InvalidObjectException invalid = new InvalidObjectException("the lambda " + form.implMethodName() + " of "
          + capturing.getName() + " could not be rebuilt: " + e);
      invalid.initCause(e);
      throw invalid;
    }
  }
}
