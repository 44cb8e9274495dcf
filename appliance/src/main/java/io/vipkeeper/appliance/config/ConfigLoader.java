package io.vipkeeper.appliance.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigParseable;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Loads a config file into {@link Settings}: parse (includes relative to the file, and every
 * include required), merge over {@code reference.conf}, resolve, then read and check everything.
 * Either every value is valid or {@link InvalidConfigException} lists every problem.
 */
public final class ConfigLoader {
    /** Where operators keep the file. */
    public static final Path DEFAULT_PATH = Path.of("/etc/vipkeeper/vipkeeper.conf");
    /** Parses of a file that keeps changing under the parser before the load gives up. */
    static final int READ_ATTEMPTS = 4;
    /** The problem, at line 1 of the main file, with a config that overflows the stack or heap. */
    static final String TOO_LARGE_TO_RESOLVE = "too deeply nested or too large to resolve";

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
        return load(file, cache, DataPlaneResolver.ANY);
    }

    /**
     * The same, with the virtual servers checked against the engine {@code engines} names for the
     * file's {@code data-plane} (a scheduler it lacks is a problem at the scheduler's line).
     */
    public static Settings load(Path file, ConfigCache cache, DataPlaneResolver engines) throws InvalidConfigException {
        return load(file, cache, engines, NodeChoice.HOST_NAME);
    }

    /** The same, as node {@code node} sees the file (its block of {@code nodes} merged over the rest). */
    public static Settings load(Path file, ConfigCache cache, DataPlaneResolver engines, NodeChoice node)
            throws InvalidConfigException {
        return load(file, cache, engines, node, () -> {
        });
    }

    /** Node {@code node}'s view of {@code file}, read and checked. */
    public static Settings load(Path file, NodeChoice node) throws InvalidConfigException {
        return load(file, ConfigCache.NONE, DataPlaneResolver.ANY, node);
    }

    static Settings load(Path file, ConfigCache cache, Runnable afterParse) throws InvalidConfigException {
        return load(file, cache, DataPlaneResolver.ANY, NodeChoice.HOST_NAME, afterParse);
    }

    /**
     * The load, with {@code afterParse} run after every parse: tests change files there, as a
     * writer racing the parse would.
     */
    static Settings load(Path file, ConfigCache cache, DataPlaneResolver engines, NodeChoice node, Runnable afterParse)
            throws InvalidConfigException {
        return load(file, cache, engines, node, afterParse, HostNetwork.LINUX);
    }

    /**
     * The load, judging what depends on the host (interfaces, addresses, the bgp device) against
     * {@code host}: {@link HostNetwork#UNKNOWN} for another node's view of a shared file.
     */
    static Settings load(Path file, ConfigCache cache, DataPlaneResolver engines, NodeChoice node, Runnable afterParse,
            HostNetwork host) throws InvalidConfigException {
        return load(file, cache, engines, node, afterParse, host, false);
    }

    /**
     * The load the daemon runs at start and reload: also refuses, at their lines, addresses whose own
     * interface this host lacks (the daemon cannot place them: a start failed, a reload left the
     * instance half-replaced); {@code check} warns about them instead, since it may run elsewhere.
     */
    public static Settings loadToRun(Path file, ConfigCache cache, DataPlaneResolver engines, NodeChoice node)
            throws InvalidConfigException {
        return load(file, cache, engines, node, () -> {
        }, HostNetwork.LINUX, true);
    }

    private static Settings load(Path file, ConfigCache cache, DataPlaneResolver engines, NodeChoice node,
            Runnable afterParse, HostNetwork host, boolean toRun) throws InvalidConfigException {
        UnaryOperator<String> names = names(file);
        requireReadable(file, names);
        return guarded(file, () -> readAndCheck(file, file.toAbsolutePath(), names, cache, engines, node, afterParse, host,
                toRun));
    }

    /**
     * Includes are found next to the including file: a bare "vipkeeper.conf" has no parent to look
     * in, so the parser is given the absolute path and problems name the file as given.
     */
    private static UnaryOperator<String> names(Path file) {
        String absolute = file.toAbsolutePath().toString();
        return f -> f.equals(absolute) ? file.toString() : f;
    }

    /** What a load of {@code file} does, which may take too much stack or heap. */
    private interface Load<T> {
        T run() throws InvalidConfigException;
    }

    /** {@code load} run, a file too deep or too large for it a problem like any other. */
    private static <T> T guarded(Path file, Load<T> load) throws InvalidConfigException {
        try {
            return load.run();
        } catch (StackOverflowError | OutOfMemoryError e) {
            // Thousands of nested blocks overflow the parser's stack, a doubling substitution
            // (x1 = ${x0} ${x0}, x2 = ${x1} ${x1}, ...) fills any heap: a bad file like any other,
            // not an error that kills the reload thread or check with a stack trace. Both unwind
            // here, so what they took is free again.
            throw new InvalidConfigException(List.of(new ConfigProblem(file.toString(), 1, TOO_LARGE_TO_RESOLVE)));
        }
    }

    /** The names in {@code file}'s nodes block, sorted; empty when it has none. */
    public static List<String> nodeNames(Path file) throws InvalidConfigException {
        return Nodes.names(parseOnly(file).user());
    }

    /**
     * Node {@code node}'s view of {@code file} as the files wrote it (no defaults), and merged over
     * the defaults and resolved: what {@code check --print} shows.
     */
    static Parsed parseOnly(Path file, NodeChoice node) throws InvalidConfigException {
        Parsed parsed = parseOnly(file);
        Problems problems = new Problems(names(file));
        Config user = Nodes.view(parsed.user(), node, problems);
        problems.throwIfAny();
        return guarded(file, () -> new Parsed(user, user.withFallback(reference()).resolve(ConfigResolveOptions.noSystem())));
    }

    /** The file parsed, every node's block in place; throws on a file that does not parse. */
    private static Parsed parseOnly(Path file) throws InvalidConfigException {
        UnaryOperator<String> names = names(file);
        requireReadable(file, names);
        Problems problems = new Problems(names);
        Parsed parsed = guarded(file, () -> parse(file.toAbsolutePath(), ConfigCache.NONE, new FilesRead(), problems, null));
        problems.throwIfAny();
        return parsed;
    }

    /** Throws when {@code file} is missing, not a file or not readable. */
    private static void requireReadable(Path file, UnaryOperator<String> names) throws InvalidConfigException {
        String name = file.toString();
        Problems problems = new Problems(names);
        if (!Files.exists(file)) {
            problems.add(new ConfigProblem(name, 0, "cannot read: no such file"));
        } else if (!Files.isRegularFile(file)) {
            problems.add(new ConfigProblem(name, 0, "cannot read: not a regular file"));
        } else if (!Files.isReadable(file)) {
            problems.add(new ConfigProblem(name, 0, "cannot read: permission denied"));
        }
        problems.throwIfAny();
    }

    /** Parses, re-parsing while a file changes under the parser, then reads and checks. */
    private static Settings readAndCheck(Path file, Path absolute, UnaryOperator<String> names, ConfigCache cache,
            DataPlaneResolver engines, NodeChoice node, Runnable afterParse, HostNetwork host, boolean toRun)
            throws InvalidConfigException {
        Problems problems;
        for (int attempt = 1; ; attempt++) {
            problems = new Problems(names);
            FilesRead files = new FilesRead();
            Parsed parsed = parse(absolute, cache, files, problems, node);
            afterParse.run();
            // A file written while it was parsed (an editor saving in place, a copy still running)
            // gives half a config, or a syntax error that is not the operator's: read it again.
            Optional<Path> changed = files.changed();
            if (changed.isPresent() && attempt < READ_ATTEMPTS) {
                pause(attempt);
                continue;
            }
            if (changed.isPresent()) {
                problems = new Problems(names);
                problems.add(new ConfigProblem(changed.get().toString(), 0, "changed while it was being read, "
                        + READ_ATTEMPTS + " times in a row; is something still writing it?"));
            }
            problems.throwIfAny();
            FileShape.checkWrapper(parsed.user().root(), problems);
            problems.throwIfAny();
            Settings settings = SettingsReader.read(new ConfigNode("", parsed.merged().root(), parsed.user().root(),
                    problems), file, files.digest(), SecretFiles.warnings(parsed.merged().root(), names), cache, engines);
            problems.throwIfAny();
            BgpDeviceCheck.check(settings.bgp(), host).ifPresent(problems::add);
            if (toRun) {
                CheckWarnings.missingAddressInterfaces(settings, parsed.merged().root(), names, host).forEach(problems::add);
            }
            problems.throwIfAny();
            return settings.withWarnings(CheckWarnings.of(settings, parsed.merged().root(), names, host));
        }
    }

    /** A parse: the tree as the files wrote it, and merged over the defaults and resolved. */
    record Parsed(Config user, Config merged) {
    }

    /**
     * Parses {@code file} and its includes, recording each in {@code files}, as {@code node} sees it
     * (null: every node's block as written, unresolved); null after a problem.
     */
    private static Parsed parse(Path file, ConfigCache cache, FilesRead files, Problems problems, NodeChoice node) {
        try {
            if (FileShape.refuseKeepalived(file.toString(), files.read(file), problems)) {
                return null;
            }
            ConfigParseOptions options = ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF)
                    .setAllowMissing(false)
                    .setIncluder(new RequiredIncluder(cache, files, file));
            Config user = ConfigFactory.parseFile(file.toFile(), options);
            if (node == null) {
                return new Parsed(user, null);
            }
            user = Nodes.view(user, node, problems);
            return user == null ? null
                    : new Parsed(user, user.withFallback(reference()).resolve(ConfigResolveOptions.noSystem()));
        } catch (ConfigException e) {
            problems.add(SyntaxErrors.explain(fromException(e, file.toString()), files));
        } catch (FileShape.KeepalivedInclude e) {
            e.report(problems);
        } catch (FilesRead.Refused e) {
            problems.add(new ConfigProblem(file.toString(), 1, "cannot read: " + e.getMessage()));
        } catch (IOException e) {
            problems.add(new ConfigProblem(file.toString(), 0, "cannot read: " + e.getMessage()));
        }
        return null;
    }

    /** Waits a little longer each time for a writer to finish. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(50L << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bundled defaults, parsed once (a Config is immutable). */
    static Config reference() {
        return Reference.CONFIG;
    }

    /** Holder: parsed at first use, not when the class loads. */
    private static final class Reference {
        static final Config CONFIG = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
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
        /** Every file read in this load, shared by the copies typesafe-config makes. */
        private final FilesRead files;
        /** Includes done so far in this load, shared by the copies typesafe-config makes. */
        private final long[] includes;
        /** The files being parsed, innermost first: the top one holds the include at hand. */
        private final Deque<Path> parsing;

        RequiredIncluder(ConfigCache cache, FilesRead files, Path main) {
            this(cache, files, new long[1], new ArrayDeque<>(List.of(main)));
        }

        private RequiredIncluder(ConfigCache cache, FilesRead files, long[] includes, Deque<Path> parsing) {
            this.cache = cache;
            this.files = files;
            this.includes = includes;
            this.parsing = parsing;
        }

        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return new RequiredIncluder(cache, files, includes, parsing);
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
                    content = files.read(Path.of(file));
                } catch (FilesRead.Refused e) {
                    // Not handed to typesafe-config: it would read the FIFO or /dev/zero itself.
                    throw new ConfigException.IO(at(what), e.getMessage());
                } catch (IOException | RuntimeException e) {
                    return relative.parse(options);
                }
                FileShape.refuseKeepalivedInclude(file, content);
                long before = includes[0];
                // Kept only if it included nothing (a nested file could change unseen) and did not
                // change while it was parsed.
                return cache.parse(file, content, () -> {
                    parsing.push(Path.of(file));
                    try {
                        return relative.parse(options);
                    } finally {
                        parsing.pop();
                    }
                }, () -> includes[0] == before && FilesRead.holds(Path.of(file), content));
            }
            // typesafe-config falls back to the classpath when no such file sits next to the
            // including one; say so at the include's line, which is what the operator fixes.
            throw new ConfigException.IO(at(what), "include \"" + what + "\": no such file"
                    + (what.startsWith("/") ? "" : " next to this file"));
        }

        /** The line of the include of {@code what} in the file being parsed. */
        private ConfigOrigin at(String what) {
            Path including = parsing.peek();
            return ConfigOriginFactory.newFile(including.toString())
                    .withLineNumber(lineOf(files.content(including).orElse(new byte[0]), what));
        }

        /**
         * The line of the first include of {@code what} in {@code content} (typesafe-config tells an
         * includer neither the including file nor the line), comments left out; failing that (a
         * name written with escapes) the first include, or line 1.
         */
        private static int lineOf(byte[] content, String what) {
            String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
            int first = 0;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                int include = line.startsWith("#") || line.startsWith("//") ? -1 : lines[i].indexOf("include");
                if (include >= 0 && lines[i].indexOf(what, include) >= 0) {
                    return i + 1;
                }
                if (include >= 0 && first == 0) {
                    first = i + 1;
                }
            }
            return Math.max(first, 1);
        }
    }
}
