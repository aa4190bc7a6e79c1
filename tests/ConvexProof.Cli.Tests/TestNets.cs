namespace ConvexProof.Cli.Tests;

/// <summary>Hand-built networks (net.json text) whose regions, kinks and convexity are known by hand.</summary>
internal static class TestNets
{
    /// <summary>|x1| + |x2| = relu(x1) + relu(−x1) + relu(x2) + relu(−x2): 4 quadrants, degenerate frontiers, convex.</summary>
    public const string AbsSum2D = """
        {"input_dim":2,"layers":[{"weights":[[1,0],[-1,0],[0,1],[0,-1]],"bias":[0,0,0,0],"activation":"relu"},
                                 {"weights":[[1,1,1,1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>max(x1, x2) = x1 + relu(x2 − x1) (skip connection): two half-planes, convex, c = 1.</summary>
    public const string MaxOfTwo = ConvexProof.Tests.Nets.MaxOfTwo;

    /// <summary>relu(x1 − 2x2) + relu(x1/2 + 3x2/4 + 1) + x2: two crossing lines, 4 regions, convex.</summary>
    public const string TwoLines = """
        {"input_dim":2,"layers":[{"weights":[[1,-2],[0.5,"3/4"]],"bias":[0,1],"activation":"relu"},
                                 {"weights":[[1,1]],"bias":[0],"skip":[[0,1]],"activation":"identity"}]}
        """;

    /// <summary>−relu(x1 + x2): not convex (c = −1).</summary>
    public const string NegRelu2D = """
        {"input_dim":2,"layers":[{"weights":[[1,1]],"bias":[0],"activation":"relu"},
                                 {"weights":[[-1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>A small 2 → 4 → 3 → 1 network with mixed signs (region bound 11·7 = 77).</summary>
    public const string SmallMlp2D = """
        {"input_dim":2,"layers":[
          {"weights":[[1.2,-0.7],[0.3,0.9],[-1.1,0.4],[0.5,0.5]],"bias":[0.1,-0.2,0.3,-1],"activation":"relu"},
          {"weights":[[0.8,-0.6,1.0,0.2],[-0.4,0.7,0.3,-0.9],[0.6,0.6,-0.5,0.4]],"bias":[0.2,-0.1,0.05],"activation":"relu"},
          {"weights":[[1.0,0.5,0.75]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>relu(x − 1) + relu(−x − 1): convex, breakpoints at ±1 with c = 1.</summary>
    public const string TwoHinges = ConvexProof.Tests.Nets.TwoHinges;

    /// <summary>−|x|: concave; one degenerate breakpoint with gradient jump −2.</summary>
    public const string NegAbs = ConvexProof.Tests.Nets.NegAbs;

    /// <summary>relu(x) − relu(x − 1) (a clamp): not convex, c = −1 at x = 1, c = 1 at x = 0.</summary>
    public const string Clamp = """
        {"input_dim":1,"layers":[{"weights":[[1],[1]],"bias":[0,-1],"activation":"relu"},
                                 {"weights":[[1,-1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>An ICNN with skips: 2·relu(relu(x1) + relu(x2) + x1 − 1) + x2.</summary>
    public const string Icnn = ConvexProof.Tests.Nets.Icnn;

    /// <summary>Convex but not an ICNN (the hidden weight −1 in layer 2).</summary>
    public const string NegativeWeightConvex = ConvexProof.Tests.Nets.NegativeWeightConvex;

    /// <summary>Three inputs: plot must refuse it.</summary>
    public const string ThreeInputs = """
        {"input_dim":3,"layers":[{"weights":[[1,1,1]],"bias":[0],"activation":"relu"},
                                 {"weights":[[1]],"bias":[0],"activation":"identity"}]}
        """;

    public const string BadJson = """{"input_dim":2,"layers":[{"weights":[[1,0]],"bias":[0],""";

    /// <summary>Two bias entries but one weight row.</summary>
    public const string WrongShape = """
        {"input_dim":2,"layers":[{"weights":[[1,0]],"bias":[0,1],"activation":"relu"},
                                 {"weights":[[1,1]],"bias":[0],"activation":"identity"}]}
        """;
}
