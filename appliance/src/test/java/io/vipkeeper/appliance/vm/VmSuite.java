package io.vipkeeper.appliance.vm;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs every test tagged {@code ipvs-vm} in one JVM inside the real-IPVS VM (one boot for the
 * whole suite, since the JVM is 10-25x slower under TCG). Prints one line per test and a summary;
 * exits 0 only if at least one test ran and none failed. Refuses to run outside the VM, because the
 * tests program IPVS and interfaces in the namespace they run in.
 * Optional arguments: a regular expression on test class names, and one on "Class#method" names,
 * to run a subset (steps of an ordered class may depend on earlier ones).
 */
public final class VmSuite {
    /** The tag of tests that need the VM's kernel. */
    public static final String TAG = "ipvs-vm";

    private VmSuite() {
    }

    public static void main(String[] args) throws Exception {
        if (!Files.readString(Path.of("/proc/cmdline")).contains("vk.results=")) {
            System.err.println("VmSuite runs only inside the real-IPVS VM (vagrant/ipvs-vm/run)");
            System.exit(2);
        }
        // Jupiter's alone: the VM tests are all Jupiter tests, and the ArchUnit engine resolves a
        // package selector by importing every class in it (about 1,100, each logged at debug over
        // the VM's console), which took 17 s of the CI run's boot-to-first-test and 90 s under load.
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectPackage("io.vipkeeper"))
                .filters(EngineFilter.includeEngines("junit-jupiter"), TagFilter.includeTags(TAG));
        if (args.length > 0) {
            request.filters(ClassNameFilter.includeClassNamePatterns(args[0]));
        }
        if (args.length > 1) {
            // Fully qualified method names: "io.vipkeeper...Class#method".
            request.filters(org.junit.platform.launcher.MethodFilter.includeMethodNamePatterns(args[1]));
        }
        LauncherDiscoveryRequest built = request.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(built, summary, new Progress());
        TestExecutionSummary s = summary.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printFailuresTo(out, 25);
        s.printTo(out);
        boolean ok = s.getTestsSucceededCount() > 0 && s.getTotalFailureCount() == 0;
        out.println(ok ? "VM SUITE PASSED" : "VM SUITE FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static String name(TestIdentifier id) {
        return id.getSource().filter(org.junit.platform.engine.support.descriptor.MethodSource.class::isInstance)
                .map(src -> (org.junit.platform.engine.support.descriptor.MethodSource) src)
                .map(m -> m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1) + "." + m.getMethodName())
                .orElse(id.getDisplayName());
    }

    /** One line per finished test, with its time, so a slow or hanging test is visible as it runs. */
    private static final class Progress implements TestExecutionListener {
        private final java.util.Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            long ms = (System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1_000_000;
            if (id.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                System.out.printf("[vm] %-7s %6d ms  %s%s%n", result.getStatus(), ms, name(id),
                        result.getThrowable().map(t -> "  -- " + t).orElse(""));
            }
        }
    }
}
