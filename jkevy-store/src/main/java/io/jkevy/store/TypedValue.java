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
}
