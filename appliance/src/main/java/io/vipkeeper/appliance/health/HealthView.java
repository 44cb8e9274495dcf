package io.vipkeeper.appliance.health;

import io.vipkeeper.appliance.dataplane.BackendKey;
import java.util.Map;

/** The health of every checked real server, by virtual server name (read from any thread). */
public interface HealthView {
    /** An immutable snapshot: virtual server name → real server → health. */
    Map<String, Map<BackendKey, RealServerHealth>> health();
}
