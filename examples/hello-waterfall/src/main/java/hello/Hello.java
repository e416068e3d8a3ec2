package hello;

import dev.waterfall.config.Resolved;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;

/**
 * Reads two settings, says where each came from, and counts its runs in the user's store.
 *
 * <pre>
 * greeting = Hello, world   (defaults jar:file:/.../hello-waterfall.jar!/defaults.json:2)
 * runs = 0   (defaults jar:file:/.../hello-waterfall.jar!/defaults.json:3)
 * set runs = 1
 * runs = 1   (store /home/me/.config/hello/config.json:2)
 * </pre>
 *
 * The defaults ship inside the jar, at its root (a resource inside a package would be encapsulated
 * on the module path). The store is the default one, {@code ~/.config/hello/config.json}, created by
 * the first write; {@code HELLO_STORE} picks another, {@code HELLO_GREETING} overrides the greeting.
 * Every failure a user or a file can cause is a {@link WaterfallException} with a one-line message.
 */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) {
        try (Waterfall config = Waterfall.builder("hello")
                .defaultsResource(Hello.class, "/defaults.json")
                .open()) {
            Resolved greeting = config.get("greeting").orElseThrow();
            System.out.println("greeting = " + greeting.asText() + "   (" + greeting.origin() + ")");

            Resolved runs = config.get("runs").orElseThrow();
            System.out.println("runs = " + runs.asLong() + "   (" + runs.origin() + ")");

            long next = runs.asLong() + 1;
            config.set("runs", Value.of(next));
            System.out.println("set runs = " + next);

            Resolved after = config.get("runs").orElseThrow();
            System.out.println("runs = " + after.asLong() + "   (" + after.origin() + ")");
        } catch (WaterfallException e) {
            // A broken store file, an unknown HELLO_STORE scheme, a "runs" that is not a number:
            // the message names the file, key or value and what to do; nothing was lost.
            System.err.println("hello: " + e.getMessage());
            System.exit(1);
        }
    }
}
