package io.jkevy.engine.command;

import io.jkevy.engine.EngineHarness;
import io.jkevy.journal.Frames;
import io.jkevy.journal.Journal;
import io.jkevy.store.TypedValue;
import io.jkevy.store.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers of the string and bit command tests. */
final class StringCommandsTestSupport {
    private StringCommandsTestSupport() { }

    /** A non-string value, to provoke WRONGTYPE. */
    static final class FakeList implements TypedValue {
        @Override public ValueType type() { return ValueType.LIST; }
        @Override public String encoding() { return "listpack"; }
        @Override public TypedValue copy() { return this; }
    }

    static void putNonString(EngineHarness h, String key) {
        h.engine.keyspace().db(0).put(key.getBytes(StandardCharsets.UTF_8), new FakeList());
    }

    static long mark(EngineHarness h) { return h.engine.journal().nextOffset(); }

    /** Effects journaled since {@code from}, each as space-joined argv, SELECTs left out. */
    static List<String> effects(EngineHarness h, long from) {
        Journal.Read r = h.engine.journal().read(from, 10_000);
        List<String> out = new ArrayList<>();
        for (byte[] f : ((Journal.Read.Frames) r).frames()) {
            byte[][] argv = Frames.decodeArgv(f);
            StringBuilder sb = new StringBuilder();
            for (byte[] a : argv) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(new String(a, StandardCharsets.ISO_8859_1));
            }
            String s = sb.toString();
            if (!s.startsWith("SELECT ")) out.add(s);
        }
        return out;
    }

    static byte[] value(EngineHarness h, String key) {
        Object v = h.engine.keyspace().db(0).peek(key.getBytes(StandardCharsets.UTF_8));
        return (byte[]) v;
    }

    static long ttlAt(EngineHarness h, String key) {
        return h.engine.keyspace().db(0).expireAt(key.getBytes(StandardCharsets.UTF_8));
    }
}
