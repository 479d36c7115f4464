package io.jkevy.engine.pubsub;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One session's pub/sub and client-side-caching state. The subscription sets are changed by
 * the session's own commands and by whoever closes it (CLIENT KILL runs on another thread), so
 * they are guarded by this object's monitor; the counts are volatile for CLIENT LIST.
 */
public final class ClientState {
    final Set<Bytes> channels = new LinkedHashSet<>();
    final Set<Bytes> patterns = new LinkedHashSet<>();
    final Set<Bytes> shardChannels = new LinkedHashSet<>();
    private volatile int channelCount, patternCount, shardCount;
    /** Any subscription: read on every command of a RESP2 client, so one field. */
    private volatile boolean subscribed;

    // ---- client tracking (CLIENT TRACKING) ----
    volatile boolean tracking;
    volatile boolean bcast, optin, optout, noloop;
    /** CLIENT CACHING YES/NO given for the next command. */
    boolean caching;
    /** Set by CLIENT CACHING, cleared once the following command ran. */
    boolean cachingArmed;
    volatile long redirect;            // 0 = none
    volatile boolean redirectBroken;
    final List<byte[]> prefixes = new ArrayList<>();
    /** Invalidations of keys this session wrote itself, sent after its reply (as Redis). */
    List<byte[]> selfInvalidations;
    boolean selfFlush;
    /** The argv whose list-move notifications were already sent (LMOVE touches two keys). */
    byte[][] moveNotified;

    void counts() {
        channelCount = channels.size();
        patternCount = patterns.size();
        shardCount = shardChannels.size();
        subscribed = channelCount + patternCount + shardCount > 0;
    }

    /** SUBSCRIBE channels. */
    public int channelCount() { return channelCount; }

    /** PSUBSCRIBE patterns. */
    public int patternCount() { return patternCount; }

    /** SSUBSCRIBE shard channels. */
    public int shardChannelCount() { return shardCount; }

    /** True while the client has any subscription (Redis's CLIENT_PUBSUB flag). */
    public boolean subscribed() { return subscribed; }

    public boolean tracking() { return tracking; }

    public boolean bcast() { return bcast; }

    public boolean redirectBroken() { return redirectBroken; }

    /** The redirect client id as CLIENT LIST's redir= shows it: -1 off, 0 none. */
    public long redirectField() { return tracking ? redirect : -1; }
}
