package org.hmssync.cluster;

/**
 * Which partition an event belongs to: its lane key (claimant, else state) hashed onto a fixed number
 * of partitions, the same on every hub (String.hashCode is specified by the Java language).
 */
public record Partitions(int count) {

    public Partitions {
        if (count < 1) {
            throw new IllegalArgumentException("HMS_CLUSTER_PARTITIONS must be at least 1, was " + count);
        }
    }

    public int of(String laneKey) {
        return Math.floorMod(laneKey.hashCode(), count);
    }
}
