using System.Text;
using ConvexProof.Networks;
using ConvexProof.Numbers;

namespace ConvexProof.Smt.Tests;

/// <summary>Hand-made networks for the tests, written as net.json.</summary>
public static class TestNets
{
    public static Network FromJson(string json) => NetworkReader.Parse(Encoding.UTF8.GetBytes(json), "test.json");

    public static Rational R(string text) =>
        ExactNumberParser.TryParse(text, out var r, out var error) ? r : throw new ArgumentException(error);

    public static Rational[] V(params string[] values) => [.. values.Select(R)];

    /// <summary>|x| = relu(x) + relu(−x).</summary>
    public static Network Abs => FromJson("""
        {"input_dim":1,"layers":[
          {"weights":[[1],[-1]],"bias":[0,0],"activation":"relu"},
          {"weights":[[1,1]],"bias":[0],"activation":"identity"}]}
        """);

    /// <summary>−|x|.</summary>
    public static Network NegAbs => FromJson("""
        {"input_dim":1,"layers":[
          {"weights":[[1],[-1]],"bias":[0,0],"activation":"relu"},
          {"weights":[[-1,-1]],"bias":[0],"activation":"identity"}]}
        """);

    /// <summary>
    /// max(a, b, c) of three affine maps of R^2 (a = x1 + x2, b = 2 x1 − x2 + 1/2, c = −x1 − 3/4):
    /// u = relu(a − b), v = relu(u + b − c) (skip), f = v + c (skip) = max(max(a, b), c).
    /// </summary>
    public static Network MaxOfAffine => FromJson("""
        {"input_dim":2,"layers":[
          {"weights":[[-1, 2]],"bias":["-1/2"],"activation":"relu"},
          {"weights":[[1]],"bias":["5/4"],"skip":[[3,-1]],"activation":"relu"},
          {"weights":[[1]],"bias":["-3/4"],"skip":[[-1,0]],"activation":"identity"}]}
        """);

    /// <summary>
    /// Convex but not an ICNN (negative hidden-to-hidden weights). With p = relu(x), q = relu(−x)
    /// we have p − q = x for every x, so g1 = relu(p − q − 1) = relu(x − 1) and
    /// g2 = relu(q − p − 1) = relu(−x − 1); f = g1 + g2 is a sum of convex functions.
    /// </summary>
    public static Network ConvexNonIcnn => FromJson("""
        {"input_dim":1,"layers":[
          {"weights":[[1],[-1]],"bias":[0,0],"activation":"relu"},
          {"weights":[[1,-1],[-1,1]],"bias":[-1,-1],"activation":"relu"},
          {"weights":[[1,1]],"bias":[0],"activation":"identity"}]}
        """);

    /// <summary>
    /// The same idea in R^2 with weights −1 and a non-trivial second layer:
    /// p_i − q_i = x_i, so g = relu(p1 − q1 + p2 − q2) = relu(x1 + x2) and
    /// f = 2 g + (p1 + q1) = 2 relu(x1 + x2) + |x1|, convex.
    /// </summary>
    public static Network ConvexNonIcnn2D => FromJson("""
        {"input_dim":2,"layers":[
          {"weights":[[1,0],[-1,0],[0,1],[0,-1]],"bias":[0,0,0,0],"activation":"relu"},
          {"weights":[[1,-1,1,-1],[1,0,0,0],[0,1,0,0]],"bias":[0,0,0],"activation":"relu"},
          {"weights":[[2,1,1]],"bias":[0],"activation":"identity"}]}
        """);

    /// <summary>f(x) = relu(x) − relu(x − 2): convex on [−1, 1] (it is relu(x) there) but not on R (slope 0, 1, 0).</summary>
    public static Network ConvexOnBoxOnly => FromJson("""
        {"input_dim":1,"layers":[
          {"weights":[[1],[1]],"bias":[0,-2],"activation":"relu"},
          {"weights":[[1,-1]],"bias":[0],"activation":"identity"}]}
        """);
}
