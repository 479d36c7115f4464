package io.jkevy.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded reply, as a client sees it. Records holding {@code byte[]} compare by content so
 * values can be compared in tests. Lists are whatever the producer passed; the parser passes
 * unmodifiable lists.
 */
public sealed interface RespValue {

    /** {@code +text}. */
    record SimpleString(String value) implements RespValue {
    }

    /** {@code -text} or RESP3 blob error {@code !len}; {@code message} has no leading '-'. */
    record Error(String message) implements RespValue {
    }

    /** {@code :n}. */
    record Integer(long value) implements RespValue {
    }

    /** {@code $len}; {@code value} is null for the RESP2 null bulk {@code $-1}. */
    record Bulk(byte[] value) implements RespValue {
        public static Bulk of(String s) {
            return new Bulk(s.getBytes(StandardCharsets.UTF_8));
        }

        /** The content decoded as UTF-8, or null for the null bulk. */
        public String asString() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return value == null ? "Bulk[null]" : "Bulk[" + asString() + "]";
        }
    }

    /** {@code *n}; {@code elements} is null for the RESP2 null array {@code *-1}. */
    record Array(List<RespValue> elements) implements RespValue {
    }

    /** RESP3 {@code _}. */
    record Null() implements RespValue {
    }

    /** RESP3 {@code ,}. */
    record Double(double value) implements RespValue {
    }

    /** RESP3 {@code #t} / {@code #f}. */
    record Bool(boolean value) implements RespValue {
    }

    /** RESP3 {@code %n}: keys and values alternate, so the list has 2n entries. */
    record Map(List<RespValue> flattenedPairs) implements RespValue {
    }

    /** RESP3 {@code ~n}. */
    record Set(List<RespValue> elements) implements RespValue {
    }

    /** RESP3 {@code >n}. */
    record Push(List<RespValue> elements) implements RespValue {
    }

    /** RESP3 {@code =len\r\nfmt:text}; {@code format} is the three-character type, e.g. "txt". */
    record Verbatim(String format, byte[] text) implements RespValue {
        @Override
        public boolean equals(Object o) {
            return o instanceof Verbatim v && format.equals(v.format) && Arrays.equals(text, v.text);
        }

        @Override
        public int hashCode() {
            return format.hashCode() * 31 + Arrays.hashCode(text);
        }

        @Override
        public String toString() {
            return "Verbatim[" + format + ":" + new String(text, StandardCharsets.UTF_8) + "]";
        }
    }

    /** RESP3 {@code (digits}. */
    record BigNumber(String value) implements RespValue {
    }
}
