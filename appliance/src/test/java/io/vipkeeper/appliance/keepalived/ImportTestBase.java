package io.vipkeeper.appliance.keepalived;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** For import tests: runs the import on a keepalived text and reads the HOCON written back. */
abstract class ImportTestBase {
    @TempDir
    Path dir;

    /** The last import run. */
    KeepalivedImport.Result result;

    Config run(String text) throws Exception {
        Path f = dir.resolve("k.conf");
        Files.writeString(f, text);
        result = KeepalivedImport.run(f, null);
        return ConfigFactory.parseString(result.config()).getConfig("vipkeeper");
    }

    /** The notes of the last run as printed, the file named k.conf. */
    List<String> notes() {
        return result.notes().stream().map(n -> n.toString().replace(dir.resolve("k.conf").toString(), "k.conf"))
                .toList();
    }
}
