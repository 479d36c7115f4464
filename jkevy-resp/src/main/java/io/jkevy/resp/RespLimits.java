package io.jkevy.resp;

/**
 * Protocol size limits shared by every connection. Fields are volatile so a CONFIG SET on one
 * thread is seen by parsers on other threads without locking; a parser reads each limit at the
 * moment it needs it, so a change applies from the next length check on.
 */
public final class RespLimits {

    /** Redis {@code proto-max-bulk-len} default: 512 MiB. */
    public static final long DEFAULT_MAX_BULK_LEN = 512L * 1024 * 1024;
    /** Upper bound on the element count announced by a {@code *<count>} header. */
    public static final long DEFAULT_MAX_MULTIBULK_LEN = 1024L * 1024 * 1024;
    /** Redis {@code PROTO_INLINE_MAX_SIZE}: 64 KiB. */
    public static final int DEFAULT_MAX_INLINE_LEN = 64 * 1024;

    private volatile long maxBulkLen = DEFAULT_MAX_BULK_LEN;
    private volatile long maxMultibulkLen = DEFAULT_MAX_MULTIBULK_LEN;
    private volatile int maxInlineLen = DEFAULT_MAX_INLINE_LEN;

    public RespLimits() {
    }

    public long maxBulkLen() {
        return maxBulkLen;
    }

    public void maxBulkLen(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("maxBulkLen must be >= 0: " + v);
        }
        maxBulkLen = v;
    }

    public long maxMultibulkLen() {
        return maxMultibulkLen;
    }

    public void maxMultibulkLen(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("maxMultibulkLen must be >= 0: " + v);
        }
        maxMultibulkLen = v;
    }

    public int maxInlineLen() {
        return maxInlineLen;
    }

    public void maxInlineLen(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("maxInlineLen must be >= 0: " + v);
        }
        maxInlineLen = v;
    }

    @Override
    public String toString() {
        return "RespLimits{maxBulkLen=" + maxBulkLen + ", maxMultibulkLen=" + maxMultibulkLen
                + ", maxInlineLen=" + maxInlineLen + '}';
    }
}
