package org.hmssync.ingress;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens for the calls that change things. Operator calls need HMS_OPERATOR_TOKEN (or, when
 * it is unset, come from loopback); POST /events needs HMS_INGEST_TOKEN when it is set. A refused
 * call is answered 401 and nothing happens. Tokens are compared in constant time and never logged.
 */
public final class AccessGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);
    private static final String REMOTE = "CamelVertxPlatformHttpRemoteAddress";

    private final byte[] operatorToken;
    private final byte[] ingestToken;
    private final HttpAnswers answers;

    public AccessGuard(String operatorToken, String ingestToken, HttpAnswers answers) {
        this.operatorToken = bytes(operatorToken);
        this.ingestToken = bytes(ingestToken);
        this.answers = answers;
        if (this.operatorToken == null) {
            LOG.warn("HMS_OPERATOR_TOKEN is unset: undo, replay and the other operator calls are accepted from loopback only");
        }
        LOG.info("POST /events {}", this.ingestToken == null ? "is open (HMS_INGEST_TOKEN is unset)" : "requires HMS_INGEST_TOKEN");
    }

    /** True when the operator call may go on; otherwise the 401 is already answered. */
    public boolean operator(Exchange exchange) {
        if (operatorToken == null ? fromLoopback(exchange) : presents(exchange, operatorToken)) {
            return true;
        }
        refuse(exchange, operatorToken == null
                ? "operator calls are accepted from loopback only while HMS_OPERATOR_TOKEN is unset"
                : "operator calls need Authorization: Bearer <HMS_OPERATOR_TOKEN>");
        return false;
    }

    public boolean ingest(Exchange exchange) {
        if (ingestToken == null || presents(exchange, ingestToken)) {
            return true;
        }
        refuse(exchange, "POST /events needs Authorization: Bearer <HMS_INGEST_TOKEN>");
        return false;
    }

    private void refuse(Exchange exchange, String why) {
        answers.error(exchange, 401, why, List.of());
        exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
    }

    private static boolean presents(Exchange exchange, byte[] expected) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(expected, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean fromLoopback(Exchange exchange) {
        Object remote = exchange.getMessage().getHeader(REMOTE);
        if (remote instanceof io.vertx.core.net.SocketAddress address) {
            String host = address.hostAddress();
            try {
                return host != null && InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private static byte[] bytes(String token) {
        return token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    }
}
