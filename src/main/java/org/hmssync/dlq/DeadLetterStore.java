package org.hmssync.dlq;

import org.hmssync.journal.Documents;
import org.hmssync.journal.FolderDocuments;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parked events, one file each in {@code dlq/}, written whole or not at all. In memory they are
 * kept by id and in parking order, (parked_at, id), so that listing, filtering and paging thousands
 * of them walks one sorted index and never sorts.
 */
public final class DeadLetterStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);
    /** How many released entries keep their place, so that paging {@code after} one that just left still works. */
    private static final int RELEASED_KEPT = 10_000;

    /** Where an entry stands in parking order. */
    private record Place(Instant parkedAt, String id) implements Comparable<Place> {

        static Place of(ParkedEvent event) {
            Instant at;
            try {
                at = Instant.parse(event.parkedAt());
            } catch (DateTimeParseException | NullPointerException e) {
                at = Instant.EPOCH;   // a hand-edited file: first in line rather than lost
            }
            return new Place(at, event.id());
        }

        @Override
        public int compareTo(Place other) {
            int byTime = parkedAt.compareTo(other.parkedAt);
            return byTime != 0 ? byTime : id.compareTo(other.id);
        }
    }

    /** A page of entries, and how many entries in the whole DLQ match the filter. */
    public record Slice(List<ParkedEvent> entries, int matching) { }

    private final Documents files;
    private final ObjectMapper json;
    private final Map<String, ParkedEvent> parked = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Place, ParkedEvent> inOrder = new ConcurrentSkipListMap<>();
    /** Guarded by {@code this}, with every change of {@link #parked} and {@link #inOrder}. */
    private final Map<String, Place> released = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Place> eldest) {
            return size() > RELEASED_KEPT;
        }
    };

    public DeadLetterStore(Path folder, ObjectMapper json) throws IOException {
        this(new FolderDocuments(folder), json);
    }

    /** The entries in {@code files}: a folder, or the shared table in cluster mode. */
    public DeadLetterStore(Documents files, ObjectMapper json) throws IOException {
        this.files = files;
        this.json = json;
        files.forEach((id, body) -> {
            try {
                index(json.readValue(body, ParkedEvent.class));
            } catch (IOException e) {
                LOG.warn("unreadable DLQ entry {} left in place: {}", id, e.getMessage());
            }
        });
    }

    /** Cluster mode: takes in what other hubs parked and released since the last look. */
    public void follow() {
        files.changes((id, body) -> {
            if (body == null) {
                forget(id);
                return;
            }
            try {
                ParkedEvent event = json.readValue(body, ParkedEvent.class);
                if (!event.equals(parked.get(id))) {
                    index(event);
                }
            } catch (IOException e) {
                LOG.warn("unreadable DLQ entry {} skipped: {}", id, e.getMessage());
            }
        });
    }

    /**
     * Writes {@code <id>.json} through a temporary file, forced, renamed over, and the folder
     * forced: once this returns the entry survives a crash, so the ledger may say it is parked.
     */
    public void park(ParkedEvent event) {
        try {
            files.put(event.id(), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(event));
        } catch (IOException e) {
            throw new UncheckedIOException("could not park " + event.id() + " in the DLQ", e);
        }
        index(event);
    }

    /** Parked again (a replay that failed again): the entry moves to its new place at the end. */
    private synchronized void index(ParkedEvent event) {
        ParkedEvent before = parked.put(event.id(), event);
        if (before != null) {
            inOrder.remove(Place.of(before));
        }
        inOrder.put(Place.of(event), event);
        released.remove(event.id());
    }

    public Optional<ParkedEvent> find(String id) {
        return Optional.ofNullable(parked.get(id));
    }

    /** How many events are parked now. */
    public int size() {
        return parked.size();
    }

    /** Every parked event in parking order: by parked_at, then id. */
    public List<ParkedEvent> list() {
        return List.copyOf(inOrder.values());
    }

    /**
     * The entries that match, in parking order, starting after the entry {@code afterId} (null:
     * from the first), at most {@code limit}; and how many entries of the whole DLQ match. One walk
     * of the index, no sorting. {@code afterId} may be an entry that left the DLQ a moment ago
     * (one of the last {@value #RELEASED_KEPT} released): its place is remembered.
     *
     * @throws NoSuchElementException when {@code afterId} is neither parked nor recently released
     */
    public Slice select(DeadLetterFilter filter, String afterId, int limit) {
        Place after = afterId == null ? null : placeOf(afterId).orElseThrow(() ->
                new NoSuchElementException("no parked event with id '" + afterId + "'"));
        List<ParkedEvent> page = new ArrayList<>(Math.min(limit, 1024));
        int matching = 0;
        for (Map.Entry<Place, ParkedEvent> entry : inOrder.entrySet()) {
            if (!filter.matches(entry.getValue())) {
                continue;
            }
            matching++;
            if (page.size() < limit && (after == null || entry.getKey().compareTo(after) > 0)) {
                page.add(entry.getValue());
            }
        }
        return new Slice(List.copyOf(page), matching);
    }

    /** Every parked event that matches, in parking order. */
    public List<ParkedEvent> matching(DeadLetterFilter filter) {
        return inOrder.values().stream().filter(filter::matches).toList();
    }

    /** True when some parked entry names the system. */
    public boolean names(String system) {
        return inOrder.values().stream().anyMatch(p -> p.systems() != null && p.systems().containsKey(system));
    }

    private synchronized Optional<Place> placeOf(String id) {
        ParkedEvent event = parked.get(id);
        return event != null ? Optional.of(Place.of(event)) : Optional.ofNullable(released.get(id));
    }

    /** Takes an event off the list once a replay made it final; the file goes with it. */
    public void release(String id) {
        // called for every committed event: only a parked one has a file to remove
        if (!forget(id)) {
            return;
        }
        try {
            files.remove(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Off the list in memory; false when it was not on it. */
    private synchronized boolean forget(String id) {
        ParkedEvent before = parked.remove(id);
        if (before == null) {
            return false;
        }
        Place place = Place.of(before);
        inOrder.remove(place);
        released.put(id, place);
        return true;
    }
}
