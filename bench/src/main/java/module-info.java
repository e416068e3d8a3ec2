/**
 * Waterfall's JMH benchmarks. Never deployed; run from the shaded {@code benchmarks.jar}.
 */
module dev.waterfall.bench {
    requires dev.waterfall.config;
    requires dev.waterfall.config.binding;
    requires dev.waterfall.file;
    requires jmh.core;
    requires java.sql;
    requires java.management;

    opens dev.waterfall.bench;
    opens dev.waterfall.bench.jmh_generated;
}
