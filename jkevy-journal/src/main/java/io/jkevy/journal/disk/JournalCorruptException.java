package io.jkevy.journal.disk;

import java.io.IOException;
import java.nio.file.Path;

/** A journal segment failed validation somewhere other than a torn tail. */
public final class JournalCorruptException extends IOException {
    private final Path file;
    private final long position;

    public JournalCorruptException(Path file, long position, String problem) {
        super("journal segment " + file + " is corrupt at byte " + position + ": " + problem);
        this.file = file;
        this.position = position;
    }

    public Path file() { return file; }

    public long position() { return position; }
}
