package io.vipkeeper.appliance.api;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.vipkeeper.appliance.config.ApiSettings;
import java.util.Optional;

/**
 * Who may read the control socket: every local user, or with {@code api.socket-read =
 * control-group} only those {@link Caller} lets change runtime state there (root and the members of
 * {@code api.control-group}). The TCP listener is not its business: whoever reaches it may read.
 */
final class SocketReadGate {
    private final ControlAccess access;

    SocketReadGate(ControlAccess access) {
        this.access = access;
    }

    /** Why a request on {@code ch} may not be answered under {@code api}; empty when it may. */
    Optional<String> refusal(Channel ch, HttpHeaders headers, ApiSettings api) {
        if (!api.socketReadsRestricted() || !(ch instanceof EpollDomainSocketChannel)) {
            return Optional.empty();
        }
        Caller caller = Caller.of(ch, headers, access, api);
        return caller.refusal(api, access).map(r -> caller.who() + " may not read the control socket: api.socket-read"
                + " = control-group lets root" + api.controlGroup().map(g -> " and members of group " + g).orElse("")
                + " read it, no one else");
    }
}
