package io.jkevy.engine.memory;

import java.util.Locale;

/** The maxmemory policies: which keys are candidates and how a victim is chosen. */
public enum Policy {
    VOLATILE_LRU(true, Kind.LRU), VOLATILE_LFU(true, Kind.LFU), VOLATILE_RANDOM(true, Kind.RANDOM),
    VOLATILE_TTL(true, Kind.TTL), ALLKEYS_LRU(false, Kind.LRU), ALLKEYS_LFU(false, Kind.LFU),
    ALLKEYS_RANDOM(false, Kind.RANDOM), NOEVICTION(false, Kind.NONE);

    /** How victims are ranked. */
    public enum Kind { LRU, LFU, RANDOM, TTL, NONE }

    /** Only keys with a TTL are candidates. */
    public final boolean volatileOnly;
    public final Kind kind;

    Policy(boolean volatileOnly, Kind kind) {
        this.volatileOnly = volatileOnly;
        this.kind = kind;
    }

    /** The configuration name (allkeys-lru, ...). */
    public String configName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public static Policy of(String configName) {
        return valueOf(configName.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
