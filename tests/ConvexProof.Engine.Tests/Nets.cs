using System.Text;
using ConvexProof.Geometry;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Tests;

/// <summary>Hand-built networks whose convexity and exact kink values are known by hand.</summary>
internal static class Nets
{
    public static Network Parse(string json) => NetworkReader.Parse(Encoding.UTF8.GetBytes(json), "test.json");

    public static Domain Box(int d, long lo, long hi) =>
        Domain.Box(Enumerable.Repeat(new Rational(lo, 1), d).ToArray(), Enumerable.Repeat(new Rational(hi, 1), d).ToArray());

    /// <summary>|x| = relu(x) + relu(−x): both units switch at 0 (a degenerate frontier), jump 2.</summary>
    public const string Abs = """
        {"input_dim":1,"layers":[{"weights":[[1],[-1]],"bias":[0,0],"activation":"relu"},
                                 {"weights":[[1,1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>−|x|: concave.</summary>
    public const string NegAbs = """
        {"input_dim":1,"layers":[{"weights":[[1],[-1]],"bias":[0,0],"activation":"relu"},
                                 {"weights":[[-1,-1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>relu(x−1) + relu(−x−1) in d = 1: convex, non-degenerate, c = 1 twice.</summary>
    public const string TwoHinges = """
        {"input_dim":1,"layers":[{"weights":[[1],[-1]],"bias":[-1,-1],"activation":"relu"},
                                 {"weights":[[1,1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>−relu(x): not convex, c = −1.</summary>
    public const string NegRelu = """
        {"input_dim":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"relu"},
                                 {"weights":[[-1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>max(x1, x2) = x1 + relu(x2 − x1) with the x1 term through a skip connection.</summary>
    public const string MaxOfTwo = """
        {"input_dim":2,"layers":[{"weights":[[-1,1]],"bias":[0],"activation":"relu"},
                                 {"weights":[[1]],"bias":[0],"skip":[[1,0]],"activation":"identity"}]}
        """;

    /// <summary>
    /// max(x1, x2, 0) = relu(x1) + relu(x2 − relu(x1)), carrying relu(x1) through a second unit: the
    /// second-layer unit relu(h0) is flat where x1 &lt; 0 and switches on the same line as h0.
    /// </summary>
    public const string MaxOfThree = """
        {"input_dim":2,"layers":[{"weights":[[1,0]],"bias":[0],"activation":"relu"},
                                 {"weights":[[-1],[1]],"bias":[0,0],"skip":[[0,1],[0,0]],"activation":"relu"},
                                 {"weights":[[1,1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>
    /// An ICNN with skips: f = 2·relu(relu(x1) + relu(x2) + x1 − 1) + x2 (non-negative hidden weights).
    /// </summary>
    public const string Icnn = """
        {"input_dim":2,"layers":[{"weights":[[1,0],[0,1]],"bias":[0,0],"activation":"relu"},
                                 {"weights":[[1,1]],"bias":[-1],"skip":[[1,0]],"activation":"relu"},
                                 {"weights":[[2]],"bias":[0],"skip":[[0,1]],"activation":"identity"}]}
        """;

    /// <summary>
    /// Convex but not an ICNN (hidden weight −1): f = clamp(x,0,1) + 2·relu(x−1), built as
    /// relu(relu(x) − relu(x−1) + 1/2) + 2·relu(relu(x−1) + 1) − 5/2. c = 1 for both first-layer units.
    /// </summary>
    public const string NegativeWeightConvex = """
        {"input_dim":1,"layers":[{"weights":[[1],[1]],"bias":[0,-1],"activation":"relu"},
                                 {"weights":[[1,-1],[0,1]],"bias":["1/2",1],"activation":"relu"},
                                 {"weights":[[1,2]],"bias":["-5/2"],"activation":"identity"}]}
        """;

    /// <summary>
    /// The three output weights −0.1 − 0.2 + 0.3 cancel exactly (in doubles they leave −5.6e-17):
    /// c = 0, so the net is convex (f ≡ 0).
    /// </summary>
    public const string CancellingDecimals = """
        {"input_dim":1,"layers":[{"weights":[[1]],"bias":[0],"activation":"relu"},
                                 {"weights":[[0.1],[0.2],[0.3]],"bias":[0,0,0],"activation":"identity"},
                                 {"weights":[[-1,-1,1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>relu(x) − relu(x−2): convex on [−1,1] (= relu(x) there), concave kink at 2 on R.</summary>
    public const string ConvexOnlyNearZero = """
        {"input_dim":1,"layers":[{"weights":[[1],[1]],"bias":[0,-2],"activation":"relu"},
                                 {"weights":[[1,-1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>The example of issue 2: two units in the plane with a skip, c = 1 for both.</summary>
    public const string IssueExample = """
        { "input_dim": 2,
          "layers": [
            { "weights": [[1, -2], [0.5, "3/4"]], "bias": [0, 1], "activation": "relu" },
            { "weights": [[1, 1]], "bias": [0], "skip": [[0, 1]], "activation": "identity" } ] }
        """;

    /// <summary>A dead unit (zero row, bias −1), a flat unit (zero row, bias 0), an always-on unit.</summary>
    public const string DeadAndFlat = """
        {"input_dim":2,"layers":[{"weights":[[0,0],[0,0],[0,0],[1,1]],"bias":[-1,0,3,0],"activation":"relu"},
                                 {"weights":[[5,7,1,1]],"bias":[0],"activation":"identity"}]}
        """;

    /// <summary>
    /// A grid of convex hinges relu(x1 − k) + relu(x2 − k), k = −5…5 (144 regions), and one concave
    /// diagonal −3·relu(x1 + x2 − 9/2) (through no grid vertex). Only the regions beside the diagonal
    /// carry the violation (c = −3), several breadth-first levels away from the starting region at
    /// the origin, and the first such level holds several of them.
    /// </summary>
    public const string HingeGridWithOneConcaveLine = """
        {"input_dim":2,"layers":[{"weights":[[1,0],[1,0],[1,0],[1,0],[1,0],[1,0],[1,0],[1,0],[1,0],[1,0],[1,0],[0,1],[0,1],[0,1],[0,1],[0,1],[0,1],[0,1],[0,1],[0,1],[0,1],[0,1],[1,1]],"bias":[5,4,3,2,1,0,-1,-2,-3,-4,-5,5,4,3,2,1,0,-1,-2,-3,-4,-5,-4.5],"activation":"relu"},{"weights":[[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,-3]],"bias":[0],"activation":"identity"}]}
        """;
}
