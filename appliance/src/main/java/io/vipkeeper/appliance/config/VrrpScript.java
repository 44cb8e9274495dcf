package io.vipkeeper.appliance.config;

import java.time.Duration;
import java.util.List;

/**
 * A tracking script: an entry of {@code vrrp.scripts}.
 *
 * @param name the entry's name, referenced by {@code track-scripts}
 * @param command program and arguments, run without a shell
 * @param interval time between runs
 * @param timeout a run taking longer counts as a failure
 * @param weight added to the priority while failing; 0 means failing = FAULT
 * @param rise successes needed to count as up
 * @param fall failures needed to count as down
 */
public record VrrpScript(String name, List<String> command, Duration interval, Duration timeout,
        int weight, int rise, int fall) {
}
