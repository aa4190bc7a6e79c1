namespace ConvexProof.Cli.Infrastructure;

/// <summary>The exit codes every command uses (documented in README.md and docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;          // convex / certificate valid
    public const int Negative = 1;    // not convex / certificate invalid
    public const int Usage = 2;       // bad input or usage
    public const int Undecided = 3;   // a limit was reached
    public const int Internal = 4;    // an unexpected internal error (a bug): one line, no output file
}
