package io.vipkeeper.appliance.nftables;

/** A script nftables refused as a whole (nothing of it was applied), with nft's own error text. */
public final class NftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A refusal whose message is nft's error output. */
    public NftException(String message) {
        super(message);
    }
}
