package io.vipkeeper.vrrp.codec;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.vipkeeper.vrrp.transport.InboundPacket;
import java.util.List;

/** Netty face of {@link VrrpDecoder}: {@link InboundPacket} in, {@link DecodeResult} out. */
@Sharable
public final class VrrpDecoderHandler extends MessageToMessageDecoder<InboundPacket> {

    /** The one instance; the handler keeps no state. */
    public static final VrrpDecoderHandler INSTANCE = new VrrpDecoderHandler();

    private VrrpDecoderHandler() {
        super(InboundPacket.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, InboundPacket msg, List<Object> out) {
        out.add(VrrpDecoder.decode(msg));
    }
}
