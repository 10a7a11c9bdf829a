package org.hmssync.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.hmssync.config.HubJson;
import org.junit.jupiter.api.Test;

/** Without HMS_OPERATOR_TOKEN, an operator call from anywhere but loopback is refused. */
class AccessGuardTest {

    final AccessGuard guard = new AccessGuard(null, null, new HttpAnswers(HubJson.mapper()));

    @Test
    void loopbackOnlyWhenNoOperatorTokenIsSet() {
        assertThat(guard.operator(from("127.0.0.1"))).isTrue();
        assertThat(guard.operator(from("::1"))).isTrue();
        Exchange remote = from("203.0.113.9");
        assertThat(guard.operator(remote)).isFalse();
        assertThat(remote.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(guard.operator(new DefaultExchange(new DefaultCamelContext()))).as("unknown origin").isFalse();
    }

    private static Exchange from(String host) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("CamelVertxPlatformHttpRemoteAddress", SocketAddress.inetSocketAddress(40000, host));
        return exchange;
    }
}
