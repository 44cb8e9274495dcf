package io.vipkeeper.vrrp.fsm;

import io.netty.util.NetUtil;
import io.vipkeeper.vrrp.transport.InMemoryNetwork;
import io.vipkeeper.vrrp.transport.VrrpTransport;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Routers on one in-memory segment with a virtual clock; records who holds the VIP. */
final class SimulatedSegment {
    static final InetAddress VIP = ip("198.18.0.100");

    final VirtualClock clock = new VirtualClock();
    final InMemoryNetwork network = new InMemoryNetwork(clock, 100_000);
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final List<Transition> transitions = new ArrayList<>();

    static InetAddress ip(String literal) {
        return NetUtil.createInetAddressFromIpAddressString(literal);
    }

    /** A v3 router at 198.18.0.{host} with VRID 51, the given priority and 100 cs adverts. */
    Node add(String name, int host, int priority) {
        return add(name, host, priority, c -> c);
    }

    Node add(String name, int host, int priority, UnaryOperator<RouterConfig> tweak) {
        InetAddress primary = ip("198.18.0." + host);
        RouterConfig config = tweak.apply(RouterConfig.v3(name, 51, priority, 100, primary, List.of(VIP)));
        Node node = new Node(name, config);
        nodes.put(name, node);
        return node;
    }

    List<String> holders() {
        List<String> names = new ArrayList<>();
        nodes.values().forEach(n -> {
            if (n.holdsVip) {
                names.add(n.name);
            }
        });
        return names;
    }

    List<String> masters() {
        List<String> names = new ArrayList<>();
        nodes.values().forEach(n -> {
            if (n.router.state() == RouterState.MASTER) {
                names.add(n.name);
            }
        });
        return names;
    }

    final class Node implements AddressOwner {
        final String name;
        final InetAddress address;
        final VrrpTransport transport;
        final VirtualRouter router;
        final VrrpDispatcher dispatcher;
        boolean holdsVip;
        int claims;
        /** prepare, claim and release calls in order. */
        final List<String> ownerCalls = new java.util.ArrayList<>();

        Node(String name, RouterConfig config) {
            this.name = name;
            this.address = config.primaryAddress();
            this.transport = network.attach(address);
            this.router = new VirtualRouter(config, clock, new TransportActions(transport, List.of(), this));
            this.dispatcher = new VrrpDispatcher(transport);
            dispatcher.add(router);
            router.addListener(transitions::add);
        }

        @Override
        public void prepareClaim() {
            ownerCalls.add("prepare");
        }

        @Override
        public void claim() {
            ownerCalls.add("claim");
            holdsVip = true;
            claims++;
        }

        @Override
        public void release() {
            ownerCalls.add("release");
            holdsVip = false;
        }

        /** A crash: no priority 0, the VIP vanishes with the host. */
        void crash() {
            network.setLinkUp(address, false);
            holdsVip = false;
        }

        RouterState state() {
            return router.state();
        }
    }
}
