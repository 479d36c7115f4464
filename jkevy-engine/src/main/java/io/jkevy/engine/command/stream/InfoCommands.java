package io.jkevy.engine.command.stream;

import io.jkevy.engine.command.CommandTable;
import io.jkevy.engine.command.server.Digest;
import io.jkevy.store.type.stream.ConsumerGroup;
import io.jkevy.store.type.stream.PendingEntry;
import io.jkevy.store.type.stream.StreamId;
import io.jkevy.store.type.stream.StreamValue;

import java.security.MessageDigest;

/** XINFO and the DEBUG DIGEST digester of streams. */
public final class InfoCommands {
    private InfoCommands() { }

    public static void register(CommandTable t) { }

    /**
     * Digest: entries in id order (id, packed fields), then last id, entries-added,
     * max-deleted id, then groups in name order with last id, entries-read and PEL
     * (id, owner, delivery count; delivery times are left out as they are clock-dependent).
     */
    public static void digest(Object value, MessageDigest md) {
        StreamValue s = (StreamValue) value;
        s.range(StreamId.MIN, StreamId.MAX, false, (id, packed) -> {
            Digest.putLong(md, id.ms);
            Digest.putLong(md, id.seq);
            Digest.putInt(md, packed.length);
            md.update(packed);
            return true;
        });
        Digest.putLong(md, s.lastId().ms);
        Digest.putLong(md, s.lastId().seq);
        Digest.putLong(md, s.entriesAdded());
        Digest.putLong(md, s.maxDeletedId().ms);
        Digest.putLong(md, s.maxDeletedId().seq);
        for (ConsumerGroup g : s.groups()) {
            Digest.putInt(md, g.name.length);
            md.update(g.name);
            Digest.putLong(md, g.lastId.ms);
            Digest.putLong(md, g.lastId.seq);
            Digest.putLong(md, g.entriesRead);
            for (PendingEntry p : g.pel.values()) {
                Digest.putLong(md, p.id.ms);
                Digest.putLong(md, p.id.seq);
                Digest.putInt(md, p.consumer.name.length);
                md.update(p.consumer.name);
                Digest.putLong(md, p.deliveryCount);
            }
        }
    }
}
