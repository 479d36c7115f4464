package io.jkevy.store;

/** The Redis type of a value, as TYPE names it. */
public enum ValueType {
    STRING("string"), LIST("list"), SET("set"), ZSET("zset"), HASH("hash"), STREAM("stream");

    private final String typeName;

    ValueType(String typeName) { this.typeName = typeName; }

    public String typeName() { return typeName; }

    /** The type of a stored value: a {@code byte[]} is a string, anything else says its own. */
    public static ValueType of(Object value) {
        if (value instanceof byte[]) return STRING;
        return ((TypedValue) value).type();
    }
}
