package io.vipkeeper.appliance.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigParseable;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a config file into {@link Settings}: parse (includes relative to the file, and every
 * include required), merge over {@code reference.conf}, resolve, then read and check everything.
 * Either every value is valid or {@link InvalidConfigException} lists every problem.
 */
public final class ConfigLoader {
    /** Where operators keep the file. */
    public static final Path DEFAULT_PATH = Path.of("/etc/vipkeeper/vipkeeper.conf");

    private ConfigLoader() {
    }

    /** Reads and validates {@code file}. */
    public static Settings load(Path file) throws InvalidConfigException {
        return load(file, ConfigCache.NONE);
    }

    /**
     * Reads and validates {@code file}, reusing from {@code cache} what did not change since the
     * load that filled it (the result is the same as without it).
     */
    public static Settings load(Path file, ConfigCache cache) throws InvalidConfigException {
        Problems problems = new Problems();
        String name = file.toString();
        if (!Files.exists(file)) {
            problems.add(new ConfigProblem(name, 0, "cannot read: no such file"));
        } else if (!Files.isRegularFile(file)) {
            problems.add(new ConfigProblem(name, 0, "cannot read: not a regular file"));
        } else if (!Files.isReadable(file)) {
            problems.add(new ConfigProblem(name, 0, "cannot read: permission denied"));
        }
        problems.throwIfAny();
        Config user;
        Config merged;
        try {
            ConfigParseOptions options = ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF)
                    .setAllowMissing(false)
                    .setIncluder(new RequiredIncluder(cache));
            user = ConfigFactory.parseFile(file.toFile(), options);
            merged = user.withFallback(reference()).resolve(ConfigResolveOptions.noSystem());
        } catch (ConfigException e) {
            problems.add(fromException(e, name));
            problems.throwIfAny();
            throw new AssertionError(e);
        }
        Settings settings = SettingsReader.read(new ConfigNode("", merged.root(), user.root(), problems), file,
                cache);
        problems.throwIfAny();
        return settings;
    }

    private static boolean sameBytes(String file, byte[] content) {
        try {
            return java.util.Arrays.equals(Files.readAllBytes(Path.of(file)), content);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The bundled defaults. */
    static Config reference() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** A parse, include or substitution failure as a problem at its file and line. */
    private static ConfigProblem fromException(ConfigException e, String file) {
        String message = e.getMessage();
        if (e.origin() != null) {
            String prefix = e.origin().description() + ": ";
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
            if (message.startsWith("expecting a close parentheses ')' here, not: end of file")) {
                message = "unexpected end of file: a '{' or '[' is not closed";
            }
            ConfigProblem at = ConfigProblem.at(e.origin(), "");
            String kind = e instanceof ConfigException.UnresolvedSubstitution ? "unresolved substitution: "
                    : e instanceof ConfigException.IO ? "cannot read: " : "syntax error: ";
            return new ConfigProblem(at.file(), at.line(), kind + message);
        }
        return new ConfigProblem(file, 0, message);
    }

    /**
     * Makes every {@code include} required: HOCON skips a missing include silently, which hides a
     * typo in a file name as thoroughly as keepalived hides a typo in a keyword.
     */
    private static final class RequiredIncluder implements ConfigIncluder {
        private final ConfigCache cache;
        /** Includes done so far in this load, shared by the copies typesafe-config makes. */
        private final long[] includes;

        RequiredIncluder(ConfigCache cache) {
            this(cache, new long[1]);
        }

        private RequiredIncluder(ConfigCache cache, long[] includes) {
            this.cache = cache;
            this.includes = includes;
        }

        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return new RequiredIncluder(cache, includes);
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            ConfigParseOptions options = context.parseOptions().setAllowMissing(false);
            ConfigParseable relative = context.relativeTo(what);
            if (relative != null && relative.origin().filename() != null) {
                includes[0]++;
                String file = relative.origin().filename();
                byte[] content;
                try {
                    content = Files.readAllBytes(Path.of(file));
                } catch (java.io.IOException | RuntimeException e) {
                    return relative.parse(options);
                }
                long before = includes[0];
                // Kept only if it included nothing (a nested file could change unseen) and did not
                // change while it was parsed.
                return cache.parse(file, content, () -> relative.parse(options), () -> includes[0] == before
                        && sameBytes(file, content));
            }
            // typesafe-config falls back to the classpath when no such file sits next to the
            // including one; name the file the operator meant instead.
            ConfigParseable here = context.relativeTo(".");
            String meant = here == null || here.origin().filename() == null ? what
                    : Path.of(here.origin().filename()).getParent().resolve(what).normalize().toString();
            throw new ConfigException.IO(ConfigOriginFactory.newSimple(meant), "no such file (named in an include)");
        }
    }
}
