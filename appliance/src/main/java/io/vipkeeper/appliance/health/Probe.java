package io.vipkeeper.appliance.health;

import io.netty.channel.EventLoop;
import java.util.function.Consumer;

/** One kind of check bound to one real server; runs one check at a time and never blocks the loop. */
interface Probe {
    /** Starts a check on {@code loop}; {@code done} is called once, on {@code loop}, within the timeout. */
    void run(EventLoop loop, Consumer<CheckResult> done);
}
