package io.podhogs.cli;

import io.podhogs.host.HostFiles;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point: Quarkus starts, then hands the arguments to the command line. */
@QuarkusMain
public class Main implements QuarkusApplication {
    @Override
    public int run(String... args) {
        return Cli.execute(args, System.out, System.err, HostFiles.system());
    }
}
