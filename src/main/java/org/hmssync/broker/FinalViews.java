package org.hmssync.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.hmssync.ledger.EventViews;

/** The final status JSON sent as outcome and reply: the same document as {@code GET /events/{id}}. */
public final class FinalViews {

    private final EventViews views;
    private final ObjectMapper json;

    public FinalViews(EventViews views, ObjectMapper json) {
        this.views = views;
        this.json = json;
    }

    public Map<String, Object> view(String id) {
        return views.known(id);
    }

    public String json(String id) {
        return json(view(id));
    }

    /** The event's type as the view names it; null when the event store does not know it. */
    public static String type(Map<String, Object> view) {
        Object type = view.get("type");
        return type == null ? null : type.toString();
    }

    /** A view already built: the outcome needs its status and its text, and builds it once. */
    public String json(Map<String, Object> view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
