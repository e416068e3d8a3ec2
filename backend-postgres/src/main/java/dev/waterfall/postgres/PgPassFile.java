package dev.waterfall.postgres;

import dev.waterfall.config.spi.StoreContext;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL's password file, read as libpq reads it: {@code PGPASSFILE} or {@code ~/.pgpass}, lines
 * of {@code hostname:port:database:username:password} where {@code *} matches anything and
 * {@code \:} and {@code \\} escape; the first matching line wins. A file that others can read or
 * write is ignored with a warning, as libpq does.
 */
final class PgPassFile {

    private static final System.Logger LOG = System.getLogger(PgPassFile.class.getName());

    private final Path file;

    private PgPassFile(Path file) {
        this.file = file;
    }

    /** The password file of this context's environment and home. */
    static PgPassFile of(StoreContext context) {
        String configured = context.environment().get("PGPASSFILE");
        return new PgPassFile(configured != null && !configured.isBlank()
                ? context.resolvePath(configured)
                : context.home().resolve(".pgpass"));
    }

    /** The password for these connection parameters, if a line matches. */
    Optional<String> lookup(String host, int port, String database, String user) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.log(Level.WARNING, "password file " + file + " is readable or writable by others and is ignored;"
                        + " chmod 600 it");
                return Optional.empty();
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (UnsupportedOperationException e) {
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException io) {
                return unreadable(io);
            }
        } catch (IOException e) {
            return unreadable(e);
        }
        String[] wanted = {host, Integer.toString(port), database, user};
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = split(line);
            if (fields.size() < 5) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < 4 && matches; i++) {
                matches = fields.get(i).equals("*") || fields.get(i).equals(wanted[i]);
            }
            if (matches) {
                return Optional.of(fields.get(4));
            }
        }
        return Optional.empty();
    }

    private Optional<String> unreadable(IOException e) {
        LOG.log(Level.WARNING, "cannot read the password file " + file + ": " + dev.waterfall.config.spi.Echo.cause(e));
        return Optional.empty();
    }

    /** Splits on unescaped colons; the fifth field takes the rest of the line. */
    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
