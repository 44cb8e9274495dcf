package io.vipkeeper.appliance.it;

/**
 * The behaviour suite ({@link EngineBehaviour}) on the nftables engine, on the host kernel: the
 * daemon with {@code data-plane = nftables} in a director namespace, {@code nft} as the oracle.
 */
class NftablesBehaviourIT extends EngineBehaviour {
    NftablesBehaviourIT() {
        super(new NftablesBehaviourEngine());
    }
}
