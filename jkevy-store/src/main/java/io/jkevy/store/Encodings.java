package io.jkevy.store;

/**
 * Thresholds at which a compact (packed) representation is converted to the general one,
 * with Redis's names and defaults. Set at run time by CONFIG SET; read by the value types
 * when they grow. A value never converts back (as in Redis).
 */
public final class Encodings {
    /** hash-max-listpack-entries / -value */
    public volatile int hashMaxListpackEntries = 128;
    public volatile int hashMaxListpackValue = 64;
    /** set-max-intset-entries, set-max-listpack-entries / -value */
    public volatile int setMaxIntsetEntries = 512;
    public volatile int setMaxListpackEntries = 128;
    public volatile int setMaxListpackValue = 64;
    /** zset-max-listpack-entries / -value */
    public volatile int zsetMaxListpackEntries = 128;
    public volatile int zsetMaxListpackValue = 64;
    /** list-max-listpack-size: positive = entries per node, -1..-5 = 4/8/16/32/64 KB per node */
    public volatile int listMaxListpackSize = -2;
    public volatile int listCompressDepth = 0;
    /** stream-node-max-bytes / -entries */
    public volatile int streamNodeMaxBytes = 4096;
    public volatile int streamNodeMaxEntries = 100;
    /** hll-sparse-max-bytes */
    public volatile int hllSparseMaxBytes = 3000;
}
