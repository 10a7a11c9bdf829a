package org.hmssync.coordinator;

import org.hmssync.settings.AdapterSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.support.DefaultExchange;
import org.hmssync.event.SyncEvent;

/**
 * Which systems must follow an event: those configured for its type whose optional {@code simple}
 * predicate holds. The predicate sees the event as a map, e.g. {@code ${body[payload][state]} == 'OH'}.
 */
public final class TargetPolicy {

    private final CamelContext context;
    private final ObjectMapper json;
    private final List<AdapterSettings> adapters;
    private final Map<String, Predicate> predicates = new LinkedHashMap<>();

    public TargetPolicy(CamelContext context, ObjectMapper json, List<AdapterSettings> adapters) {
        this.context = context;
        this.json = json;
        this.adapters = List.copyOf(adapters);
        for (AdapterSettings a : adapters) {
            if (a.when() != null) {
                predicates.put(a.name(), context.resolveLanguage("simple").createPredicate(a.when()));
            }
        }
    }

    public List<AdapterSettings> adapters() {
        return adapters;
    }

    public List<AdapterSettings> targetsFor(SyncEvent event) {
        Exchange probe = new DefaultExchange(context);
        probe.getMessage().setBody(json.convertValue(event.json(), Map.class));
        return adapters.stream()
                .filter(a -> a.follows(event.type()))
                .filter(a -> !predicates.containsKey(a.name()) || predicates.get(a.name()).matches(probe))
                .toList();
    }
}
