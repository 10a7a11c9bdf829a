package org.hmssync.config;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/** Work to do as soon as the context starts to stop: before its routes stop, and before services (which stop after them). */
final class ContextStopping {

    private ContextStopping() {
    }

    static void run(CamelContext context, Runnable work) {
        SimpleEventNotifierSupport stopping = new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    work.run();
                }
            }
        };
        stopping.setIgnoreExchangeEvents(true); // told of the context's events only, not of every exchange
        stopping.setIgnoreRouteEvents(true);
        stopping.setIgnoreServiceEvents(true);
        stopping.setIgnoreStepEvents(true);
        context.getManagementStrategy().addEventNotifier(stopping);
    }
}
