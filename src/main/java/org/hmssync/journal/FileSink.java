package org.hmssync.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lines appended to one file and forced to disk batch by batch; a line's span is where it lies ({@link LineSpan}). */
public final class FileSink<T> implements LineSink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(FileSink.class);

    private final Path file;
    /** Only the writer uses it (reopened if an interrupt closed it). */
    private FileChannel channel;
    private final LineFile reader;
    /** Where the next line starts; only the writer moves it. */
    private long end;
    private volatile boolean closed;

    private FileSink(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        LineFile.sealTornTail(file, channel);
        this.end = channel.size();
        this.reader = new LineFile(file);
    }

    public static <T> FileSink<T> open(Path file) throws IOException {
        return new FileSink<>(file);
    }

    @Override
    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public void forEachLine(GroupCommitJournal.LineVisitor visitor) throws IOException {
        LineFile.forEachLine(file, visitor);
    }

    @Override
    public void write(List<byte[]> raw, List<T> items, GroupCommitJournal.LineSeal<T> seal, GroupCommitJournal.AfterDurable<T> afterDurable)
            throws IOException {
        long[] spans = new long[raw.size()];
        try {
            byte[][] lines = new byte[raw.size()][];
            int total = 0;
            for (int i = 0; i < lines.length; i++) {
                lines[i] = seal.seal(raw.get(i), items.get(i));
                total += lines[i].length + 1;
            }
            ByteBuffer bytes = ByteBuffer.allocate(total);
            for (int i = 0; i < lines.length; i++) {
                spans[i] = LineSpan.of(end + bytes.position(), lines[i].length);
                bytes.put(lines[i]).put((byte) '\n');
            }
            bytes.flip();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
            end += total;
            seal.kept();
        } catch (IOException | RuntimeException | Error e) {
            seal.dropped();
            cutBackTo(end);
            throw e;
        }
        for (int i = 0; i < spans.length; i++) {
            afterDurable.written(items.get(i), spans[i]);
        }
    }

    /**
     * After a failed write part of the batch may be in the file: it is cut off, so the next line
     * does not glue onto a fragment (which a restart would then skip with it). A channel closed
     * by an interrupt is opened again.
     */
    private void cutBackTo(long size) {
        try {
            if (!channel.isOpen() && !closed) {
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            if (channel.size() > size) {
                channel.truncate(size);
            }
        } catch (IOException e) {
            LOG.error("could not cut {} back to {} bytes: {}", file, size, e.getMessage());
        }
    }

    @Override
    public String read(long span) {
        return reader.read(span);
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
