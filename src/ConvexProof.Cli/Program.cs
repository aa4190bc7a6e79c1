using ConvexProof.Cli;
using ConvexProof.Cli.Infrastructure;

// SIGINT (Ctrl-C) and SIGTERM remove the temporary output files and exit 130 / 143.
using var signals = TemporaryFiles.RemoveOnSignals();
return CliMain.Run(args, Console.Out, Console.Error);
