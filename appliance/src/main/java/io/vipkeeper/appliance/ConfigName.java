package io.vipkeeper.appliance;

/** An enum whose constants are spelled in the config file by {@link #configName()}. */
public interface ConfigName {
    /** The spelling in the config file, e.g. {@code hmac-sha256}. */
    String configName();
}
