package org.hmssync.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import javax.sql.DataSource;
import org.hmssync.cluster.ClusterDatabase;
import org.hmssync.cluster.ClusterSettings;
import org.hmssync.cluster.TableAcceptedIds;
import org.hmssync.dlq.DeadLetterStore;
import org.hmssync.event.SyncEvent;
import org.hmssync.journal.TableDocuments;
import org.hmssync.journal.TableSink;
import org.hmssync.ledger.LedgerLine;
import org.hmssync.dlq.Parking;
import org.hmssync.event.EventStore;
import org.hmssync.ledger.BatchUndoRequests;
import org.hmssync.ledger.ChainSettings;
import org.hmssync.ledger.Ed25519Keys;
import org.hmssync.ledger.EventProofs;
import org.hmssync.ledger.LedgerCheckpoints;
import org.hmssync.ledger.LedgerLines;
import org.hmssync.ledger.SyncLedger;
import org.hmssync.ledger.UntrustedLedgerException;
import org.hmssync.ledger.WriteProbe;
import org.hmssync.settings.HubSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the hub keeps under {@code hms.data-dir}: the ledger, the events, the DLQ; the things every part writes through. */
record Stores(Path data, ObjectMapper json, Clock clock, SyncLedger ledger, EventStore events, DeadLetterStore dlq, LedgerLines lines,
              Parking parking, WriteProbe writable, BatchUndoRequests batchUndos, EventProofs proofs, Optional<SharedDatabase> cluster) {

    /** Cluster mode: the database every hub shares, and how this hub reads what the others wrote. */
    record SharedDatabase(ClusterSettings settings, DataSource db) { }

    /** Cluster mode: reads what the other hubs wrote since the last look (the ledger first: it names the rest). */
    void follow() {
        ledger.follow();
        events.follow();
        dlq.follow();
        batchUndos.follow();
    }

    private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

    static Stores open(CamelContext context, HubSettings settings) throws Exception {
        Path data = Path.of(settings.required("hms.data-dir")).toAbsolutePath();
        int groupCommit = settings.requiredInt("hms.ledger.group-commit-max");
        ObjectMapper json = HubJson.mapper();
        Clock clock = Clock.systemUTC();
        PrivateKey signingKey = signingKey(settings);
        Optional<ClusterSettings> clustered = clusterSettings(settings);
        SyncLedger ledger;
        EventStore events;
        DeadLetterStore dlq;
        BatchUndoRequests batchUndos;
        Optional<SharedDatabase> cluster = Optional.empty();
        if (clustered.isPresent()) {
            ClusterSettings c = clustered.get();
            DataSource db = closeWithContext(context, ClusterDatabase.open(c));
            cluster = Optional.of(new SharedDatabase(c, db));
            ledger = closeWithContext(context, trusted(() -> new SyncLedger(new TableSink<>(db, "ledger_lines", c.instanceId(), LedgerLine::eventId),
                    new TableAcceptedIds(db, c.instanceId(), c.takeoverMs()), groupCommit, settings.requiredInt("hms.ledger.cached-events"), json,
                    chainSettings(settings, signingKey))));
            events = closeWithContext(context, new EventStore(new TableSink<>(db, "event_lines", c.instanceId(), SyncEvent::id), groupCommit, json));
            dlq = new DeadLetterStore(new TableDocuments(db, "dlq"), json);
            batchUndos = new BatchUndoRequests(new TableDocuments(db, "batch_undo"), json, clock);
            LOG.info("cluster mode: hub {} shares the ledger, events, DLQ and batch undos in {}; {} keeps only the mainframe drop",
                    c.instanceId(), c.redactedUrl(), data);
        } else {
            ledger = closeWithContext(context, ledger(settings, data.resolve("ledger.jsonl"), groupCommit, json, signingKey));
            events = closeWithContext(context, new EventStore(data.resolve("events.jsonl"), groupCommit, json));
            dlq = new DeadLetterStore(data.resolve("dlq"), json);
            batchUndos = new BatchUndoRequests(data.resolve("batches"), json, clock);
        }
        LedgerLines lines = new LedgerLines(clock);
        closeWithContext(context, new LedgerCheckpoints(ledger, lines, settings.requiredLong("hms.ledger.checkpoint-lines"),
                settings.requiredLong("hms.ledger.checkpoint-minutes"),
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(LedgerCheckpoints.class, "ledger-checkpoints")));
        WriteProbe writable = new WriteProbe(cluster.isPresent() ? List.of(data, data.resolve("mainframe")) : List.of(
                data, data.resolve("ledger.jsonl"), data.resolve("events.jsonl"), data.resolve("dlq"), data.resolve("mainframe")));
        // camel-jackson's type converters use this mapper: request bodies stay compact and exact
        context.getRegistry().bind("hmsJson", json);
        return new Stores(data, json, clock, ledger, events, dlq, lines, new Parking(ledger, lines, dlq, json, clock), writable,
                batchUndos, new EventProofs(ledger, json, signingKey, clock), cluster);
    }

    /** HMS_SIGNING_KEY_FILE's key (checkpoints, proofs), or null when it is unset; a file that holds none refuses the start. */
    private static PrivateKey signingKey(HubSettings settings) {
        Optional<String> keyFile = settings.optional("hms.ledger.signing-key-file");
        if (keyFile.isEmpty()) {
            return null;
        }
        try {
            PrivateKey key = Ed25519Keys.privateKey(Path.of(keyFile.get()));
            LOG.info("ledger checkpoints and event proofs are signed with the Ed25519 key in {}", keyFile.get());
            return key;
        } catch (IOException e) {
            throw new StartRefusedException("HMS_SIGNING_KEY_FILE: " + e.getMessage());
        }
    }

    /** The ledger, refused at start when its hash chain is missing, or broken and not accepted. */
    private static SyncLedger ledger(HubSettings settings, Path file, int groupCommit, ObjectMapper json, PrivateKey signingKey)
            throws IOException {
        return trusted(() -> new SyncLedger(file, groupCommit, settings.requiredInt("hms.ledger.cached-events"), json,
                chainSettings(settings, signingKey)));
    }

    private static ChainSettings chainSettings(HubSettings settings, PrivateKey signingKey) {
        return new ChainSettings(Boolean.parseBoolean(settings.required("hms.ledger.accept-broken")), signingKey);
    }

    private interface LedgerOpening {
        SyncLedger open() throws IOException;
    }

    private static SyncLedger trusted(LedgerOpening opening) throws IOException {
        try {
            return opening.open();
        } catch (UntrustedLedgerException e) {
            throw new StartRefusedException(e.getMessage());
        }
    }

    /** Cluster mode needs the broker as much as the database: the work is shared through it. */
    private static Optional<ClusterSettings> clusterSettings(HubSettings settings) {
        Optional<ClusterSettings> cluster;
        try {
            cluster = ClusterSettings.from(settings);
        } catch (IllegalArgumentException e) {
            throw new StartRefusedException(e.getMessage());
        }
        if (cluster.isPresent() && settings.optional("hms.rabbitmq.uri").isEmpty()) {
            throw new StartRefusedException("HMS_LEDGER_URL is set but HMS_RABBITMQ_URI is not: cluster mode needs both "
                    + "(the hubs share their work through the broker)");
        }
        return cluster;
    }

    /** Stops the store after the routes, so running events can still write their lines. */
    static <T extends AutoCloseable> T closeWithContext(CamelContext context, T closeable) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                closeable.close();
            }
        });
        return closeable;
    }
}
