package io.antpool.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.task.TaskCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PackedList} comes back equal to what was sent, whatever its elements, and numbers of one type travel
 * as bare values: far fewer bytes than the same list as an {@code ArrayList}.
 */
class PackedListTest {

  private static List<?> roundTrip(List<?> list) throws Exception {
    Object back = TaskCodec.decode(TaskCodec.encodeValue(new PackedList<>(new ArrayList<>(list))),
        PackedListTest.class.getClassLoader());
    return (List<?>) back;
  }

  @Test
  void everyKindOfListComesBackEqual() throws Exception {
    List<List<?>> lists = List.of(
        List.of(),
        List.of(1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE),
        List.of(1L, Long.MIN_VALUE, 3L),
        List.of(0.5, Double.NaN, Double.NEGATIVE_INFINITY, -0.0),
        List.of("a", "b"),
        Arrays.asList(1, null, 3), // a null: written as objects
        List.of(1, 2L, 3.0), // mixed types: written as objects, each keeps its type
        List.of(List.of(1, 2), new StringBuilder("x").toString()));
    for (List<?> list : lists) {
      assertEquals(list, roundTrip(list), "round trip of " + list);
    }
    assertEquals(List.of(Long.class, Double.class), roundTrip(List.of(2L, 3.0)).stream()
        .map(Object::getClass).toList(), "each element keeps its own type");
  }

  @Test
  void aListOfNumbersTravelsAsBareValues() {
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      numbers.add(i * 7_919);
    }
    int packed = TaskCodec.encodeValue(new PackedList<>(numbers)).length;
    int plain = TaskCodec.encodeValue(numbers).length;
    assertTrue(packed < 4_200, "about 4 bytes per int: " + packed);
    assertTrue(plain > 2 * packed, "an ArrayList of Integers takes " + plain + " bytes, the packed list " + packed);
  }
}
