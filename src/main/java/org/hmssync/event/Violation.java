package org.hmssync.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One broken rule of contract section 1, named by the field it concerns. */
public record Violation(@JsonProperty("field") String field, @JsonProperty("problem") String problem) {

    public String sentence() {
        return field + " " + problem;
    }
}
