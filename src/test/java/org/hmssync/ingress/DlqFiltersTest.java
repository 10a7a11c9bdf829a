package org.hmssync.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.hmssync.dlq.DeadLetterFilter;
import org.hmssync.event.Violation;
import org.junit.jupiter.api.Test;

/** GET /dlq's query parameters and POST /dlq/replay's body: read exactly, or refused naming the parameter. */
class DlqFiltersTest {

    final DlqFilters filters = new DlqFilters(new ObjectMapper(), Set.of("dashboard", "debit-vendor", "mainframe")::contains);

    @Test
    void theQueryParametersAreReadAndAbsentOrEmptyOnesMatchEverything() throws Exception {
        DlqFilters.Query none = filters.query(null);
        assertThat(none.filter().isEmpty()).isTrue();
        assertThat(none.after()).isNull();
        assertThat(none.limit()).as("unpaged, as before").isEqualTo(DlqFilters.UNPAGED);
        assertThat(filters.query("batch_id=&system=&reason=&limit=&after=").filter().isEmpty()).isTrue();

        DlqFilters.Query q = filters.query("batch_id=ohio-fix&system=dashboard&reason=voted%20no&limit=100&after=ev-1&colour=red");
        assertThat(q.filter().batchId()).isEqualTo("ohio-fix");
        assertThat(q.filter().system()).isEqualTo("dashboard");
        assertThat(q.filter().reason()).isEqualTo("voted no");
        assertThat(q.after()).isEqualTo("ev-1");
        assertThat(q.limit()).isEqualTo(100);
        assertThat(filters.query("reason=HTTP+422").filter().reason()).isEqualTo("HTTP 422");
        assertThat(filters.query("limit=1").limit()).isEqualTo(1);
        assertThat(filters.query("limit=1000").limit()).isEqualTo(1000);
    }

    @Test
    void aBadParameterIsRefusedByName() {
        assertRefused("limit=0", "limit");
        assertRefused("limit=1001", "limit");
        assertRefused("limit=-5", "limit");
        assertRefused("limit=1.5", "limit");
        assertRefused("limit=ten", "limit");
        assertRefused("limit=99999999999999", "limit");
        assertRefused("limit=1&limit=2", "limit");
        assertRefused("after=.hidden", "after");
        assertRefused("after=a%2Fb", "after");
        assertRefused("batch_id=" + "x".repeat(65), "batch_id");
        assertRefused("batch_id=ohio%20fix", "batch_id");
        assertRefused("system=billing", "system");
        assertRefused("reason=%zz", "query");
        DlqFilters.Invalid two = catchThrowableOfType(DlqFilters.Invalid.class, () -> filters.query("limit=0&system=billing"));
        assertThat(two.violations()).extracting(Violation::field).containsExactly("system", "limit");
        assertThat(two.getMessage()).contains("system names no system of the hub: 'billing'").contains("limit must be a whole number from 1 to 1000");
    }

    @Test
    void theBodyIsAFilterObjectAndAnEmptyOneNeedsAllTrue() throws Exception {
        DeadLetterFilter f = body("{\"batch_id\":\"ohio-fix\",\"system\":\"dashboard\",\"reason\":\"voted no\",\"ids\":[\"a\",\"b\",\"a\"]}");
        assertThat(f.batchId()).isEqualTo("ohio-fix");
        assertThat(f.system()).isEqualTo("dashboard");
        assertThat(f.reason()).isEqualTo("voted no");
        assertThat(f.ids()).containsExactlyInAnyOrder("a", "b");
        assertThat(body("{\"all\":true}").isEmpty()).isTrue();
        assertThat(body("{\"batch_id\":null,\"all\":true}").isEmpty()).isTrue();
        assertThat(body("{\"system\":\"mainframe\",\"all\":false}").system()).isEqualTo("mainframe");

        assertBodyRefused("", "body");
        assertBodyRefused("not json", "body");
        assertBodyRefused("[]", "body");
        assertBodyRefused("\"batch\"", "body");
        assertBodyRefused("{\"batch_id\":\"a\"} {}", "body");
        assertBodyRefused("{\"batch_id\":\"a\",\"batch_id\":\"b\"}", "body");
        assertBodyRefused("{}", "all");
        assertBodyRefused("{\"all\":false}", "all");
        assertBodyRefused("{\"all\":\"yes\"}", "all");
        assertBodyRefused("{\"colour\":\"red\",\"all\":true}", "colour");
        assertBodyRefused("{\"batch_id\":5}", "batch_id");
        assertBodyRefused("{\"batch_id\":\"../x\"}", "batch_id");
        assertBodyRefused("{\"reason\":\"\"}", "reason");
        assertBodyRefused("{\"system\":\"billing\"}", "system");
        assertBodyRefused("{\"ids\":[]}", "ids");
        assertBodyRefused("{\"ids\":\"a\"}", "ids");
        assertBodyRefused("{\"ids\":[\"a\",7]}", "ids");
    }

    private DeadLetterFilter body(String text) throws Exception {
        return filters.body(text.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRefused(String query, String field) {
        DlqFilters.Invalid refused = catchThrowableOfType(DlqFilters.Invalid.class, () -> filters.query(query));
        assertThat(refused).as(query).isNotNull();
        assertThat(refused.violations()).as(query).extracting(Violation::field).containsExactly(field);
        assertThat(refused.getMessage()).as(query).startsWith(field + " ");
    }

    private void assertBodyRefused(String text, String field) {
        DlqFilters.Invalid refused = catchThrowableOfType(DlqFilters.Invalid.class, () -> body(text));
        assertThat(refused).as(text).isNotNull();
        assertThat(refused.violations()).as(text).extracting(Violation::field).containsExactly(field);
    }
}
