package io.jkevy.journal.disk;

import java.util.Locale;

/** {@code appendfsync}: when the journal's segment file is forced to stable storage. */
public enum FsyncPolicy {
    /** After every write batch, before its writers are acknowledged (group commit). */
    ALWAYS,
    /** Once a second by the writer thread; a crash loses at most about a second. */
    EVERYSEC,
    /** Never explicitly: the operating system decides. */
    NO;

    /** Parses Redis's spelling ({@code always}, {@code everysec}, {@code no}). */
    public static FsyncPolicy parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "everysec" -> EVERYSEC;
            case "no" -> NO;
            default -> throw new IllegalArgumentException("appendfsync must be always, everysec or no");
        };
    }

    public String configName() { return name().toLowerCase(Locale.ROOT); }
}
