package io.vipkeeper.vrrp.transport;

import io.vipkeeper.vrrp.fsm.VrrpScheduler;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One broadcast segment in memory for multi-router tests: multicast reaches every other attached
 * node, unicast the addressed one, after a fixed latency on the given scheduler (a virtual clock in
 * tests). Links can go down, the segment can be partitioned, and messages can be lost.
 */
public final class InMemoryNetwork {
    private final VrrpScheduler scheduler;
    private final long latencyNanos;
    /** Attached nodes; a host may have several per address (one per socket, as on Linux). */
    private final List<Node> nodes = new ArrayList<>();
    private final Map<InetAddress, Integer> side = new HashMap<>();
    private int dropNext;
    private long delivered;

    /** A segment whose messages arrive {@code latencyNanos} after they are sent. */
    public InMemoryNetwork(VrrpScheduler scheduler, long latencyNanos) {
        this.scheduler = scheduler;
        this.latencyNanos = latencyNanos;
    }

    /** Attaches a node with this primary address. */
    public VrrpTransport attach(InetAddress address) {
        Node node = new Node(address);
        nodes.add(node);
        return node;
    }

    /** Takes the link of every node with this address down or up: none sends or receives while down. */
    public void setLinkUp(InetAddress address, boolean up) {
        for (Node node : nodes) {
            if (node.address.equals(address)) {
                node.up = up;
            }
        }
    }

    /** Splits the segment: the given addresses on one side, everyone else on the other. */
    public void partition(Set<InetAddress> oneSide) {
        side.clear();
        for (Node n : nodes) {
            side.put(n.address, oneSide.contains(n.address) ? 1 : 0);
        }
    }

    /** Joins the segment again. */
    public void heal() {
        side.clear();
    }

    /** Loses the next {@code count} messages sent by anyone. */
    public void dropNext(int count) {
        dropNext = count;
    }

    /** Messages delivered so far (each receiver counts once). */
    public long delivered() {
        return delivered;
    }

    private void send(Node from, byte[] message, InetAddress destination) {
        if (!from.up) {
            return;
        }
        if (dropNext > 0) {
            dropNext--;
            return;
        }
        List<Node> targets = new ArrayList<>();
        for (Node n : nodes) {
            boolean addressed = destination.isMulticastAddress() || n.address.equals(destination);
            if (!n.address.equals(from.address) && addressed && side.getOrDefault(n.address, 0).equals(side.getOrDefault(from.address, 0))) {
                targets.add(n);
            }
        }
        byte[] copy = message.clone();
        for (Node n : targets) {
            scheduler.schedule(() -> n.deliver(new InboundPacket(from.address, destination, 255, copy)),
                    latencyNanos);
        }
    }

    private final class Node implements VrrpTransport {
        private final InetAddress address;
        private Consumer<InboundPacket> receiver = p -> { };
        private boolean up = true;
        private boolean closed;

        Node(InetAddress address) {
            this.address = address;
        }

        void deliver(InboundPacket packet) {
            if (up && !closed) {
                delivered++;
                receiver.accept(packet);
            }
        }

        @Override
        public InetAddress sourceAddress() {
            return address;
        }

        @Override
        public void send(byte[] message, InetAddress destination) {
            if (!closed) {
                InMemoryNetwork.this.send(this, message, destination);
            }
        }

        @Override
        public void onReceive(Consumer<InboundPacket> newReceiver) {
            this.receiver = newReceiver;
        }

        @Override
        public void close() {
            closed = true;
            nodes.remove(this);
        }
    }
}
