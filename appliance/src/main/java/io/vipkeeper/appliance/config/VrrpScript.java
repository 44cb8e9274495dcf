package io.vipkeeper.appliance.config;

import java.time.Duration;

/**
 * A tracking script: an entry of {@code vrrp.scripts}.
 *
 * @param name the entry's name, referenced by {@code track-scripts}
 * @param program what runs, as whom; a run taking longer than its timeout counts as a failure
 * @param interval time between runs
 * @param weight added to the priority while failing; 0 means failing = FAULT
 * @param rise successes needed to count as up
 * @param fall failures needed to count as down
 */
public record VrrpScript(String name, Program program, Duration interval, int weight, int rise, int fall) {
}
