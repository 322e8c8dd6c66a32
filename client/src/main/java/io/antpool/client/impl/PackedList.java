package io.antpool.client.impl;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The items and the results of a {@code map} chunk as they travel: a read-only list that serializes compactly
 * when every element is an {@link Integer}, a {@link Long} or a {@link Double} (a tag, the count, then the bare
 * values: 4 or 8 bytes each, where Java serialization spends about 10 bytes and an object per boxed number and
 * most of a chunk's encoding time); any other list (one with a null, a string, a user's object, or mixed types)
 * is written element by element as Java serialization would, with the same semantics.
 */
final class PackedList<E> extends AbstractList<E> implements RandomAccess, Serializable {
  private static final long serialVersionUID = 1L;
  private static final byte OBJECTS = 0;
  private static final byte INTS = 1;
  private static final byte LONGS = 2;
  private static final byte DOUBLES = 3;

  private transient List<E> elements;

  PackedList(List<E> elements) {
    this.elements = elements;
  }

  @Override
  public E get(int index) {
    return elements.get(index);
  }

  @Override
  public int size() {
    return elements.size();
  }

  /** The one type every element has, if it is a packable number; else {@link #OBJECTS}. */
  private byte kind() {
    if (elements.isEmpty()) {
      return OBJECTS;
    }
    Object first = elements.get(0);
    Class<?> type = first == null ? null : first.getClass();
    byte kind = type == Integer.class ? INTS : type == Long.class ? LONGS : type == Double.class ? DOUBLES : OBJECTS;
    if (kind != OBJECTS) {
      for (E e : elements) {
        if (e == null || e.getClass() != type) {
          return OBJECTS;
        }
      }
    }
    return kind;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    byte kind = kind();
    out.writeByte(kind);
    out.writeInt(elements.size());
    for (E e : elements) {
      switch (kind) {
        case INTS -> out.writeInt((Integer) e);
        case LONGS -> out.writeLong((Long) e);
        case DOUBLES -> out.writeDouble((Double) e);
        default -> out.writeObject(e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    byte kind = in.readByte();
    int size = in.readInt();
    if (size < 0 || kind < OBJECTS || kind > DOUBLES) {
      throw new java.io.InvalidObjectException("a map chunk's list of " + size + " elements of kind " + kind
          + " cannot be read: client and worker run different AntPool versions?");
    }
    List<Object> read = new ArrayList<>(Math.min(size, 1 << 16));
    for (int i = 0; i < size; i++) {
      read.add(switch (kind) {
        case INTS -> in.readInt();
        case LONGS -> in.readLong();
        case DOUBLES -> in.readDouble();
        default -> in.readObject();
      });
    }
    elements = (List<E>) read;
  }
}
