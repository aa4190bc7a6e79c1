using System.Text.Json;
using ConvexProof.Numbers;

namespace ConvexProof.Cli.Tests;

/// <summary>`convexproof penalty`: the text summary, the --json schema (convexproof-penalty/1), exit codes and errors.</summary>
public class PenaltyTests
{
    private static string Example(string name) => Path.Combine(Repository.Root(), "certificates", name);

    private static Rational R(string s)
    {
        Assert.True(Rational.TryParseCanonical(s, out var v), s);
        return v;
    }

    [Fact]
    public void TextListsTotalsUnitsAndConditions()
    {
        var r = Cli.Invoke("penalty", Example("small_mlp_2d.json"));
        Assert.Equal(1, r.Code); // not convex
        Assert.Equal("", r.Err);
        Assert.Contains("regions:      26 (full enumeration)", r.Out);
        Assert.Contains("conditions:   16 (unit, downstream pattern) pairs, 6 with c < 0", r.Out);
        Assert.Contains("penalty R/λ:  13/8 (≈ 1.625)", r.Out);
        Assert.Contains("  1: 100 = -3/5", r.Out);
        Assert.Contains("verdict:      not convex", r.Out);
    }

    [Fact]
    public void JsonIsCompactAndConsistent()
    {
        var r = Cli.Invoke("penalty", Example("small_mlp_2d.json"), "--json");
        Assert.Equal(1, r.Code);
        var j = r.Json();
        Assert.Equal("convexproof-penalty/1", j.GetProperty("schema").GetString());
        Assert.Equal("not_convex", j.GetProperty("verdict").GetString());
        Assert.True(j.GetProperty("complete").GetBoolean());
        Assert.Equal("13/8", j.GetProperty("penalty").GetString());
        Assert.Equal(1.625, j.GetProperty("penalty_float").GetDouble());
        var layers = j.GetProperty("relu_layers").EnumerateArray().Select(l => (l.GetProperty("first_unit").GetInt32(), l.GetProperty("units").GetInt32())).ToList();
        Assert.Equal([(0, 4), (4, 3)], layers);
        var sum = Rational.Zero;
        int violating = 0;
        foreach (var c in j.GetProperty("conditions").EnumerateArray())
        {
            var value = R(c.GetProperty("c").GetString()!);
            if (value.Sign < 0) { sum -= value; violating++; }
            int unit = c.GetProperty("unit").GetInt32();
            // "on" lists downstream units only: those of the layers after the unit's.
            int firstDownstream = unit < 4 ? 4 : 7;
            Assert.All(c.GetProperty("on").EnumerateArray(), k => Assert.InRange(k.GetInt32(), firstDownstream, 6));
        }
        Assert.Equal(R("13/8"), sum);
        Assert.Equal(violating, j.GetProperty("violating").GetInt32());
        // Unit 1 (downstream 100 = unit 4 on): c = -3/5, written as the index list [4].
        Assert.Contains(j.GetProperty("conditions").EnumerateArray(),
            c => c.GetProperty("unit").GetInt32() == 1 && c.GetProperty("c").GetString() == "-3/5"
                 && c.GetProperty("on").EnumerateArray().Select(k => k.GetInt32()).SequenceEqual([4]));
        var unit1 = j.GetProperty("units")[1];
        Assert.Equal(3, unit1.GetProperty("violating").GetInt32());
        Assert.Equal("-3/5", unit1.GetProperty("worst").GetString());
        Assert.Equal("1", unit1.GetProperty("penalty").GetString());
    }

    [Fact]
    public void DegenerateFrontiersCarryTheirJumps()
    {
        var r = Cli.Invoke("penalty", Example("neg_abs.json"), "--json");
        Assert.Equal(1, r.Code);
        var j = r.Json();
        Assert.Equal("0", j.GetProperty("penalty").GetString());
        var f = Assert.Single(j.GetProperty("degenerate").EnumerateArray().ToList());
        Assert.Equal("-2", f.GetProperty("jump").GetString());
        Assert.Equal(1, j.GetProperty("negative_jumps").GetInt32());
    }

    [Fact]
    public void ConvexNetworkExitsZeroAndBoxIsHonoured()
    {
        var r = Cli.Invoke("penalty", Example("convex_only_near_zero.json"), "--box", "-1:1", "--json");
        Assert.Equal(0, r.Code);
        var j = r.Json();
        Assert.Equal("0", j.GetProperty("penalty").GetString());
        Assert.Equal("-1", j.GetProperty("domain").GetProperty("box")[0][0].GetString());
        Assert.Equal(1, Cli.Invoke("penalty", Example("convex_only_near_zero.json"), "--json").Code);
    }

    [Fact]
    public void ALimitMarksTheResultIncomplete()
    {
        var r = Cli.Invoke("penalty", Example("two_hinges.json"), "--max-regions", "1", "--json");
        Assert.Equal(3, r.Code);
        Assert.False(r.Json().GetProperty("complete").GetBoolean());
    }

    [Fact]
    public void BadInputIsOneLine()
    {
        using var dir = new TempFolder();
        var bad = dir.Write("bad.json", """{"input_dim": 1, "layers": []}""");
        Cli.AssertOneLineError(Cli.Invoke("penalty", bad), "bad.json", "$.layers");
        Cli.AssertOneLineError(Cli.Invoke("penalty", Example("small_mlp_2d.json"), "--box", "0:1,0:1,0:1"), "small_mlp_2d.json", "2 inputs");
        Cli.AssertOneLineError(Cli.Invoke("penalty", Example("small_mlp_2d.json"), "--box", "1:0"), "--box");
    }
}
