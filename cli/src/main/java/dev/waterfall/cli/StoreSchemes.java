package dev.waterfall.cli;

import dev.waterfall.config.spi.ConfigStoreProvider;

import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * What the shell offers after {@code --store}: the scheme of every store backend installed beside
 * the command ({@code json:}, {@code ndjson:}, {@code postgresql:}, {@code sqlite:}, {@code toml:}),
 * found as {@code Waterfall} finds them, with {@link ServiceLoader}, so a backend added to the
 * command completes too. Picocli keeps the object and asks for the schemes only when it writes a
 * completion script, so other commands never load the backends for it.
 */
final class StoreSchemes implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        TreeSet<String> schemes = new TreeSet<>();
        for (ConfigStoreProvider provider : ServiceLoader.load(ConfigStoreProvider.class, StoreSchemes.class.getClassLoader())) {
            for (String scheme : provider.schemes()) {
                schemes.add(scheme + ":");
            }
        }
        return schemes.iterator();
    }
}
