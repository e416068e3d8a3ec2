/**
 * The store contract suite: what it means to be a Waterfall store, as tests every backend runs.
 * Test scope only.
 */
module dev.waterfall.contract {
    requires transitive dev.waterfall.config;
    requires transitive dev.waterfall.file;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.waterfall.contract;
    opens dev.waterfall.contract to org.junit.platform.commons;
}
