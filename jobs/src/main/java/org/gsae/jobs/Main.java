package org.gsae.jobs;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.Errors;
import org.gsae.jobs.cli.AnalyzeCommand;
import org.gsae.jobs.cli.BenchCommand;
import org.gsae.jobs.cli.CliContext;
import org.gsae.jobs.cli.DemoCommand;
import org.gsae.jobs.cli.EvaluateCommand;
import org.gsae.jobs.cli.HarvestCommand;
import org.gsae.jobs.cli.EncodeCommand;
import org.gsae.jobs.cli.ImportIdxCommand;
import org.gsae.jobs.cli.ReportCommand;
import org.gsae.jobs.cli.ShuffleCommand;
import org.gsae.jobs.cli.TrainCommand;
import org.gsae.jobs.cli.VersionProvider;
import org.gsae.jobs.run.RunnerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code sae}: the command-line entry point, locally through {@code bin/sae} and on a cluster
 * through {@code spark-submit --class org.gsae.jobs.Main}. Parses and validates everything
 * before a runner (and so a SparkSession) exists; exit codes follow docs/architecture.md §5: 0
 * success, 2 usage or configuration, 3 invalid input data, 4 I/O, 1 anything else. A failure is one
 * line on stderr ({@code gsae: error: ...}); its stack trace goes to the log
 * ({@value #ERROR_LOGGER}, which {@code conf/log4j2.properties} sends to a file).
 */
@Command(name = "sae", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Gated sparse autoencoders (Rajamanoharan et al. 2024) on Apache Spark.",
    subcommands = {TrainCommand.class, AnalyzeCommand.class, EncodeCommand.class,
        ShuffleCommand.class, ReportCommand.class, ImportIdxCommand.class, DemoCommand.class,
        BenchCommand.class, HarvestCommand.class, EvaluateCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success, 2 usage or configuration error, 3 invalid input data,",
        "4 I/O failure, 1 anything else. 'sae COMMAND --help' describes each command."})
public final class Main implements Callable<Integer>, CliContext {

  /** Logger that receives the stack trace of every failure. */
  public static final String ERROR_LOGGER = "org.gsae.jobs.errors";

  private static final Logger ERRORS = LoggerFactory.getLogger(ERROR_LOGGER);
  private static final String PREFIX = "gsae: error: ";

  private final RunnerProvider runners;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  @Spec
  CommandSpec spec;

  /** The production entry: real runners, the process's streams and environment. */
  public Main() {
    this(RunnerProvider.DEFAULT, System.out, System.err, System.getenv());
  }

  /**
   * @param runners where the commands get their runners
   * @param out     stdout (help, version, reports)
   * @param err     stderr (the one-line error)
   * @param env     environment for {@code ${VAR}} substitutions in config files
   */
  public Main(RunnerProvider runners, PrintStream out, PrintStream err, Map<String, String> env) {
    this.runners = Objects.requireNonNull(runners, "runners");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.env = Map.copyOf(env);
  }

  /** Runs {@code sae} and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(new Main().run(args));
  }

  /**
   * Runs one invocation and returns its exit code; never calls {@code System.exit}.
   *
   * @param args the command line after {@code sae}
   */
  public int run(String... args) {
    CommandLine cl = new CommandLine(this);
    PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
    cl.setOut(outWriter);
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, a) -> usageFailure(ex));
    String command = args.length > 0 && !args[0].startsWith("-") ? "sae " + args[0] : "sae";
    Interruption interruption = Interruption.watch(err, PREFIX + "interrupted: the JVM is shutting"
        + " down (SIGTERM, Ctrl-C or the cluster manager stopped the driver) while '" + command
        + "' ran; " + Failures.keptAfterInterruption(command));
    cl.setExecutionExceptionHandler((ex, sub, parsed) ->
        failure(ex, sub.getCommandSpec().qualifiedName(), interruption));
    try {
      return cl.execute(args);
    } catch (Error e) {
      // OutOfMemoryError, Hadoop's FSError (a full disk) and the like escape picocli's handler.
      return failure(e, "sae", interruption);
    } finally {
      outWriter.flush();
      out.flush();
      err.flush();
      interruption.close();
    }
  }

  /** {@code sae} without a command. */
  @Override
  public Integer call() {
    throw Errors.usage("missing command: give one of " + commandNames(), "sae",
        "run 'sae --help' for the list of commands");
  }

  @Override
  public RunnerProvider runners() {
    return runners;
  }

  @Override
  public PrintStream out() {
    return out;
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  private int usageFailure(ParameterException ex) {
    CommandLine where = ex.getCommandLine();
    String name = where.getCommandSpec().qualifiedName();
    String msg = Failures.oneLine(ex.getMessage());
    if (ex instanceof UnmatchedArgumentException u) {
      boolean unknownCommand = where.getParent() == null && !u.isUnknownOption()
          && !u.getUnmatched().isEmpty();
      if (unknownCommand) {
        msg = "unknown command '" + u.getUnmatched().get(0) + "' (commands: " + commandNames() + ")";
      }
      List<String> hints = u.getSuggestions();
      if (!hints.isEmpty()) {
        msg += "; did you mean '" + hints.get(0) + "'?";
      }
    }
    err.println(PREFIX + msg + "; see '" + name + " --help'");
    ERRORS.debug("{}: usage error", name, ex);
    return ErrorCode.USAGE.exitCode();
  }

  private int failure(Throwable ex, String command, Interruption interruption) {
    if (interruption.happened()) {
      interruption.report();
      ERRORS.warn("{} interrupted", command, ex);
      return ErrorCode.INTERNAL.exitCode();
    }
    ErrorCode code = Failures.errorCode(ex);
    String msg = Failures.message(ex);
    String logFile = System.getProperty("gsae.log.file");
    if (code == ErrorCode.INTERNAL && logFile != null && !logFile.isBlank()) {
      msg += " (stack trace in " + logFile + ")";
    }
    err.println(PREFIX + msg);
    if (code == ErrorCode.USAGE) {
      ERRORS.debug("{} failed: {}", command, msg, ex);
    } else {
      ERRORS.error("{} failed ({}): {}", command, code, msg, ex);
    }
    return code.exitCode();
  }

  private String commandNames() {
    return String.join(", ", spec.subcommands().keySet().stream()
        .filter(n -> !n.equals("help")).toList());
  }
}
