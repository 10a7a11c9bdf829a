package org.hmssync.journal;

import java.io.IOException;
import java.util.List;

/**
 * Where a {@link GroupCommitJournal}'s lines are kept: a file on this machine ({@link FileSink}) or a
 * table several hubs append to ({@link TableSink}). Only the journal's one writer calls {@link #write}.
 */
public interface LineSink<T> extends AutoCloseable {

    /** For messages: the file's or the table's name. */
    String name();

    /** For a person who must act on it: the file's path, or the table's name. */
    default String location() {
        return name();
    }

    /** Every line already kept, oldest first, each with its span (where {@link #read} finds it again). */
    void forEachLine(GroupCommitJournal.LineVisitor visitor) throws IOException;

    /**
     * Seals each line ({@code seal}), keeps the batch durably, then tells {@code afterDurable} of each
     * line with its span, in order. A batch that fails is not kept at all: {@code seal} hears
     * {@link GroupCommitJournal.LineSeal#dropped} and the exception is thrown.
     */
    void write(List<byte[]> lines, List<T> items, GroupCommitJournal.LineSeal<T> seal, GroupCommitJournal.AfterDurable<T> afterDurable)
            throws IOException;

    /** The line at {@code span}, as written (safe from any thread). */
    String read(long span);

    @Override
    void close();
}
