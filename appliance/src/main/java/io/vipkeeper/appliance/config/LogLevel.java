package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;

/** How much the daemon logs, as SLF4J levels. */
public enum LogLevel implements ConfigName {
    ERROR, WARN, INFO, DEBUG, TRACE;

    @Override
    public String configName() {
        return name().toLowerCase();
    }
}
