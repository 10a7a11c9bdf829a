package org.hmssync.ledger;

import org.hmssync.journal.DurableFiles;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which batches an operator asked to undo, and when: one file each in {@code batches/}, on disk
 * (forced with its folder) before any of the batch's events is undone, so a restart finishes the
 * undo and keeps refusing the batch's new events.
 */
public final class BatchUndoRequests {

    /** {@code batches/<batch_id>.json}. */
    public record Request(@JsonProperty("batch_id") String batchId, @JsonProperty("requested_at") String requestedAt) { }

    private final Path folder;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Request> requests = new ConcurrentHashMap<>();

    public BatchUndoRequests(Path folder, ObjectMapper json, Clock clock) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.json = json;
        this.clock = clock;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                Request request = json.readValue(file.toFile(), Request.class);
                requests.put(request.batchId(), request);
            }
        }
    }

    public Optional<Request> find(String batchId) {
        return batchId == null ? Optional.empty() : Optional.ofNullable(requests.get(batchId));
    }

    public java.util.Collection<Request> all() {
        return requests.values();
    }

    /** The batch's request: the one already made, else a new one, on disk when this returns. */
    public synchronized Request request(String batchId) {
        Request existing = requests.get(batchId);
        if (existing != null) {
            return existing;
        }
        Request request = new Request(batchId, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString());
        try {
            DurableFiles.write(folder, batchId + ".json", json.writeValueAsBytes(request));
        } catch (IOException e) {
            throw new UncheckedIOException("could not record the undo of batch " + batchId, e);
        }
        requests.put(batchId, request);
        return request;
    }
}
