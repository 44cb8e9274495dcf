package io.vipkeeper.appliance.dataplane;

import io.vipkeeper.appliance.ConfigName;

/** Transport protocol of a virtual service, with its IANA protocol number. */
public enum TransportProtocol implements ConfigName {
    TCP("tcp", 6),
    UDP("udp", 17),
    SCTP("sctp", 132);

    private final String configName;
    private final int number;

    TransportProtocol(String configName, int number) {
        this.configName = configName;
        this.number = number;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The IP protocol number. */
    /** The protocol with IP protocol number {@code n}, if IPVS balances it. */
    public static java.util.Optional<TransportProtocol> ofNumber(int n) {
        return java.util.Arrays.stream(values()).filter(p -> p.number() == n).findFirst();
    }

    public int number() {
        return number;
    }
}
