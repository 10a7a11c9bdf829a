package org.hmssync.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.hmssync.broker.OperatorCommands;
import org.hmssync.broker.BrokerPublisher;
import org.hmssync.event.EventReader;
import org.hmssync.ledger.FailureReasons;
import org.hmssync.ledger.SyncLedger;
import org.hmssync.runs.OperatorDoor;
import org.hmssync.runs.OperatorRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' actions in cluster mode. An undo, replay or workbench action on any hub travels as a
 * command on the event's partition queue to the hub that owns the partition, which runs it in the
 * event's lane like any run there ({@link #answer}) and answers on a direct reply-to; so every
 * hub answers an action the way one hub would, and two hubs never run one event.
 */
public final class ClusterOperations implements OperatorDoor, OperatorCommands {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterOperations.class);
    /** Beyond the action's own wait: the broker's round trip and the owner's queue. */
    private static final long ANSWER_SLACK_MS = 15_000;

    private final OperatorRuns local;
    private final SyncLedger ledger;
    private final ToIntFunction<String> partitionOfEvent;
    private final BrokerPublisher publisher;
    private final ObjectMapper json;
    /** Whether this hub holds a partition now; set once the leases exist. */
    private volatile java.util.function.IntPredicate holds = partition -> false;

    public ClusterOperations(OperatorRuns local, SyncLedger ledger, ToIntFunction<String> partitionOfEvent, BrokerPublisher publisher,
                             ObjectMapper json) {
        this.local = local;
        this.ledger = ledger;
        this.partitionOfEvent = partitionOfEvent;
        this.publisher = publisher;
        this.json = json;
    }

    @Override
    public OperatorRuns.Answer start(String id, OperatorRuns.Action action, long waitMs, String parkedAs) {
        if (id == null || !EventReader.ID.matcher(id).matches() || ledger.find(id).isEmpty()) {
            return new OperatorRuns.Unknown(id);
        }
        int partition = partitionOfEvent.applyAsInt(id);
        if (holds.test(partition)) {
            return local.start(id, action, waitMs, parkedAs);   // this hub owns the event: no round trip
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(HEADER, action.name());
        headers.put(EVENT_ID, id);
        headers.put(WAIT_MS, String.valueOf(waitMs));
        if (parkedAs != null) {
            headers.put(PARKED_AT, parkedAs);
        }
        String reply;
        try {
            reply = publisher.ask(partition, headers, waitMs + ANSWER_SLACK_MS);
        } catch (RuntimeException e) {
            LOG.warn("{} of event {}: the hub that owns it did not answer: {}", action, id, FailureReasons.of(e));
            return new OperatorRuns.Refused(id, "the hub that owns event " + id + " did not answer; try again");
        }
        if (reply == null) {
            return new OperatorRuns.Refused(id, "the hub that owns event " + id + " did not answer in time; try again");
        }
        return read(id, reply);
    }

    /** Set once at wiring: which partitions this hub holds. */
    public void holding(java.util.function.IntPredicate holds) {
        this.holds = holds;
    }

    /**
     * On the owner: the command runs here, in the event's lane, and its answer goes back as JSON. A
     * command for an event whose partition this hub no longer holds (it moved while the command
     * travelled) is refused: only the holder may run the event.
     */
    @Override
    public String answer(String action, String eventId, long waitMs, String parkedAt) {
        OperatorRuns.Answer answer = eventId == null || !holds.test(partitionOfEvent.applyAsInt(eventId))
                ? new OperatorRuns.Refused(eventId, "event " + eventId + " moved to another hub while the request travelled; try again")
                : local.start(eventId, OperatorRuns.Action.valueOf(action), waitMs, parkedAt);
        Map<String, Object> view = new LinkedHashMap<>();
        if (answer instanceof OperatorRuns.Started started) {
            view.put("answer", "started");
            view.put("status", started.status());
        } else if (answer instanceof OperatorRuns.Refused refused) {
            view.put("answer", "refused");
            view.put("why", refused.why());
        } else {
            view.put("answer", "unknown");
        }
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private OperatorRuns.Answer read(String id, String reply) {
        try {
            JsonNode node = json.readTree(reply);
            return switch (node.path("answer").asText()) {
                case "started" -> new OperatorRuns.Started(id, node.path("status").asText());
                case "unknown" -> new OperatorRuns.Unknown(id);
                case "refused" -> new OperatorRuns.Refused(id, node.path("why").asText());
                default -> new OperatorRuns.Refused(id, "the hub that owns event " + id + " failed: " + node.path("why").asText("no reason"));
            };
        } catch (JsonProcessingException e) {
            return new OperatorRuns.Refused(id, "the hub that owns event " + id + " answered something unreadable");
        }
    }
}
