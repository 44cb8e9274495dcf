package io.vipkeeper.appliance.api;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/** The metric families of one scrape, filled sample by sample and built at the end. */
final class MetricFamilies {
    private final List<Family> families = new ArrayList<>();

    /** One family: a gauge or a counter (named without {@code _total}; the writer appends it). */
    static final class Family {
        private final String name;
        private final String help;
        private final boolean counter;
        private final List<Double> values = new ArrayList<>();
        private final List<Labels> labels = new ArrayList<>();

        private Family(String name, String help, boolean counter) {
            this.name = name;
            this.help = help;
            this.counter = counter;
        }

        /** Adds a sample; {@code labelPairs} are name, value, name, value, ... */
        Family add(double value, String... labelPairs) {
            values.add(value);
            labels.add(Labels.of(labelPairs));
            return this;
        }

        private MetricSnapshot build() {
            if (counter) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                for (int i = 0; i < values.size(); i++) {
                    b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(values.get(i))
                            .labels(labels.get(i)).build());
                }
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            for (int i = 0; i < values.size(); i++) {
                b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(values.get(i)).labels(labels.get(i))
                        .build());
            }
            return b.build();
        }
    }

    /** A new gauge family. */
    Family gauge(String name, String help) {
        Family f = new Family(name, help, false);
        families.add(f);
        return f;
    }

    /** A new counter family; {@code name} without {@code _total}. */
    Family counter(String name, String help) {
        Family f = new Family(name, help, true);
        families.add(f);
        return f;
    }

    /** Every family, samples in the order added. */
    MetricSnapshots build() {
        MetricSnapshots.Builder b = MetricSnapshots.builder();
        families.forEach(f -> b.metricSnapshot(f.build()));
        return b.build();
    }
}
