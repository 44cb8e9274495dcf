package io.vipkeeper.appliance.dataplane;

/**
 * The engine a daemon runs and why it was chosen, as status and metrics show it.
 *
 * @param choice what the config asked for ("auto", "ipvs", "nftables")
 * @param engine the engine running ("ipvs", "nftables")
 * @param reason why: the config named it, or what auto found on this kernel
 */
public record EngineChoice(String choice, String engine, String reason) {
}
