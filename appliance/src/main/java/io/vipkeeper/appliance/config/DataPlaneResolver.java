package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.dataplane.Capabilities;

/**
 * Which engine a config's virtual servers are checked against: the file's
 * {@code vipkeeper.data-plane} in, the capabilities of the engine that will run it out ({@code auto}
 * resolved). The config package knows no engine; the daemon and {@code check} pass one that does.
 */
@FunctionalInterface
public interface DataPlaneResolver {
    /**
     * Checks nothing engine-specific: every choice gets everything the neutral model has, named
     * after the choice (tools and commands that only read addresses, such as {@code realserver}).
     */
    DataPlaneResolver ANY = choice -> Capabilities.everything(choice.configName());

    /**
     * The capabilities of the engine {@code choice} names or resolves to.
     *
     * @throws IllegalArgumentException when this choice cannot be honoured (its message is
     *     reported at the line of {@code data-plane})
     */
    Capabilities capabilities(DataPlaneChoice choice);

    /** The engine {@code choice} comes to and why, for {@code check}'s report ("nftables (the kernel has no IPVS ...)"). */
    default String describe(DataPlaneChoice choice) {
        return capabilities(choice).engine();
    }
}
