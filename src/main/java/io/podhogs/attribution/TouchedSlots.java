package io.podhogs.attribution;

import java.util.Arrays;

/**
 * A set of slot numbers, marked one by one and cleared all at once, that lists its members: which
 * flows counted packets (or were made) since the engine's last look. Marking and the test are a
 * byte a slot; the list makes the engine's work a tick that of the slots marked, not of every
 * slot. 5 bytes a slot. Used under the flow table's lock, or by the engine thread alone.
 */
final class TouchedSlots {
    private byte[] marks;
    private int[] slots;
    private int count;

    TouchedSlots(int capacity) {
        marks = new byte[capacity];
        slots = new int[capacity];
    }

    /** Marks slot {@code s} (once: a slot marked already is not listed again). */
    void touch(int s) {
        if (marks[s] == 0) {
            marks[s] = 1;
            slots[count++] = s;
        }
    }

    boolean touched(int s) {
        return marks[s] != 0;
    }

    int count() {
        return count;
    }

    /** The {@code i}th slot marked, in the order marked. */
    int slot(int i) {
        return slots[i];
    }

    /** Unmarks every slot marked: the work of those marked. */
    void clear() {
        for (int i = 0; i < count; i++) {
            marks[slots[i]] = 0;
        }
        count = 0;
    }

    /** Room for slots up to {@code capacity}, the marks kept. */
    void ensureCapacity(int capacity) {
        if (marks.length < capacity) {
            marks = Arrays.copyOf(marks, capacity);
            slots = Arrays.copyOf(slots, capacity);
        }
    }
}
