package org.hmssync.ledger;

import org.hmssync.journal.Documents;
import org.hmssync.journal.FolderDocuments;

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

    private final Documents files;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Request> requests = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<String> onNew = batch -> { };

    public BatchUndoRequests(Path folder, ObjectMapper json, Clock clock) throws IOException {
        this(new FolderDocuments(folder), json, clock);
    }

    /** The requests in {@code files}: a folder, or the shared table in cluster mode. */
    public BatchUndoRequests(Documents files, ObjectMapper json, Clock clock) throws IOException {
        this.files = files;
        this.json = json;
        this.clock = clock;
        files.forEach((id, body) -> take(id, body));
    }

    /**
     * Cluster mode: takes in the requests other hubs made since the last look, and tells
     * {@code onNew} of each batch whose undo this hub had not heard of.
     */
    public void follow() {
        files.changes((id, body) -> {
            Request request = take(id, body);
            if (request != null) {
                onNew.accept(request.batchId());
            }
        });
    }

    /** Cluster mode: told of each batch undo another hub asked for, once this hub reads it. */
    public void onNew(java.util.function.Consumer<String> listener) {
        this.onNew = listener;
    }

    /** The request, when it is new here; null when it was known. */
    private Request take(String id, byte[] body) {
        try {
            Request request = json.readValue(body, Request.class);
            return requests.putIfAbsent(request.batchId(), request) == null ? request : null;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable batch undo request " + id, e);
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
            files.put(batchId, json.writeValueAsBytes(request));
        } catch (IOException e) {
            throw new UncheckedIOException("could not record the undo of batch " + batchId, e);
        }
        requests.put(batchId, request);
        return request;
    }
}
