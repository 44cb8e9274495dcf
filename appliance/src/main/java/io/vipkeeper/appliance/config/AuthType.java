package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;
import io.vipkeeper.vrrp.protocol.VrrpVersion;

/** How VRRP adverts are authenticated; which methods a version allows. */
public enum AuthType implements ConfigName {
    /** No authentication (RFC 3768 type 0; the only choice of RFC 9568). */
    NONE("none", true),
    /** RFC 2338 simple text password, at most 8 bytes, v2 only. */
    PASS("pass", false),
    /** RFC 2338 IPsec AH with HMAC-MD5-96 as keepalived implements it, v2 only. */
    AH("ah", false),
    /** keepalived 2.4's HMAC-SHA256 trailer, v2 and v3. */
    HMAC_SHA256("hmac-sha256", true);

    private final String configName;
    private final boolean v3;

    AuthType(String configName, boolean v3) {
        this.configName = configName;
        this.v3 = v3;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** Whether this method may be used with {@code version}. */
    public boolean allowedIn(VrrpVersion version) {
        return version == VrrpVersion.V2 || v3;
    }

    /** Which config key holds the secret: "password", "key", or null for none. */
    public String secretKey() {
        switch (this) {
            case PASS:
            case AH:
                return "password";
            case HMAC_SHA256:
                return "key";
            default:
                return null;
        }
    }
}
