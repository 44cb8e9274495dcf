package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's view of a config file as HOCON ({@code vipkeeper check --node NAME --print}): every key
 * the files set, with its node's value and substitutions resolved, includes inlined, defaults left
 * out, and secrets masked. {@code check} accepts the text once the secrets are put back.
 */
public final class EffectiveConfig {
    /** What a secret is printed as. */
    public static final String MASK = "<masked>";
    /** Keys whose value is a secret wherever they are. */
    private static final Set<String> SECRETS = Set.of("password");
    /** Keys whose value is a secret inside an {@code authentication} block (elsewhere "key" is a path). */
    private static final Set<String> AUTH_SECRETS = Set.of("password", "key");

    private EffectiveConfig() {
    }

    /** The text, or the file's problems as node {@code node} sees it. */
    public static String render(Path file, NodeChoice node) throws InvalidConfigException {
        ConfigLoader.Parsed parsed = ConfigLoader.parseOnly(file, node);
        ConfigObject shown = (ConfigObject) mask("", keep(parsed.user().root(), parsed.merged().root()));
        String body = shown.render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
                .setJson(false).setFormatted(true));
        // node-name = null (the default): the name the daemon would take, --node's or the host's.
        String name = parsed.merged().hasPath("vipkeeper.node-name") ? parsed.merged().getString("vipkeeper.node-name")
                : node.given().orElseGet(SettingsReader::hostName);
        return "# " + file + " as node " + name
                + " reads it: defaults left out, secrets masked as \"" + MASK + "\"\n"
                + body + (body.endsWith("\n") ? "" : "\n");
    }

    /** The keys of {@code user} with their values in {@code merged}. */
    private static ConfigObject keep(ConfigObject user, ConfigObject merged) {
        ConfigObject kept = ConfigValueFactory.fromMap(Map.of());
        Set<String> keys;
        try {
            keys = user.keySet();
        } catch (ConfigException.NotResolved e) {
            // A block put together by a substitution: all of it is the file's.
            return merged;
        }
        for (String key : keys) {
            ConfigValue m = merged.get(key);
            ConfigValue u = user.get(key);
            if (m == null) {
                continue;
            }
            kept = kept.withValue(key, u instanceof ConfigObject uo && m instanceof ConfigObject mo ? keep(uo, mo) : m);
        }
        return kept;
    }

    /** {@code value} with every secret in it replaced by {@link #MASK}; {@code key} is its own key. */
    private static ConfigValue mask(String parent, ConfigValue value) {
        if (value instanceof ConfigObject o) {
            ConfigObject masked = o;
            for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
                String key = e.getKey();
                boolean secret = SECRETS.contains(key) || parent.equals("authentication") && AUTH_SECRETS.contains(key)
                        || parent.equals("keys") && key.equals("key"); // authentication.keys[i].key
                if (secret && e.getValue().unwrapped() instanceof String s && !s.isEmpty()) {
                    masked = masked.withValue(key, ConfigValueFactory.fromAnyRef(MASK).withOrigin(e.getValue().origin()));
                } else {
                    masked = masked.withValue(key, mask(key, e.getValue()));
                }
            }
            return masked;
        }
        if (value instanceof ConfigList l) {
            List<ConfigValue> masked = new ArrayList<>();
            l.forEach(v -> masked.add(mask(parent, v)));
            return ConfigValueFactory.fromIterable(masked).withOrigin(l.origin());
        }
        return value;
    }
}
