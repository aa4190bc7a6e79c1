namespace ConvexProof.Onnx.Importing;

/// <summary>Names from the file (nodes, values, operators) made safe and short for a one-line message.</summary>
internal static class MessageText
{
    /// <summary>'name', cut to 60 characters.</summary>
    public static string Quote(string name) => "'" + Short(name, 60) + "'";

    /// <summary>The text with control and line-separator characters replaced, cut to <paramref name="max"/> characters.</summary>
    public static string Short(string text, int max) => Clean(text.Length <= max ? text : text[..(max - 3)] + "...");

    private static string Clean(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c));
}
