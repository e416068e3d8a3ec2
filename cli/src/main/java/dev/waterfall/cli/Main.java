package dev.waterfall.cli;

/**
 * The {@code waterfall} command's entry point: {@link WaterfallCli#main}, from a class that names no
 * picocli type. The Java launcher looks the main method up among all of its class's methods, which
 * loads every type in their signatures; on {@link WaterfallCli} that is picocli's
 * {@code CommandLine}, a class of 500 KB that no start-up archive can hold (a Java 5 class file), read
 * and parsed before every command, also a plain {@code get} that {@link QuickGet} runs without picocli.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        WaterfallCli.main(args);
    }
}
