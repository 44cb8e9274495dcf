package io.vipkeeper.appliance.config;

import java.time.Duration;

/**
 * How a real server's health is checked.
 *
 * @param type what the check does
 * @param interval time between checks
 * @param timeout a check taking longer fails
 * @param rise consecutive successes that bring a server up
 * @param fall consecutive failures that take it down
 */
public record HealthCheck(HealthCheckType type, Duration interval, Duration timeout, int rise, int fall) {

    /** The kinds of check. */
    public enum HealthCheckType implements ConfigName {
        /** Always up (keepalived's real_server without a checker). */
        NONE("none"),
        TCP("tcp"),
        HTTP("http"),
        HTTPS("https"),
        UDP("udp"),
        DNS("dns"),
        SCRIPT("script");

        private final String configName;

        HealthCheckType(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }
}
