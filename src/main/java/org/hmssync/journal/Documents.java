package org.hmssync.journal;

import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * Small JSON documents by id, each replaced whole and durable when a call returns: the DLQ's entries
 * and the batch undo requests. A folder of {@code <id>.json} files on one hub ({@link FolderDocuments}),
 * a table in cluster mode ({@link TableDocuments}).
 */
public interface Documents {

    /** For messages. */
    String name();

    /** Every document now, with its id. */
    void forEach(BiConsumer<String, byte[]> visitor) throws IOException;

    void put(String id, byte[] body) throws IOException;

    void remove(String id) throws IOException;

    /**
     * The documents changed since the last look, by any hub, in the order they changed: a removed one
     * with a null body. Nothing for a folder, which only this hub writes.
     */
    default void changes(BiConsumer<String, byte[]> visitor) {
    }
}
