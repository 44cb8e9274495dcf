package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.codec.VrrpEncoder;
import io.vipkeeper.vrrp.protocol.VrrpAdvertisement;
import io.vipkeeper.vrrp.protocol.VrrpMulticast;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RouterActions} over a transport: encodes each advertisement for the multicast group or
 * for every unicast peer, and delegates address ownership.
 */
public final class TransportActions implements RouterActions {
    private static final Logger LOG = LoggerFactory.getLogger(TransportActions.class);

    private final VrrpTransport transport;
    private final List<InetAddress> destinations;
    private final AddressOwner owner;
    private final HmacAuth hmac;

    /** Sends to {@code unicastPeers}, or to the VRRP group when that list is empty. */
    public TransportActions(VrrpTransport transport, List<InetAddress> unicastPeers, AddressOwner owner) {
        this(transport, unicastPeers, owner, null);
    }

    /** The same, signing every advert with {@code hmac} when it is not null. */
    public TransportActions(VrrpTransport transport, List<InetAddress> unicastPeers, AddressOwner owner,
            HmacAuth hmac) {
        this.hmac = hmac;
        this.transport = transport;
        this.destinations = unicastPeers.isEmpty()
                ? List.of(VrrpMulticast.groupFor(transport.sourceAddress()))
                : List.copyOf(unicastPeers);
        this.owner = owner;
    }

    @Override
    public void sendAdvertisement(VrrpAdvertisement advertisement) {
        for (InetAddress destination : destinations) {
            try {
                byte[] message = VrrpEncoder.encode(advertisement, transport.sourceAddress(), destination);
                transport.send(hmac == null ? message : hmac.sign(message, transport.sourceAddress()), destination);
            } catch (RuntimeException e) {
                // A full socket buffer or a vanished interface must not stop the state machine.
                LOG.warn("advert to {} not sent: {}", destination.getHostAddress(), e.toString());
            }
        }
    }

    @Override
    public void claimAddresses() {
        owner.claim();
    }

    @Override
    public void prepareClaim() {
        owner.prepareClaim();
    }

    @Override
    public void releaseAddresses() {
        owner.release();
    }

    @Override
    public void stopAnnouncing() {
        owner.stopAnnouncing();
    }
}
