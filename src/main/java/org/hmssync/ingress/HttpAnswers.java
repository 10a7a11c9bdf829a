package org.hmssync.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** Writes JSON answers; errors as {@code {"error": "<one sentence>", "details": [...]}}. */
public final class HttpAnswers {

    private final ObjectMapper json;

    public HttpAnswers(ObjectMapper json) {
        this.json = json;
    }

    public void json(Exchange exchange, int status, Object body) {
        try {
            exchange.getMessage().setBody(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Request headers would otherwise be echoed back as response headers.
        Object location = exchange.getMessage().getHeader("Location");
        exchange.getMessage().getHeaders().clear();
        if (location != null) {
            exchange.getMessage().setHeader("Location", location);
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    public void error(Exchange exchange, int status, String sentence, List<?> details) {
        json(exchange, status, errorBody(sentence, details));
    }

    /** The error as JSON text, for answers written outside a Camel exchange (the HTTP server's own). */
    public String errorJson(String sentence, List<?> details) {
        try {
            return json.writeValueAsString(errorBody(sentence, details));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> errorBody(String sentence, List<?> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", sentence);
        body.put("details", details);
        return body;
    }

    public void error(Exchange exchange, int status, String sentence) {
        error(exchange, status, sentence, List.of());
    }
}
