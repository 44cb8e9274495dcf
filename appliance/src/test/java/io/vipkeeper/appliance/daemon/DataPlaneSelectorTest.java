package io.vipkeeper.appliance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipkeeper.appliance.config.DataPlaneChoice;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.DataPlane;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.ipvs.SyncDaemonState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** auto's probe order and reasons, and that a running engine cannot change in a reload. */
class DataPlaneSelectorTest {
    private final List<String> calls = new ArrayList<>();

    private Supplier<IpvsKernel> ipvs(boolean present) {
        return () -> {
            calls.add("ipvs");
            if (!present) {
                throw new IllegalStateException("no IPVS family");
            }
            return new FakeIpvs();
        };
    }

    private Supplier<DataPlane> nft(boolean present) {
        return () -> {
            calls.add("nftables");
            if (!present) {
                throw new IllegalStateException("no libnftables");
            }
            return new FakeIpvs();
        };
    }

    private Supplier<String> modprobe(String answer) {
        return () -> {
            calls.add("modprobe");
            return answer;
        };
    }

    @Test
    void autoTakesIpvsWhenTheKernelHasIt() {
        DataPlaneSelector s = new DataPlaneSelector(ipvs(true), nft(true), modprobe("ok"));
        DataPlaneSelector.Engine e = s.resolve(DataPlaneChoice.AUTO);
        assertEquals("ipvs", e.name());
        assertEquals("the kernel has IPVS", e.choice().reason());
        assertEquals(List.of("ipvs"), calls);
    }

    @Test
    void autoFallsBackToNftablesAndSaysWhyOnceOnly() {
        DataPlaneSelector s = new DataPlaneSelector(ipvs(false), nft(true), modprobe("Module ip_vs not found"));
        DataPlaneSelector.Engine e = s.resolve(DataPlaneChoice.AUTO);
        assertEquals("nftables", e.name());
        assertEquals("the kernel has no IPVS (no IPVS family; modprobe ip_vs: Module ip_vs not found)",
                e.choice().reason());
        assertEquals(List.of("ipvs", "modprobe", "ipvs", "nftables"), calls);
        s.resolve(DataPlaneChoice.AUTO);
        assertEquals(4, calls.size(), "a reload does not probe again");
    }

    @Test
    void aNamedEngineIsNotProbed() {
        DataPlaneSelector s = new DataPlaneSelector(ipvs(false), nft(false), modprobe("no"));
        assertEquals("nftables", s.resolve(DataPlaneChoice.NFTABLES).name());
        assertEquals("ipvs", s.resolve(DataPlaneChoice.IPVS).name());
        assertEquals(List.of(), calls);
    }

    @Test
    void withNeitherAutoStaysWithIpvsWhichRetries() {
        DataPlaneSelector s = new DataPlaneSelector(ipvs(false), nft(false), modprobe("no"));
        DataPlaneSelector.Engine e = s.resolve(DataPlaneChoice.AUTO);
        assertEquals("ipvs", e.name());
        assertTrue(e.choice().reason().endsWith("and nftables cannot be used (no libnftables)"), e.choice().reason());
    }

    /** The hostile review of issue 16: a libnftables that cannot be bound threw an Error through the probe. */
    @Test
    void aLibraryThatCannotBeBoundIsAReasonNotACrash() {
        DataPlaneSelector s = new DataPlaneSelector(ipvs(false), () -> {
            throw new UnsatisfiedLinkError("libnftables.so.1: file too short");
        }, modprobe("no"));
        DataPlaneSelector.Engine e = s.resolve(DataPlaneChoice.AUTO);
        assertEquals("ipvs", e.name());
        assertTrue(e.choice().reason().endsWith("nftables cannot be used (libnftables.so.1: file too short)"),
                e.choice().reason());
    }

    @Test
    void onceFixedAConfigThatMovesToAnotherEngineIsRefused() {
        DataPlaneSelector s = new DataPlaneSelector(ipvs(false), nft(true), modprobe("no"));
        s.fix(s.resolve(DataPlaneChoice.AUTO));
        assertEquals("nftables", s.capabilities(DataPlaneChoice.NFTABLES).engine());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.capabilities(DataPlaneChoice.IPVS));
        assertEquals("this daemon runs the nftables data plane; moving to ipvs takes a restart", e.getMessage());
    }

    /** Opens and closes; nothing else is called by the selector. */
    private static final class FakeIpvs implements IpvsKernel {
        @Override
        public Map<ServiceKey, ActualService> table() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Failure> apply(List<TableChange> changes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SyncDaemonState> syncDaemons() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void startSyncDaemon(SyncDaemonState d) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stopSyncDaemon(int state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.vipkeeper.appliance.ipvs.IpvsTimeouts timeouts() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setTimeouts(io.vipkeeper.appliance.ipvs.IpvsTimeouts t) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
