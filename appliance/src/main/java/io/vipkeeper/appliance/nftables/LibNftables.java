package io.vipkeeper.appliance.nftables;

import jnr.ffi.Pointer;

/**
 * The part of libnftables (libnftables.so.1, see libnftables(3)) the engine calls, bound with
 * jnr-ffi. Only {@link NftContext} uses it.
 */
public interface LibNftables {
    /** nft_output_flags: NFT_CTX_OUTPUT_JSON. */
    int OUTPUT_JSON = 1 << 4;

    Pointer nft_ctx_new(int flags);

    void nft_ctx_free(Pointer ctx);

    int nft_ctx_buffer_output(Pointer ctx);

    int nft_ctx_buffer_error(Pointer ctx);

    String nft_ctx_get_output_buffer(Pointer ctx);

    String nft_ctx_get_error_buffer(Pointer ctx);

    void nft_ctx_output_set_flags(Pointer ctx, int flags);

    int nft_run_cmd_from_buffer(Pointer ctx, String buf);
}
