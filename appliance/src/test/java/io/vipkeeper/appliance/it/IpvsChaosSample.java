package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.api.StatusSnapshot;
import java.util.SortedMap;

/**
 * One sample of the IPVS fault lab: the kernel's elements as {@code ipvsadm -Sn} and {@code nft -j
 * list ruleset} showed them (plus the status's digest), what the lab expected when the sample
 * began, and when each source was read (a difference is judged against the time its source took).
 *
 * @param ipvs when ipvsadm ran (from, to), null when it failed
 * @param nft when nft ran, null when it failed
 * @param statusRead when the status was asked for, null when it did not answer
 * @param status the daemon's status, null when it did not answer
 * @param alive whether the daemon's process ran after the reads
 */
record IpvsChaosSample(long start, long end, SortedMap<String, String> expected, SortedMap<String, String> actual,
        Span ipvs, Span nft, Span statusRead, StatusSnapshot status, boolean alive) {

    /** A source's read, from and to in nanoTime. */
    record Span(long from, long to) {
    }

    /** When the source of {@code element} was read; null when it was not. */
    Span span(String element) {
        if (element.equals(IpvsChaosExpected.DIGEST)) {
            return statusRead;
        }
        return element.startsWith("nft|") ? nft : ipvs;
    }

    /** Whether this sample read {@code element}'s source. */
    boolean read(String element) {
        return span(element) != null;
    }
}
