package io.jkevy.store;

/**
 * A stored value that is not a plain string. Strings are stored as bare {@code byte[]} (no
 * wrapper object); every other type implements this.
 */
public interface TypedValue {
    ValueType type();

    /** The name OBJECT ENCODING reports (Redis's names where the representation corresponds). */
    String encoding();

    /** A deep copy, for COPY and for snapshot pre-images. */
    TypedValue copy();

    /**
     * Estimated JVM heap footprint of the value in bytes (see {@link Heap}): its objects and
     * arrays with their headers. Packed encodings answer exactly in O(1); large structures
     * add their structural arrays exactly and estimate the element payload from
     * {@code samples} evenly spaced elements ({@code samples <= 0}: every element, O(n)).
     * Must be deterministic for an unchanged value: the accounting subtracts what it added.
     * Every stored type overrides this; the default (one small object) only serves test
     * doubles.
     */
    default long memoryBytes(int samples) { return Heap.object(16); }
}
