package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;

/**
 * What a virtual policy rule does with a matching packet (fib_rule_hdr action, as
 * {@code ip rule add ... lookup T | blackhole | unreachable | prohibit}; numbers from
 * include/uapi/linux/fib_rules.h). Append-only.
 */
public enum RuleType implements ConfigName {
    /** FR_ACT_TO_TBL: look it up in the rule's table (the default). */
    TABLE("table", 1),
    /** FR_ACT_BLACKHOLE: drop it silently. */
    BLACKHOLE("blackhole", 6),
    /** FR_ACT_UNREACHABLE: drop it, network unreachable. */
    UNREACHABLE("unreachable", 7),
    /** FR_ACT_PROHIBIT: drop it, administratively prohibited. */
    PROHIBIT("prohibit", 8);

    private final String configName;
    private final int value;

    RuleType(String configName, int value) {
        this.configName = configName;
        this.value = value;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The kernel's number. */
    public int value() {
        return value;
    }
}
