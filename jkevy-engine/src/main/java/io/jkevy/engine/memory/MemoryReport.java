package io.jkevy.engine.memory;

import io.jkevy.engine.Engine;
import io.jkevy.store.Db;
import io.jkevy.store.Keyspace;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The memory figures of INFO memory, MEMORY STATS, MEMORY DOCTOR and MEMORY MALLOC-STATS,
 * gathered once per call into a {@link Snapshot}. Where Redis reports its allocator
 * (jemalloc), jkevy reports the JVM heap: allocated = heap in use, active = heap committed,
 * resident = the process RSS.
 */
public final class MemoryReport {
    private MemoryReport() { }

    /** One consistent-enough reading of every figure (racy by design, as INFO is). */
    public record Snapshot(long used, long peak, long startup, long overhead, long dataset, long backlog,
                           long heapUsed, long heapCommitted, long heapMax, long rss, long totalSystem,
                           long maxmemory, String policy, long keys) {
        double peakPerc() { return peak == 0 ? 0 : used * 100.0 / peak; }

        double datasetPerc() {
            long net = used - startup;
            return net <= 0 ? 0 : dataset * 100.0 / net;
        }

        long rssOrUsed() { return rss > 0 ? rss : used; }
    }

    public static Snapshot snapshot(Engine engine) {
        MemoryManager m = engine.memory();
        m.refreshBacklog();
        long used = m.usedMemory();
        Runtime rt = Runtime.getRuntime();
        Keyspace ks = engine.keyspace();
        long keys = 0;
        for (int i = 0; i < ks.databases(); i++) keys += ks.db(i).size();
        return new Snapshot(used, m.peak(), m.startup(), m.overhead(), m.datasetBytes(),
                engine.journal().backlogBytes(), rt.totalMemory() - rt.freeMemory(), rt.totalMemory(),
                rt.maxMemory(), rss(), totalSystemMemory(), m.maxmemory(), m.policy().configName(), keys);
    }

    /** The "# Memory" section of INFO, with Redis 7.0's field names. */
    public static void info(Engine engine, StringBuilder sb) {
        Snapshot s = snapshot(engine);
        sb.append("# Memory\r\n");
        field(sb, "used_memory", s.used);
        field(sb, "used_memory_human", human(s.used));
        field(sb, "used_memory_rss", s.rss);
        field(sb, "used_memory_rss_human", human(s.rss));
        field(sb, "used_memory_peak", s.peak);
        field(sb, "used_memory_peak_human", human(s.peak));
        field(sb, "used_memory_peak_perc", pct(s.peakPerc()));
        field(sb, "used_memory_overhead", s.overhead);
        field(sb, "used_memory_startup", s.startup);
        field(sb, "used_memory_dataset", s.dataset);
        field(sb, "used_memory_dataset_perc", pct(s.datasetPerc()));
        field(sb, "allocator_allocated", s.heapUsed);
        field(sb, "allocator_active", s.heapCommitted);
        field(sb, "allocator_resident", s.rssOrUsed());
        field(sb, "total_system_memory", s.totalSystem);
        field(sb, "total_system_memory_human", human(s.totalSystem));
        field(sb, "maxmemory", s.maxmemory);
        field(sb, "maxmemory_human", human(s.maxmemory));
        field(sb, "maxmemory_policy", s.policy);
        field(sb, "allocator_frag_ratio", ratio(s.heapCommitted, s.heapUsed));
        field(sb, "allocator_frag_bytes", s.heapCommitted - s.heapUsed);
        field(sb, "allocator_rss_ratio", ratio(s.rssOrUsed(), s.heapCommitted));
        field(sb, "allocator_rss_bytes", s.rssOrUsed() - s.heapCommitted);
        field(sb, "rss_overhead_ratio", "1.00");
        field(sb, "rss_overhead_bytes", 0);
        field(sb, "mem_fragmentation_ratio", ratio(s.rssOrUsed(), s.used));
        field(sb, "mem_fragmentation_bytes", s.rssOrUsed() - s.used);
        field(sb, "mem_not_counted_for_evict", s.backlog);
        field(sb, "mem_replication_backlog", s.backlog);
        field(sb, "mem_total_replication_buffers", s.backlog);
        field(sb, "mem_clients_slaves", 0);
        field(sb, "mem_clients_normal", 0);
        field(sb, "mem_cluster_links", 0);
        field(sb, "mem_aof_buffer", 0);
        field(sb, "mem_allocator", "jvm");
        field(sb, "active_defrag_running", 0);
        field(sb, "lazyfree_pending_objects", 0);
        field(sb, "lazyfreed_objects", 0);
        field(sb, "jvm_heap_used", s.heapUsed);
        field(sb, "jvm_heap_committed", s.heapCommitted);
        field(sb, "jvm_heap_max", s.heapMax);
    }

    /**
     * MEMORY STATS as ordered (name, value) pairs; a value is a Long, a Double or (for the
     * per-database entries) a nested map.
     */
    public static Map<String, Object> stats(Engine engine) {
        Snapshot s = snapshot(engine);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peak.allocated", s.peak);
        m.put("total.allocated", s.used);
        m.put("startup.allocated", s.startup);
        m.put("replication.backlog", s.backlog);
        m.put("clients.slaves", 0L);
        m.put("clients.normal", 0L);
        m.put("cluster.links", 0L);
        m.put("aof.buffer", 0L);
        Keyspace ks = engine.keyspace();
        for (int i = 0; i < ks.databases(); i++) {
            Db db = ks.db(i);
            if (db.size() == 0) continue;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("overhead.hashtable.main", db.tableBytes());
            d.put("overhead.hashtable.expires", 0L);     // TTLs live in the main table's arrays
            m.put("db." + i, d);
        }
        m.put("overhead.total", s.overhead);
        m.put("keys.count", s.keys);
        m.put("keys.bytes-per-key", s.keys == 0 ? 0L : (s.used - s.startup) / s.keys);
        m.put("dataset.bytes", s.dataset);
        m.put("dataset.percentage", s.datasetPerc());
        m.put("peak.percentage", s.peakPerc());
        m.put("allocator.allocated", s.heapUsed);
        m.put("allocator.active", s.heapCommitted);
        m.put("allocator.resident", s.rssOrUsed());
        m.put("allocator-fragmentation.ratio", div(s.heapCommitted, s.heapUsed));
        m.put("allocator-fragmentation.bytes", s.heapCommitted - s.heapUsed);
        m.put("allocator.rss-ratio", div(s.rssOrUsed(), s.heapCommitted));
        m.put("allocator.rss-bytes", s.rssOrUsed() - s.heapCommitted);
        m.put("rss-overhead.ratio", 1.0);
        m.put("rss-overhead.bytes", 0L);
        m.put("fragmentation", div(s.rssOrUsed(), s.used));
        m.put("fragmentation.bytes", s.rssOrUsed() - s.used);
        return m;
    }

    /** Below this much data the doctor declines to diagnose (as Redis does). */
    static final long DOCTOR_MIN_BYTES = 5L * 1024 * 1024;

    /** MEMORY DOCTOR: a short report of the problems found in the figures, if any. */
    public static String doctor(Engine engine) {
        Snapshot s = snapshot(engine);
        if (s.used < DOCTOR_MIN_BYTES) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in "
                    + "these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam "
                    + "and I will be back to our programming as soon as I finished rebooting.";
        }
        StringBuilder sb = new StringBuilder();
        if (s.peak > s.used * 3 / 2) {
            sb.append(" * Peak memory: the estimated data peaked at ").append(human(s.peak)).append(", over 150% of the ")
                    .append(human(s.used)).append(" used now. The JVM keeps the heap it grew to; a smaller -Xmx or a ")
                    .append("GC that uncommits memory (G1 with periodic collections, ZGC) returns it to the system.\n\n");
        }
        if (s.rss > 0 && s.rss > s.used * 3 && s.rss - s.used > 100L * 1024 * 1024) {
            sb.append(" * High RSS ratio: the process RSS (").append(human(s.rss)).append(") is ")
                    .append(ratio(s.rss, s.used)).append(" times the estimated data. On the JVM this is mostly heap ")
                    .append("committed ahead of need and garbage not yet collected; MEMORY PURGE asks for a full ")
                    .append("collection, and -Xmx bounds the heap.\n\n");
        }
        if (s.heapMax > 0 && s.heapMax != Long.MAX_VALUE && s.heapUsed > s.heapMax * 9 / 10) {
            sb.append(" * Heap nearly full: ").append(human(s.heapUsed)).append(" of the JVM's ").append(human(s.heapMax))
                    .append(" maximum heap is in use. Raise -Xmx or set maxmemory with an eviction policy well below it.\n\n");
        }
        if (s.maxmemory > 0 && s.heapMax > 0 && s.heapMax != Long.MAX_VALUE && s.maxmemory > s.heapMax * 3 / 4) {
            sb.append(" * maxmemory above the heap: maxmemory is ").append(human(s.maxmemory)).append(" but the JVM heap ")
                    .append("may grow to only ").append(human(s.heapMax)).append("; the heap fills before eviction ")
                    .append("starts. Keep maxmemory under about half of -Xmx (data estimates exclude GC headroom).\n\n");
        }
        if (s.maxmemory > 0 && s.used > s.maxmemory && "noeviction".equals(s.policy)) {
            sb.append(" * Out of memory: used memory is over maxmemory with the noeviction policy, so every write that ")
                    .append("adds data is refused with -OOM. Raise maxmemory or choose an eviction policy.\n\n");
        }
        if (sb.isEmpty()) {
            return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.";
        }
        return "Sam, I detected a few issues in this jkevy instance memory implants:\n\n" + sb
                + "I'm here to keep you safe, Sam. I want to help you.";
    }

    /** MEMORY MALLOC-STATS: the JVM's memory pools and collectors. */
    public static String mallocStats() {
        StringBuilder sb = new StringBuilder("___ Begin JVM memory statistics ___\n");
        sb.append("JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version")).append('\n');
        Runtime rt = Runtime.getRuntime();
        sb.append("heap: used=").append(rt.totalMemory() - rt.freeMemory()).append(" committed=").append(rt.totalMemory())
                .append(" max=").append(rt.maxMemory()).append('\n');
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = p.getUsage();
            sb.append("pool \"").append(p.getName()).append("\" (").append(p.getType().name().toLowerCase(Locale.ROOT))
                    .append("): used=").append(u.getUsed()).append(" committed=").append(u.getCommitted())
                    .append(" max=").append(u.getMax()).append('\n');
        }
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            sb.append("gc \"").append(g.getName()).append("\": collections=").append(g.getCollectionCount())
                    .append(" time_ms=").append(g.getCollectionTime()).append('\n');
        }
        sb.append("rss: ").append(rss()).append('\n');
        return sb.append("--- End JVM memory statistics ---\n").toString();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private static String pct(double p) { return String.format(Locale.ROOT, "%.2f%%", p); }

    private static String ratio(long a, long b) { return String.format(Locale.ROOT, "%.2f", div(a, b)); }

    private static double div(long a, long b) { return b <= 0 ? 0 : (double) a / b; }

    /** Redis's bytesToHuman: B, then K/M/G/T/P with two decimals (1024-based). */
    public static String human(long n) {
        if (n < 1024) return n + "B";
        String[] units = {"K", "M", "G", "T", "P"};
        double d = n;
        int u = -1;
        while (d >= 1024 && u < units.length - 1) {
            d /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", d, units[u]);
    }

    /** Resident set size in bytes from /proc/self/statm (pages), 0 where unavailable. */
    public static long rss() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096L;
        } catch (Exception e) {
            return 0;
        }
    }

    private static long totalSystemMemory() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (Throwable ignored) {
            // not a HotSpot-style JVM: 0, as Redis reports when it cannot tell
        }
        return 0;
    }
}
