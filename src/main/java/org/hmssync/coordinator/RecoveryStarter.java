package org.hmssync.coordinator;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.ProducerTemplate;
import org.hmssync.event.EventStore;
import org.hmssync.ledger.EventRecord;
import org.hmssync.ledger.SyncLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Once the hub is up, every event the ledger shows unfinished is finished (contract section 7). */
public final class RecoveryStarter implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryStarter.class);

    private final SyncLedger ledger;
    private final EventStore events;
    private final InFlightEvents inFlight;

    public RecoveryStarter(SyncLedger ledger, EventStore events, InFlightEvents inFlight) {
        this.ledger = ledger;
        this.events = events;
        this.inFlight = inFlight;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // routes are not running yet: wait for onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Thread submitter = new Thread(() -> submit(context), "hms-recovery");
        submitter.setDaemon(true);
        submitter.start();
    }

    private void submit(CamelContext context) {
        ProducerTemplate template = context.createProducerTemplate();
        int count = 0;
        for (EventRecord listed : ledger.unfinished()) {
            if (!inFlight.tryStart(listed.id())) {
                continue;   // a redelivered message is finishing it already
            }
            EventRecord record = ledger.find(listed.id()).orElseThrow();   // as the ledger has it now, like EventRunner
            if (record.status().isFinal()) {
                inFlight.finish(record.id());   // finished by such a run between the listing and now
                continue;
            }
            String text = events.text(record.id()).orElse(null);
            if (text == null) {
                LOG.error("event {} is {} in the ledger but missing from events.jsonl; a person must look", record.id(), record.status().wire());
                inFlight.finish(record.id());
                continue;
            }
            template.sendBodyAndHeaders(CoordinatorRoutes.INBOX, text,
                    Map.of(HmsHeaders.ROLLBACK_TOKEN, record.id(), HmsHeaders.RUN, HmsHeaders.RUN_RECOVER));
            count++;
        }
        if (count > 0) {
            LOG.warn("recovering {} unfinished event(s) from the ledger", count);
        }
    }
}
