package io.antpool.task.impl;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.util.Set;

/**
 * The serial form of a lambda or method reference whose functional interface is one of AntPool's own
 * ({@code SerializableCallable}, {@code SerializableRunnable}, {@code SerializableFunction}): the facts of a
 * {@link SerializedLambda}, written in its place by AntPool's serialization, and rebuilt on the other side as a
 * {@link LinkedLambda} that calls the implementation method through a method handle.
 *
 * <p>Why: a {@code SerializedLambda} is rebuilt by the capturing class's {@code $deserializeLambda$}, which links
 * an {@code invokedynamic} call site and makes {@code LambdaMetafactory} spin a hidden class, once per class
 * loader. In isolation mode 0 every task runs in a fresh loader, and that spinning was most of what the mode
 * cost a trivial task. The method handle is looked up once per capturing class (see {@link LambdaLinker}) and
 * no class is created.
 *
 * <p>Contract: the method is found with the access of the capturing class, as the JVM links a lambda, so a
 * form can only name methods the capturing class could call. A form that cannot be linked this way (a
 * functional interface that is not AntPool's, an unusual method kind, a shape mismatch) is rebuilt the
 * standard way, through {@code $deserializeLambda$}, so the result is always a working lambda or the JDK's own
 * error for the stream.
 */
public record PortableLambda(Class<?> capturingClass, String functionalInterfaceClass,
    String functionalInterfaceMethodName, String functionalInterfaceMethodSignature, int implMethodKind,
    String implClass, String implMethodName, String implMethodSignature, String instantiatedMethodType,
    Object[] capturedArgs) implements Serializable {

  /** AntPool's functional interfaces, in the internal form a {@link SerializedLambda} names them. */
  static final Set<String> ANTPOOL_INTERFACES = Set.of("io/antpool/SerializableCallable",
      "io/antpool/SerializableRunnable", "io/antpool/SerializableFunction");

  /**
   * The portable form of {@code lambda} when its functional interface is AntPool's and its capturing class is
   * visible from {@code loader}; otherwise {@code lambda} itself, which serializes the standard way.
   *
   * @param loader the loader the receiving side resolves the stream's classes against (on a client, the
   *     task's loader, from which the worker fetches them), so the capturing class found here by name is the
   *     one the receiver will find
   */
  public static Object replacing(SerializedLambda lambda, ClassLoader loader) {
    if (!ANTPOOL_INTERFACES.contains(lambda.getFunctionalInterfaceClass())) {
      return lambda;
    }
    Class<?> capturing;
    try {
      capturing = Class.forName(lambda.getCapturingClass().replace('/', '.'), false, loader);
    } catch (ClassNotFoundException | LinkageError notVisible) {
      return lambda;
    }
    Object[] captured = new Object[lambda.getCapturedArgCount()];
    for (int i = 0; i < captured.length; i++) {
      captured[i] = lambda.getCapturedArg(i);
    }
    return new PortableLambda(capturing, lambda.getFunctionalInterfaceClass(),
        lambda.getFunctionalInterfaceMethodName(), lambda.getFunctionalInterfaceMethodSignature(),
        lambda.getImplMethodKind(), lambda.getImplClass(), lambda.getImplMethodName(),
        lambda.getImplMethodSignature(), lambda.getInstantiatedMethodType(), captured);
  }

  /** The form as the JDK's own, for the standard path. */
  SerializedLambda toSerializedLambda() {
    return new SerializedLambda(capturingClass, functionalInterfaceClass, functionalInterfaceMethodName,
        functionalInterfaceMethodSignature, implMethodKind, implClass, implMethodName, implMethodSignature,
        instantiatedMethodType, capturedArgs);
  }

  /** Called by Java serialization once the form is read: the live lambda. */
  private Object readResolve() throws ObjectStreamException {
    return LambdaLinker.link(this);
  }
}
