package org.hmssync.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.hmssync.journal.DurableFiles;
import org.hmssync.journal.GroupCommitJournal;

/**
 * Chains a ledger written before tamper evidence, once and on request: a new file beside the old
 * one, each line's text kept exactly with {@code seq} and {@code hash} added, the old file untouched.
 * The chain then vouches for the file as it was when migrated, not for its history before.
 */
public final class LedgerMigration {

    /** What was written: how many lines, the head, and the torn lines left out. */
    public record Result(long lines, LedgerHead head, List<Long> tornLeftOut) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerMigration() {
    }

    /** Writes {@code to} (through a temporary name, forced) from {@code from}; refuses a file that already has a chain. */
    public static Result migrate(Path from, Path to) throws IOException {
        Path temp = to.resolveSibling("." + to.getFileName() + ".tmp");
        LedgerChain chain = new LedgerChain(LedgerHead.GENESIS);
        List<Long> torn = new ArrayList<>();
        long[] read = {0};
        String[] lastTime = {null};
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
            GroupCommitJournal.forEachLine(from, (text, span) -> {
                read[0]++;
                if (LedgerChain.Link.of(text) != null) {
                    throw new IOException(from + " line " + read[0] + " already has seq and hash: it needs no migration "
                            + "(java -jar hms-sync.jar verify-ledger checks it)");
                }
                JsonNode line = jsonObject(text);
                if (line == null) {
                    torn.add(read[0]);   // a write a crash cut short: nothing to vouch for
                    return;
                }
                out.write(chain.link(text.getBytes(StandardCharsets.UTF_8)));
                out.write('\n');
                lastTime[0] = line.path("time").asText(null);
            });
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (endsTorn(from)) {
            torn.add(read[0] + 1);
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(false);
        }
        Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncFolder(to.toAbsolutePath().getParent());
        return new Result(chain.seq(), new LedgerHead(chain.seq(), chain.hash(), lastTime[0]), List.copyOf(torn));
    }

    /** The line as a JSON object ending with its brace, or null. */
    private static JsonNode jsonObject(String text) {
        try {
            JsonNode node = text.endsWith("}") ? JSON.readTree(text) : null;
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static boolean endsTorn(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }
}
