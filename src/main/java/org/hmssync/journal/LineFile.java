package org.hmssync.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading a file of lines: every whole line with its {@link LineSpan} at start-up, one line by its
 * span at any time from any thread, and the torn last line a crash may leave.
 */
final class LineFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LineFile.class);

    private final Path file;
    /** Positional reads from any thread; reopened if an interrupt closed it. */
    private volatile FileChannel reader;
    private volatile boolean closed;

    LineFile(Path file) throws IOException {
        this.file = file;
        this.reader = FileChannel.open(file, StandardOpenOption.READ);
    }

    /** The line at {@code span}, as written. */
    String read(long span) {
        // An interrupted thread would close the channel for everyone (FileChannel is interruptible):
        // the flag is set aside for the read and put back after it.
        boolean interrupted = Thread.interrupted();
        try {
            return readOnce(span);
        } catch (ClosedChannelException closedUnderUs) {
            reopen();
            try {
                return readOnce(span);
            } catch (IOException e) {
                throw new GroupCommitJournal.JournalException("could not read " + file.getFileName() + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new GroupCommitJournal.JournalException("could not read " + file.getFileName() + ": " + e.getMessage(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String readOnce(long span) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(LineSpan.length(span));
        while (bytes.hasRemaining()) {
            if (reader.read(bytes, LineSpan.offset(span) + bytes.position()) < 0) {
                throw new IOException("ends before the line at byte " + LineSpan.offset(span));
            }
        }
        return new String(bytes.array(), StandardCharsets.UTF_8);
    }

    private synchronized void reopen() {
        if (!reader.isOpen() && !closed) {
            try {
                reader = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new GroupCommitJournal.JournalException("could not reopen " + file.getFileName() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        reader.close();
    }

    /**
     * Walks the whole lines of {@code file} (a missing file has none), each with its span; a torn
     * last line without its newline is not whole and is not visited.
     */
    static void forEachLine(Path file, GroupCommitJournal.LineVisitor visitor) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            byte[] chunk = new byte[1 << 16];
            long offset = 0;
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') {
                        continue;
                    }
                    line.write(chunk, from, i - from);
                    visitor.line(line.toString(StandardCharsets.UTF_8), LineSpan.of(offset, line.size()));
                    offset += line.size() + 1;
                    line.reset();
                    from = i + 1;
                }
                line.write(chunk, from, n - from);
            }
        }
    }

    /**
     * A process killed mid-write can leave a last line without its newline. Ending it keeps the
     * torn fragment on a line of its own (readers skip it) instead of gluing it to the next.
     */
    static void sealTornTail(Path file, FileChannel appender) throws IOException {
        long size = appender.size();
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            reader.read(last, size - 1);
        }
        if (last.get(0) != '\n') {
            LOG.warn("{} ends with a torn line; it is kept and skipped", file);
            appender.write(ByteBuffer.wrap(new byte[] {'\n'}));
            appender.force(false);
        }
    }
}
